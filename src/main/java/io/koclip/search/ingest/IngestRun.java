package io.koclip.search.ingest;

import io.koclip.search.index.VectorIndex;
import io.koclip.search.text.ImageTextReader;
import io.koclip.search.text.TextLimits;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of an {@link IngestJob}: wires the stages, runs each on its own thread(s), delivers progress
 * and, after the pipeline, prunes and makes the final commit. See {@link IngestJob} for the design.
 *
 * <pre>
 * scan ──files(256)──► N workers ──────────tensors(2B)──► encode ──writes(4B)──► write ──► index
 * SourceScanner        ReadStage: look up, read, hash,    Batcher,    WriteStage: upsertAll,
 *                      text; DecodeStage: budget, decode, EncodeStage CommitPolicy, checkpoint
 *                      preprocess   └──── copies of known bytes ────────┘
 * </pre>
 *
 * <p>Every hand-off ({@link Handoff}) is bounded, so a slow stage blocks the stages before it
 * (backpressure) and memory stays bounded whatever the folder: at most N decoded images (and the
 * {@link DecodeMemory} budget), 2B tensors and 4B vectors exist at once. Read/hash and decode share a
 * worker thread: a hand-off between them would only hold more file bytes in memory. Counters and timings
 * go to one {@link IngestMetrics}; a fatal error in any stage ({@link IngestControl}) aborts the others.
 */
final class IngestRun {
    private static final Logger log = LoggerFactory.getLogger(IngestRun.class);
    private static final int FILES_WAITING = 256;

    private final IngestOptions options;
    private final VectorIndex index;
    private final String model;
    private final SourceScanner scanner;
    private final IngestControl control;
    private final IngestMetrics metrics;
    private final Failures failures;
    private final Handoff<SourceScanner.ScannedFile> files;
    private final Handoff<DecodeStage.Prepared> tensors;
    private final Handoff<WriteStage.Write> writes;
    private final IndexLookup lookup;
    private final ReadStage read;
    private final DecodeStage decode;
    private final EncodeStage encode;
    private final WriteStage write;

    IngestRun(
            ImageEmbedder embedder,
            Decoder decoder,
            ContentReader reader,
            VectorIndex index,
            IngestOptions options,
            BooleanSupplier cancelRequested)
            throws IOException {
        this.options = options;
        this.index = index;
        this.model = embedder.modelName();
        this.scanner = new SourceScanner(options.source());
        this.control = new IngestControl(cancelRequested);
        this.metrics = new IngestMetrics(options.maxReportedFailures());
        ContentTable contents = new ContentTable(index);
        this.failures = new Failures(index, contents, metrics);
        int batch = options.batchSize();
        int workers = options.workers();
        this.files = new Handoff<>("files", FILES_WAITING, 1, control);
        this.tensors = new Handoff<>("tensors", 2 * batch, workers, control);
        // Producers of writes: every worker (copies of known bytes) and the encoder.
        this.writes = new Handoff<>("writes", 4 * batch, workers + 1, WriteStage.Write::documents, control);
        this.lookup = new IndexLookup(index);
        this.read = new ReadStage(
                index,
                lookup,
                reader,
                contents,
                failures,
                metrics,
                writes,
                options.maxFileBytes(),
                new ImageTextReader(TextLimits.DEFAULT, options.captions().lookup()));
        this.decode = new DecodeStage(
                decoder,
                embedder,
                DecodeMemory.forHeap(Runtime.getRuntime().maxMemory()),
                options.decodeTimeout(),
                failures,
                metrics,
                tensors);
        this.encode = new EncodeStage(embedder, tensors, batch, writes, failures, metrics);
        this.write = new WriteStage(
                index,
                writes,
                contents,
                failures,
                metrics,
                control,
                options,
                scanner.root().toString());
    }

