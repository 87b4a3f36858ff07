package io.koclip.search.web;

import io.koclip.search.ingest.IngestSettings;
import io.koclip.search.search.InvalidRequestException;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The optional body of {@code POST /api/v1/admin/ingest} and {@code /reindex}: the command line's
 * ingest settings, each optional. One left out takes the server's configured value
 * ({@code koclip.ingest.*}), else the default. Times are numbers of seconds, as on the command line.
 */
@Schema(
        name = "IngestSettings",
        description = "Settings of this job; each one left out takes the server's configured value"
                + " (koclip.ingest.*), else the default. The same settings as the ingest command's options.")
record IngestRequest(
        @Schema(description = "Remove documents whose file is gone from the source (--prune)") @Nullable
        Boolean prune,

        @Schema(description = "Images per encoder call, 1–1024 (--batch; default 16)", minimum = "1", maximum = "1024")
        @Nullable
        Integer batch,

        @Schema(
                description = "Decode threads, 1–256 (--workers; default two per core, at most 16)",
                minimum = "1",
                maximum = "256")
        @Nullable
        Integer workers,

        @Schema(
                description = "Durable commit after this many documents (--commit-every; default 1000)",
                minimum = "1",
                maximum = "10000000")
        @Nullable
        Integer commitEvery,

        @Schema(
                description = "... or after this many seconds (--commit-seconds; default 30)",
                exclusiveMinimumValue = 0)
        @Nullable
        Double commitInterval,

        @Schema(
                description = "Time budget of one decode, in seconds (--decode-timeout; default 20)",
                exclusiveMinimumValue = 0)
        @Nullable
        Double decodeTimeout,

        @Schema(
                description = "Refuse images with more pixels, from their header (--max-pixels; default 100000000)",
                minimum = "1")
        @Nullable
        Long maxPixels) {

    /** No body: every setting as configured. */
    static final IngestRequest NONE = new IngestRequest(null, null, null, null, null, null, null);

    /**
     * The settings this body asks for.
     *
     * @throws InvalidRequestException (400, naming the field) for a value out of range
     */
    IngestSettings settings() {
        try {
            return new IngestSettings(
                    prune,
                    batch,
                    workers,
                    commitEvery,
                    seconds("commitInterval", commitInterval),
                    seconds("decodeTimeout", decodeTimeout),
                    maxPixels);
        } catch (IngestSettings.InvalidSettingException e) {
            throw new InvalidRequestException(e.setting(), e.problem());
        }
    }

    private static @Nullable Duration seconds(String name, @Nullable Double value) {
        if (value == null) {
            return null;
        }
        if (!(value > 0) || value > 1e9) {
            throw new InvalidRequestException(name, value + " is not a positive number of seconds (at most 1e9)");
        }
        return Duration.ofNanos(Math.round(value * 1e9));
    }
}
