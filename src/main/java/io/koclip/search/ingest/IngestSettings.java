package io.koclip.search.ingest;

import java.nio.file.Path;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The ingest settings a user sets: the same seven on the command line ({@code ingest --batch 32}), in
 * the server's configuration ({@code koclip.ingest.batch}) and in the body of
 * {@code POST /api/v1/admin/ingest} ({@code {"batch": 32}}). Null means "the default", and only
 * {@link IngestOptions#defaults(Path)} says what the default is, so that every surface has the same.
 *
 * <p>Values are checked when the record is built, with messages that name the setting and the value
 * ({@code batch: 0 is not in [1, 1024]}); the exception names the setting for error answers.
 *
 * @param prune remove documents whose file is gone from the source
 * @param batch images per encoder call, in [1, 1024]
 * @param workers threads that read, hash, decode and preprocess, in [1, 256]
 * @param commitEvery durable commit after this many written documents, in [1, 10^7]
 * @param commitInterval ... or after this much time with documents written (positive)
 * @param decodeTimeout time budget of one decode (positive)
 * @param maxPixels images whose header claims more pixels are refused before decoding (>= 1)
 */
public record IngestSettings(
        @Nullable Boolean prune,
        @Nullable Integer batch,
        @Nullable Integer workers,
        @Nullable Integer commitEvery,
        @Nullable Duration commitInterval,
        @Nullable Duration decodeTimeout,
        @Nullable Long maxPixels) {

    /** Every setting at its default. */
    public static final IngestSettings DEFAULTS = new IngestSettings(null, null, null, null, null, null, null);

    /** A setting with a bad value; {@link #setting()} names it as the surfaces spell it in camel case. */
    public static final class InvalidSettingException extends IllegalArgumentException {
        private final String setting;

        InvalidSettingException(String setting, String problem) {
            super(setting + ": " + problem);
            this.setting = setting;
        }

        public String setting() {
            return setting;
        }

        /** The message without the setting's name in front. */
        public String problem() {
            return getMessage().substring(setting.length() + 2);
        }
    }

    public IngestSettings {
        range("batch", batch, 1, IngestOptions.MAX_BATCH_SIZE);
        range("workers", workers, 1, IngestOptions.MAX_WORKERS);
        range("commitEvery", commitEvery, 1, IngestOptions.MAX_COMMIT_EVERY);
        positive("commitInterval", commitInterval);
        positive("decodeTimeout", decodeTimeout);
        if (maxPixels != null && maxPixels < 1) {
            throw new InvalidSettingException("maxPixels", maxPixels + " must be >= 1");
        }
    }

    /** The options of an ingest of {@code source}: these settings, the defaults for the unset ones. */
    public IngestOptions toOptions(Path source) {
        IngestOptions d = IngestOptions.defaults(source);
        return new IngestOptions(
                source,
                prune != null ? prune : d.prune(),
                batch != null ? batch : d.batchSize(),
                workers != null ? workers : d.workers(),
                commitEvery != null ? commitEvery : d.commitEvery(),
                commitInterval != null ? commitInterval : d.commitInterval(),
                decodeTimeout != null ? decodeTimeout : d.decodeTimeout(),
                maxPixels != null ? maxPixels : d.maxPixels(),
                d.maxFileBytes(),
                d.maxReportedFailures(),
                d.captions());
    }

    /** These settings with each one that {@code overrides} sets replaced: a request over the server's configuration. */
    public IngestSettings overriddenBy(IngestSettings overrides) {
        return new IngestSettings(
                overrides.prune != null ? overrides.prune : prune,
                overrides.batch != null ? overrides.batch : batch,
                overrides.workers != null ? overrides.workers : workers,
                overrides.commitEvery != null ? overrides.commitEvery : commitEvery,
                overrides.commitInterval != null ? overrides.commitInterval : commitInterval,
                overrides.decodeTimeout != null ? overrides.decodeTimeout : decodeTimeout,
                overrides.maxPixels != null ? overrides.maxPixels : maxPixels);
    }

    private static void range(String name, @Nullable Integer value, int min, int max) {
        if (value != null && (value < min || value > max)) {
            throw new InvalidSettingException(name, value + " is not in [" + min + ", " + max + "]");
        }
    }

    private static void positive(String name, @Nullable Duration value) {
        if (value != null && (value.isZero() || value.isNegative())) {
            throw new InvalidSettingException(name, value + " must be positive");
        }
    }
}
