package io.koclip.search.ingest;

import io.koclip.search.image.ImageDecoder;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What an ingest run does and how hard it works. {@link #defaults(Path)} suits a laptop and is the one
 * place that says what an unset setting means: the command line, the server's configuration and the
 * admin API all fill their unset {@link IngestSettings} from it.
 *
 * @param source the folder to ingest (recursively)
 * @param prune remove documents whose file is gone from {@code source}
 * @param batchSize images per encoder call, in [1, 1024]
 * @param workers threads that read, hash, decode and preprocess, in [1, 256]
 * @param commitEvery durable commit after this many written documents, in [1, 10^7]
 * @param commitInterval ... or after this much time with unwritten documents (positive)
 * @param decodeTimeout time budget of one decode (positive)
 * @param maxPixels images whose header claims more pixels are refused before decoding
 * @param maxFileBytes files larger than this are refused without being read
 * @param maxReportedFailures failures listed in the report (all are counted), in [0, 10^6]
 * @param captions caption text per image ({@code ingest --captions}), {@link ImageCaptions#NONE} for none
 */
public record IngestOptions(
        Path source,
        boolean prune,
        int batchSize,
        int workers,
        int commitEvery,
        Duration commitInterval,
        Duration decodeTimeout,
        long maxPixels,
        long maxFileBytes,
        int maxReportedFailures,
        ImageCaptions captions) {

    /** Default batch: large enough to amortize an ONNX call, small enough to keep memory low. */
    public static final int DEFAULT_BATCH_SIZE = 16;

    /** The source folder when none is given: {@code ingest} in the working folder (CLI and server). */
    public static final String DEFAULT_SOURCE = "ingest";

    static final int MAX_BATCH_SIZE = 1024;
    static final int MAX_WORKERS = 256;
    static final int MAX_COMMIT_EVERY = 10_000_000;

    public IngestOptions {
        if (source == null) {
            throw new IllegalArgumentException("source: missing");
        }
        requireRange("batchSize", batchSize, 1, MAX_BATCH_SIZE);
        requireRange("workers", workers, 1, MAX_WORKERS);
        requireRange("commitEvery", commitEvery, 1, MAX_COMMIT_EVERY);
        requireRange("maxReportedFailures", maxReportedFailures, 0, 1_000_000);
        requirePositive("commitInterval", commitInterval);
        requirePositive("decodeTimeout", decodeTimeout);
        if (maxPixels < 1) {
            throw new IllegalArgumentException("maxPixels: " + maxPixels + " must be >= 1");
        }
        if (captions == null) {
            throw new IllegalArgumentException("captions: missing (ImageCaptions.NONE for none)");
        }
        if (maxFileBytes < 1) {
            throw new IllegalArgumentException("maxFileBytes: " + maxFileBytes + " must be >= 1");
        }
    }

    /**
     * Batch 16, {@link #defaultWorkers(int) two workers per core}, a commit every 1000 documents or
     * 30 s, 20 s per decode, 100 megapixels, 512 MiB per file.
     */
    public static IngestOptions defaults(Path source) {
        return new IngestOptions(
                source,
                false,
                DEFAULT_BATCH_SIZE,
                defaultWorkers(Runtime.getRuntime().availableProcessors()),
                1000,
                Duration.ofSeconds(30),
                ImageDecoder.DEFAULT_BUDGET,
                ImageDecoder.DEFAULT_MAX_PIXELS,
                512L << 20,
                10_000,
                ImageCaptions.NONE);
    }

    /**
     * Decode workers for {@code cores} cores: two per core, at most 16. The encoder's ONNX Runtime
     * threads already use every core, so with one worker per core decoding gets about half of the CPU
     * and, with a fast (int8) encoder, falls behind: on 2 cores the int8 image tower waited 14-16% of
     * the run for decoded images with 2 workers and 2.5-3% with 4, at 5% more images/s
     * (docs/benchmarks.md section 8). Extra workers cost no memory beyond the decode budget, which
     * bounds the pixels being decoded whatever the count.
     */
    public static int defaultWorkers(int cores) {
        return Math.min(16, 2 * Math.max(1, cores));
    }

    public IngestOptions withPrune(boolean value) {
        return new IngestOptions(
                source,
                value,
                batchSize,
                workers,
                commitEvery,
                commitInterval,
                decodeTimeout,
                maxPixels,
                maxFileBytes,
                maxReportedFailures,
                captions);
    }

    public IngestOptions withBatchSize(int value) {
        return new IngestOptions(
                source,
                prune,
                value,
                workers,
                commitEvery,
                commitInterval,
                decodeTimeout,
                maxPixels,
                maxFileBytes,
                maxReportedFailures,
                captions);
    }

    public IngestOptions withWorkers(int value) {
        return new IngestOptions(
                source,
                prune,
                batchSize,
                value,
                commitEvery,
                commitInterval,
                decodeTimeout,
                maxPixels,
                maxFileBytes,
                maxReportedFailures,
                captions);
    }

    public IngestOptions withCommitEvery(int value) {
        return new IngestOptions(
                source,
                prune,
                batchSize,
                workers,
                value,
                commitInterval,
                decodeTimeout,
                maxPixels,
                maxFileBytes,
                maxReportedFailures,
                captions);
    }

    public IngestOptions withCommitInterval(Duration value) {
        return new IngestOptions(
                source,
                prune,
                batchSize,
                workers,
                commitEvery,
                value,
                decodeTimeout,
                maxPixels,
                maxFileBytes,
                maxReportedFailures,
                captions);
    }

    public IngestOptions withDecodeTimeout(Duration value) {
        return new IngestOptions(
                source,
                prune,
                batchSize,
                workers,
                commitEvery,
                commitInterval,
                value,
                maxPixels,
                maxFileBytes,
                maxReportedFailures,
                captions);
    }

    public IngestOptions withMaxPixels(long value) {
        return new IngestOptions(
                source,
                prune,
                batchSize,
                workers,
                commitEvery,
                commitInterval,
                decodeTimeout,
                value,
                maxFileBytes,
                maxReportedFailures,
                captions);
    }

    public IngestOptions withMaxFileBytes(long value) {
        return new IngestOptions(
                source,
                prune,
                batchSize,
                workers,
                commitEvery,
                commitInterval,
                decodeTimeout,
                maxPixels,
                value,
                maxReportedFailures,
                captions);
    }

    public IngestOptions withCaptions(ImageCaptions value) {
        return new IngestOptions(
                source,
                prune,
                batchSize,
                workers,
                commitEvery,
                commitInterval,
                decodeTimeout,
                maxPixels,
                maxFileBytes,
                maxReportedFailures,
                value);
    }

    private static void requireRange(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + ": " + value + " is not in [" + min + ", " + max + "]");
        }
    }

    private static void requirePositive(String name, Duration value) {
        if (value == null || value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(name + ": " + value + " must be positive");
        }
    }
}
