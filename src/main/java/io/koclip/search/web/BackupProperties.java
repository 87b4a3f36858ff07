package io.koclip.search.web;

import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code koclip.backup.*}: where {@code POST /api/v1/admin/backup} writes.
 *
 * @param folder the folder that receives one sub-folder per backup, named after the index folder and
 *     the UTC time ({@code index-20260101T120000.123Z}); created when absent. A request cannot name
 *     another place: the server writes only where its configuration says
 */
@Validated
@ConfigurationProperties("koclip.backup")
record BackupProperties(@DefaultValue("backups") @NotNull Path folder) {}
