package io.koclip.search.web;

import io.koclip.search.index.IndexBackup;
import io.koclip.search.search.LiveIndex;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/v1/admin/backup}: a consistent copy of the live index's last commit while searches
 * and admin jobs go on (Lucene: a snapshot of the open writer, copied, CheckIndex, released). Guarded
 * by {@link AdminTokenFilter} like every admin path. Synchronous: the answer comes when the copy is
 * checked (docs/operations.md gives the time per GiB). A backend without its own backup answers 501.
 *
 * <p>Thread-safe: stateless; backups may run concurrently, each into its own folder.
 */
@RestController
@RequestMapping(path = "/api/v1/admin", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "admin", description = "Ingest and reindex jobs (bearer token from KOCLIP_ADMIN_TOKEN)")
@SecurityRequirement(name = "adminToken")
class BackupController {
    private static final Logger log = LoggerFactory.getLogger(BackupController.class);
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final LiveIndex index;
    private final Path folder;
    private final Clock clock;

    @Autowired
    BackupController(LiveIndex index, BackupProperties properties) {
        this(index, properties, Clock.systemUTC());
    }

    BackupController(LiveIndex index, BackupProperties properties, Clock clock) {
        this.index = index;
        this.folder = properties.folder().toAbsolutePath().normalize();
        this.clock = clock;
    }

    /** The answer: where the backup is and what it holds. */
    record BackupResponse(
            String location,
            long documents,
            int files,
            long bytes,
            double copySeconds,
            double checkSeconds,
            boolean clean,
            @Nullable String checkpoint) {
        static BackupResponse of(IndexBackup b) {
            return new BackupResponse(
                    b.location().toString(),
                    b.documents(),
                    b.files(),
                    b.bytes(),
                    b.copySeconds(),
                    b.checkSeconds(),
                    b.clean(),
                    b.checkpoint());
        }
    }

    @PostMapping("/backup")
    @Operation(
            summary = "Copy the live index's last commit into koclip.backup.folder and verify it",
            description = "Searches and a running ingest or reindex go on; writes after the last commit are"
                    + " not in the backup. Restore with the restore command while the server is stopped.")
    @ProblemResponse(status = 501, description = "The index backend has no backup of its own (backup-unsupported)")
    @ProblemResponse(status = 503, description = "No index is open (index-not-ready)")
    BackupResponse backup() throws IOException {
        Path target = folder.resolve("index-" + STAMP.format(clock.instant()));
        IndexBackup backup = index.read(open -> open.backup(target));
        log.info(
                "backup of {} into {}: {} documents, {} bytes in {} s (copy) + {} s (check)",
                index.describe(),
                backup.location(),
                backup.documents(),
                backup.bytes(),
                backup.copySeconds(),
                backup.checkSeconds());
        return BackupResponse.of(backup);
    }
}
