package io.koclip.search.web;

import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code koclip.index.*}: where the index lives.
 *
 * @param path the live index folder ({@code serve --index}); a reindex builds beside it in
 *     {@code <path>.next} and switches by renaming, so the parent folder must be writable
 */
@Validated
@ConfigurationProperties("koclip.index")
record IndexProperties(@DefaultValue("index") @NotNull Path path) {}