    IngestReport run(ProgressListener listener) throws IOException {
        metrics.started();
        boolean resumed = IngestCheckpoint.interrupted(index.metadata().checkpoint());
        if (resumed) {
            log.info("the previous ingest into this index did not finish; resuming (unchanged files are skipped)");
        }
        List<Thread> threads = new ArrayList<>();
        threads.add(control.thread("koclip-ingest-scan", this::scan));
        for (int i = 0; i < options.workers(); i++) {
            threads.add(control.thread("koclip-ingest-worker-" + i, this::work));
        }
        threads.add(control.thread("koclip-ingest-encode", encode::run));
        Thread writer = control.thread("koclip-ingest-write", write::run);
        threads.add(writer);
        try (decode) {
            threads.forEach(Thread::start);
            while (writer.isAlive()) {
                writer.join(250);
                control.pollCancellation();
                deliver(listener);
            }
            for (Thread t : threads) {
                t.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            control.fail("run", e);
            threads.forEach(Thread::interrupt);
        }
        if (control.failed()) {
            metrics.finished();
            deliver(listener);
            try {
                control.rethrowFatal();
            } catch (IOException e) {
                throw failed(resumed, e);
            }
        }
        long documents;
        try {
            if (options.prune() && !control.cancelled()) {
                metrics.phase(IngestProgress.Phase.PRUNING);
                deliver(listener);
                metrics.pruned.addAndGet(new Pruner(index, scanner).prune(metrics.scanned.get()));
            }
            metrics.phase(IngestProgress.Phase.COMMITTING);
            deliver(listener);
            write.commit(!control.cancelled());
            index.refresh();
            documents = index.stats().documents();
        } catch (IOException e) {
            metrics.finished();
            deliver(listener);
            throw failed(resumed, e);
        }
        metrics.finished();
        deliver(listener);
        return metrics.report(scanner.root().toString(), model, control.cancelled(), resumed, documents);
    }

    /** The index could not be written: the report so far and what was not indexed. */
    private IngestFailedException failed(boolean resumed, IOException cause) {
        IngestReport partial = metrics.report(scanner.root().toString(), model, control.cancelled(), resumed, -1);
        IngestFailedException failure = new IngestFailedException(
                partial, write.committed(), metrics.progress().scanComplete(), cause);
        log.error("ingest stopped: {}", failure.getMessage());
        return failure;
    }

    IngestProgress progress() {
        return metrics.progress();
    }

    /** Stage 1: the walk, feeding the workers. */
    private void scan() throws InterruptedException {
        try {
            scanner.walk(
                    new SourceScanner.Visitor() {
                        @Override
                        public void file(SourceScanner.ScannedFile file) throws InterruptedException {
                            metrics.scanned.incrementAndGet();
                            for (SourceScanner.ScannedFile looked : lookup.add(file)) {
                                files.put(looked, null);
                            }
                        }

                        @Override
                        public void unreadable(String relativePath, IOException error) {
                            failures.path(relativePath, IngestFailure.Code.UNREADABLE, Failures.describe(error));
                        }
                    },
                    control::stopping);
            for (SourceScanner.ScannedFile looked : lookup.flush()) {
                files.put(looked, null);
            }
        } finally {
            metrics.scanComplete();
            files.producerDone();
        }
    }

    /** Stages 2 and 3 on one worker thread, file after file; after a cancel, drains without working. */
    private void work() throws InterruptedException, IOException {
        try {
            SourceScanner.ScannedFile file;
            while ((file = files.take()) != null) {
                if (control.cancelled()) {
                    continue;
                }
                try {
                    process(file);
                } catch (RuntimeException e) {
                    if (e instanceof IngestControl.Aborted) {
                        throw e;
                    }
                    log.warn("unexpected error on {}", file.relativePath(), e);
                    failures.path(file.relativePath(), IngestFailure.Code.INTERNAL_ERROR, "unexpected error: " + e);
                }
            }
        } finally {
            tensors.producerDone();
            writes.producerDone();
        }
    }

    private void process(SourceScanner.ScannedFile file) throws InterruptedException, IOException {
        ReadStage.Hashed hashed = read.read(file);
        if (hashed == null) {
            return;
        }
        // A leader: from here on every exit must settle the claim, or its followers would wait forever.
        boolean settled = false;
        try {
            decode.decode(hashed);
            settled = true;
        } finally {
            if (!settled) {
                failures.abandonedLeader(hashed.file(), hashed.hash());
            }
        }
    }

    private void deliver(ProgressListener listener) {
        try {
            metrics.drainFailures(listener::onFailure);
            listener.onProgress(metrics.progress());
        } catch (RuntimeException e) {
            log.warn("progress listener failed", e);
        }
    }
}
