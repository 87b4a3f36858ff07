package io.koclip.search.ingest;

import io.koclip.search.image.DecodeOptions;
import io.koclip.search.image.ImageDecoder;
import io.koclip.search.index.IndexModelMismatchException;
import io.koclip.search.index.ModelIdentity;
import io.koclip.search.index.VectorIndex;
import io.koclip.search.model.ClipModel;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bulk ingestion of an image folder into a {@link VectorIndex}: incremental, resumable, and unharmed
 * by hostile folders. Used by the {@code ingest} command and by the REST admin API.
 *
 * <h2>Pipeline</h2>
 *
 * <pre>
 * scan ─► N workers: read + SHA-256, look up ({@code ReadStage}), decode within the memory and time
 *         budgets, preprocess ({@code DecodeStage}) ─► encoder: batches of B, one ONNX session
 *         ({@code EncodeStage}) ─► writer: upsertAll per batch, commits ({@code WriteStage})
 * </pre>
 *
 * Stages are connected by bounded, typed hand-offs, so memory stays bounded on any folder and a slow
 * stage slows the ones before it ({@code IngestRun} wires them). The report breaks the time down by
 * stage and says whether the encoder waited for decoding ({@code encoderIdle}) or the workers for the
 * encoder ({@code workersBlocked}).
 *
 * <h2>Incremental</h2>
 *
 * Documents are keyed by an id derived from the file's path relative to the source root
 * ({@link io.koclip.search.index.DocumentIds}) and written with {@code upsert}. The index itself is the
 * incremental state (no side file): a file whose indexed document has the same path, size and mtime
 * is <em>unchanged</em> and skipped without being read. Otherwise the file is read and hashed
 * (SHA-256); bytes already embedded under another name (or before a touch) are not decoded again:
 * the document copies that embedding ({@code duplicates}). A changed file that no longer decodes loses
 * its old document. {@link IngestOptions#prune()} removes documents whose file is gone (not when the
 * whole source is empty, which is likelier an unmounted disk).
 *
 * <h2>Checkpoint and crash safety</h2>
 *
 * The writer commits durably every {@link IngestOptions#commitEvery()} documents or
 * {@link IngestOptions#commitInterval()}, and once at the end. Each commit records
 * the checkpoint ({@link io.koclip.search.index.IndexMetadata#checkpoint()}), a JSON object: {@code run} (a UUID per run), {@code source},
 * {@code started}, {@code committed} (ISO-8601 instants), {@code indexed} and {@code failed} (counts
 * of this run so far), {@code complete} (true only on the final commit of a run that was not
 * cancelled) and {@code cancelled}. An index commit is atomic: after kill -9 at any moment the index
 * opens at the last commit and passes CheckIndex. The next run finds the committed documents
 * unchanged and redoes the rest; since documents are upserted by path-derived id, nothing is ever
 * duplicated, and every file ends up indexed exactly once. A run that starts on an incomplete
 * checkpoint reports {@code resumed: true}.
 *
 * <h2>Failures</h2>
 *
 * A file that cannot be indexed (empty, not an image, truncated, corrupt, over the pixel or byte cap,
 * over its decode time budget, unreadable, or rejected by the model) is one entry in the report with
 * a precise reason, and the job goes on. Only problems of the index itself (I/O errors writing it)
 * end the job, with an exception; what was committed stays committed.
 *
 * <h2>Threads</h2>
 *
 * {@link #run} blocks the calling thread, which delivers progress to the listener about four times a
 * second; one run at a time per job. {@link #progress()} may be called from any thread. Cancellation
 * is cooperative: when the flag passed to {@code run} turns true, scanning stops, the images in flight
 * are finished and committed, and the report says {@code cancelled}.
 */
public final class IngestJob {
    private static final Logger log = LoggerFactory.getLogger(IngestJob.class);

    private final ImageEmbedder embedder;
    private final Decoder decoder;
    private final ContentReader reader;
    private final VectorIndex index;
    private final IngestOptions options;
    private final @Nullable ModelIdentity model;
    private final AtomicReference<@Nullable IngestRun> current = new AtomicReference<>();

    /** A job that embeds with {@code model}'s image tower into {@code index}; neither is closed by the job. */
    public IngestJob(ClipModel model, VectorIndex index, IngestOptions options) {
        this(model, index, options, DecodeOptions.DEFAULT);
    }

    /**
     * A job that decodes with {@code decoding} ({@code --decoder}, {@code --decode}): with {@link
     * DecodeOptions.Shrink#FAST} JPEGs decode smaller, and the index still records each file's own size.
     */
    public IngestJob(ClipModel model, VectorIndex index, IngestOptions options, DecodeOptions decoding) {
        this(
                ImageEmbedder.of(model),
                Decoder.of(new ImageDecoder(options.maxPixels(), options.decodeTimeout(), decoding)),
                ContentReader.FILES,
                index,
                options,
                ModelIdentity.of(model.bundle()));
    }

    /** A job with any embedder (another model runtime, or a test fake). */
    public IngestJob(ImageEmbedder embedder, VectorIndex index, IngestOptions options) {
        this(
                embedder,
                Decoder.of(new ImageDecoder(options.maxPixels(), options.decodeTimeout())),
                ContentReader.FILES,
                index,
                options,
                null);
    }

    IngestJob(ImageEmbedder embedder, Decoder decoder, ContentReader reader, VectorIndex index, IngestOptions options) {
        this(embedder, decoder, reader, index, options, null);
    }

    private IngestJob(
            ImageEmbedder embedder,
            Decoder decoder,
            ContentReader reader,
            VectorIndex index,
            IngestOptions options,
            @Nullable ModelIdentity model) {
        this.model = model;
        this.embedder = embedder;
        this.decoder = decoder;
        this.reader = reader;
        this.index = index;
        this.options = options;
    }

    public IngestOptions options() {
        return options;
    }

    /**
     * Runs the job to the end (or until cancelled) and commits.
     *
     * @param listener receives progress and failures on the calling thread
     * @param cancelRequested polled about four times a second; true stops the run cooperatively
     * @throws IllegalArgumentException if the source is not a folder
     * @throws IllegalStateException if this job is already running
     * @throws IndexModelMismatchException if the index records another model than the job's
     * @throws IOException if the index cannot be written (what was committed stays)
     */
    public IngestReport run(ProgressListener listener, BooleanSupplier cancelRequested) throws IOException {
        if (model != null) {
            index.metadata().model().requireSame(model, String.valueOf(index));
        }
        IngestRun run = new IngestRun(embedder, decoder, reader, index, options, cancelRequested);
        IngestRun previous = current.get();
        if (previous != null && previous.progress().phase() != IngestProgress.Phase.FINISHED) {
            throw new IllegalStateException("this ingest job is already running");
        }
        if (!current.compareAndSet(previous, run)) {
            throw new IllegalStateException("this ingest job is already running");
        }
        log.info(
                "ingest {} with model {} ({} workers, batch {}){}",
                options.source(),
                embedder.modelName(),
                options.workers(),
                options.batchSize(),
                options.prune() ? ", pruning" : "");
        IngestReport report = run.run(listener);
        log.info(
                "ingest done in {} s: {} scanned, {} indexed ({} encoded, {} duplicates), {} unchanged, {} failed,"
                        + " {} pruned, {} documents",
                report.seconds(),
                report.scanned(),
                report.indexed(),
                report.encoded(),
                report.duplicates(),
                report.unchanged(),
                report.failed(),
                report.pruned(),
                report.documents());
        return report;
    }

    /** Runs without a listener or cancellation. */
    public IngestReport run() throws IOException {
        return run(ProgressListener.NONE, () -> false);
    }

    /** A snapshot of the current (or last) run; {@link IngestProgress.Phase#IDLE} before the first. */
    public IngestProgress progress() {
        IngestRun run = current.get();
        return run == null ? IngestProgress.IDLE : run.progress();
    }
}
