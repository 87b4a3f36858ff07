package io.koclip.search.web;

import io.koclip.search.ingest.IngestOptions;
import io.koclip.search.ingest.IngestSettings;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.convert.DurationUnit;
import org.springframework.validation.annotation.Validated;

/**
 * {@code koclip.ingest.*}: the image folder the server indexes and serves, and the settings of its
 * ingest jobs. The settings are the command line's ({@link IngestSettings}); unset, each takes the
 * default of {@link IngestOptions#defaults}, the same as {@code ingest} without the option. An admin
 * request's body overrides them per job.
 *
 * @param source the source folder ({@code serve --source}); indexed paths are relative to it and
 *     images are served only from inside it
 * @param onStart when the server ingests by itself at start-up: {@code if-empty} (the quick start:
 *     only when the index has no documents), {@code always} (an incremental ingest every start),
 *     {@code never}
 * @param prune whether an ingest removes documents whose file is gone from the source (the shipped
 *     {@code application.yaml} turns it on: the server could not serve them anyway)
 * @param batch images per encoder call
 * @param workers threads that read, hash and decode images; 0 also means the default (two per core,
 *     at most 16)
 * @param commitEvery durable commit after this many documents
 * @param commitInterval ... or after this long (a number is seconds: {@code 30}, {@code 500ms})
 * @param decodeTimeout time budget of one decode (a number is seconds)
 * @param maxPixels images with more pixels (from their header) are refused
 */
@Validated
@ConfigurationProperties("koclip.ingest")
record IngestProperties(
        @DefaultValue(IngestOptions.DEFAULT_SOURCE) @NotNull Path source,
        @DefaultValue("if-empty") @NotNull OnStart onStart,
        @Nullable Boolean prune,
        @Nullable Integer batch,
        @Nullable Integer workers,
        @Nullable Integer commitEvery,
        @DurationUnit(ChronoUnit.SECONDS) @Nullable Duration commitInterval,
        @DurationUnit(ChronoUnit.SECONDS) @Nullable Duration decodeTimeout,
        @Nullable Long maxPixels) {

    IngestProperties {
        settings(workers, prune, batch, commitEvery, commitInterval, decodeTimeout, maxPixels); // fail at start-up
    }

    /** When to ingest at start-up. */
    enum OnStart {
        IF_EMPTY,
        ALWAYS,
        NEVER
    }

    /** The configured ingest settings; unset ones are null (the defaults). */
    IngestSettings settings() {
        return settings(workers, prune, batch, commitEvery, commitInterval, decodeTimeout, maxPixels);
    }

    private static IngestSettings settings(
            @Nullable Integer workers,
            @Nullable Boolean prune,
            @Nullable Integer batch,
            @Nullable Integer commitEvery,
            @Nullable Duration commitInterval,
            @Nullable Duration decodeTimeout,
            @Nullable Long maxPixels) {
        try {
            return new IngestSettings(
                    prune,
                    batch,
                    workers != null && workers == 0 ? null : workers, // 0: the default, as in earlier versions
                    commitEvery,
                    commitInterval,
                    decodeTimeout,
                    maxPixels);
        } catch (IngestSettings.InvalidSettingException e) {
            String property = e.setting().replaceAll("([A-Z])", "-$1").toLowerCase(java.util.Locale.ROOT);
            throw new IllegalArgumentException("koclip.ingest." + property + ": " + e.problem(), e);
        }
    }
}
