package io.koclip.search.web;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code koclip.ingest.*}: the image folder the server indexes and serves.
 *
 * @param source the source folder ({@code serve --source}); indexed paths are relative to it and
 *     images are served only from inside it
 * @param onStart when the server ingests by itself at start-up: {@code if-empty} (the quick start:
 *     only when the index has no documents), {@code always} (an incremental ingest every start),
 *     {@code never}
 * @param prune whether an ingest removes documents whose file is gone from the source (the server
 *     could not serve them anyway)
 * @param workers threads that read, hash and decode images during an ingest; 0 uses the ingest
 *     default (two per core, at most 16)
 */
@Validated
@ConfigurationProperties("koclip.ingest")
record IngestProperties(
        @DefaultValue("ingest") @NotNull Path source,
        @DefaultValue("if-empty") @NotNull OnStart onStart,
        @DefaultValue("true") boolean prune,
        @DefaultValue("0") @Min(0) @Max(256) int workers) {

    /** When to ingest at start-up. */
    enum OnStart {
        IF_EMPTY,
        ALWAYS,
        NEVER
    }
}
