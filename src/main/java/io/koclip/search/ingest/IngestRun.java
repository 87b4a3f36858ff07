package io.koclip.search.ingest;

import io.koclip.search.image.DecodedImage;
import io.koclip.search.image.ImageRejectedException;
import io.koclip.search.index.DocumentIds;
import io.koclip.search.index.ImageDocument;
import io.koclip.search.index.IndexedFile;
import io.koclip.search.index.VectorIndex;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * One run of an {@link IngestJob}: the pipeline and its counters. See {@link IngestJob} for the
 * design; this class is the machinery.
 *
 * <pre>
 * scanner ──files(256)──► N workers ──tensors(2B)──► encoder ──writes(4B)──► writer ──► index
 *  walk        read, hash, look up,     batch of ≤ B,        upsert, followers,
 *              decode (budget),         one session          commits + checkpoint
 *              preprocess      └──────── duplicates (no decode) ──────────┘
 * </pre>
 *
 * <p>Every queue is bounded, so a slow stage blocks the stages before it (backpressure) and memory
 * stays bounded whatever the folder: at most N decoded images, 2B tensors and 4B vectors exist at once.
 * Blocking calls wake up every 100 ms to notice a fatal error in another stage.
 */
final class IngestRun {
    private static final Logger log = LoggerFactory.getLogger(IngestRun.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final Object END = new Object();
    private static final long WAKE_MILLIS = 100;
    /** How long the encoder waits for a batch to fill once it has one image. */
    private static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    /** A scanned file, with its id and whether the index already had (another version of) it. */
    record FileMeta(SourceScanner.ScannedFile file, String id, boolean replacesDocument) {
        String path() {
            return file.relativePath();
        }
    }

    /** Decoded and preprocessed, waiting for the encoder. */
    private record Prepared(
            FileMeta meta, String hash, long bytes, float[] tensor, int width, int height, String format) {}

    /** Encoded, waiting for the writer (the tensor is gone). */
    private record Embedded(
            FileMeta meta, String hash, long bytes, int width, int height, String format, float[] vector) {
        ImageDocument document() {
            return new ImageDocument(
                    meta.id(),
                    meta.path(),
                    hash,
                    width,
                    height,
                    bytes,
                    meta.file().modified(),
                    format,
                    null,
                    vector);
        }
    }

    /** A document whose vector was copied from identical bytes. */
    private record Duplicate(ImageDocument document) {}

    private static final class Aborted extends RuntimeException {
        Aborted() {
            super(null, null, false, false);
        }
    }

    private final ImageEmbedder embedder;
    private final Decoder decoder;
    private final ContentReader reader;
    private final VectorIndex index;
    private final IngestOptions options;
    private final BooleanSupplier cancelRequested;
    private final ContentTable contents;
    private final SourceScanner scanner;

    private final BlockingQueue<Object> files = new ArrayBlockingQueue<>(256);
    private final BlockingQueue<Object> tensors;
    private final BlockingQueue<Object> writes;
    private final AtomicInteger activeWorkers = new AtomicInteger();
    private final AtomicReference<@Nullable Throwable> fatal = new AtomicReference<>();
    private volatile boolean cancelled;
    private volatile boolean scanComplete;
    private volatile IngestProgress.Phase phase = IngestProgress.Phase.IDLE;
    private volatile long startNanos;
    private volatile long endNanos;

    private final AtomicLong scanned = new AtomicLong();
    private final AtomicLong unchanged = new AtomicLong();
    private final AtomicLong indexed = new AtomicLong();
    private final AtomicLong encoded = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong pruned = new AtomicLong();
    private final LongAdder readNanos = new LongAdder();
    private final LongAdder decodeNanos = new LongAdder();
    private final LongAdder preprocessNanos = new LongAdder();
    private final LongAdder encodeNanos = new LongAdder();
    private final LongAdder indexNanos = new LongAdder();
    private final LongAdder commitNanos = new LongAdder();
    private final LongAdder encoderIdleNanos = new LongAdder();
    private final LongAdder workersBlockedNanos = new LongAdder();
    private final LongAdder memoryWaitNanos = new LongAdder();

    private final List<IngestFailure> failures = new ArrayList<>(); // guarded by itself
    private final Queue<IngestFailure> failureEvents = new ConcurrentLinkedQueue<>();

    // Checkpoint state (writer thread, then the run thread after the writer has ended).
    private final String runId = UUID.randomUUID().toString();
    private final Instant started = Instant.now();
    private long writtenSinceCommit;
    private long lastCommitNanos;

    private final DecodeMemory memory =
            DecodeMemory.forHeap(Runtime.getRuntime().maxMemory());
    private final ExecutorService decodePool = Executors.newCachedThreadPool(daemonThreads("koclip-ingest-decode-"));

    IngestRun(
            ImageEmbedder embedder,
            Decoder decoder,
            ContentReader reader,
            VectorIndex index,
            IngestOptions options,
            BooleanSupplier cancelRequested)
            throws IOException {
        this.embedder = embedder;
        this.decoder = decoder;
        this.reader = reader;
        this.index = index;
        this.options = options;
        this.cancelRequested = cancelRequested;
        this.contents = new ContentTable(index);
        this.scanner = new SourceScanner(options.source());
        this.tensors = new ArrayBlockingQueue<>(2 * options.batchSize());
        this.writes = new ArrayBlockingQueue<>(4 * options.batchSize());
    }

    IngestReport run(ProgressListener listener) throws IOException {
        startNanos = System.nanoTime();
        lastCommitNanos = startNanos;
        phase = IngestProgress.Phase.INGESTING;
        boolean resumed = previousRunInterrupted();
        if (resumed) {
            log.info("the previous ingest into this index did not finish; resuming (unchanged files are skipped)");
        }
        List<Thread> threads = new ArrayList<>();
        threads.add(stage("koclip-ingest-scan", this::scan));
        activeWorkers.set(options.workers());
        for (int i = 0; i < options.workers(); i++) {
            threads.add(stage("koclip-ingest-worker-" + i, this::work));
        }
        threads.add(stage("koclip-ingest-encode", this::encode));
        Thread writer = stage("koclip-ingest-write", this::write);
        threads.add(writer);
        try {
            threads.forEach(Thread::start);
            while (writer.isAlive()) {
                writer.join(250);
                if (!cancelled && cancelRequested.getAsBoolean()) {
                    cancelled = true;
                    log.info("ingest cancelled: finishing the images in flight");
                }
                deliver(listener);
            }
            for (Thread t : threads) {
                t.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fatal.compareAndSet(null, e);
            threads.forEach(Thread::interrupt);
        } finally {
            decodePool.shutdownNow();
        }
        Throwable failure = fatal.get();
        if (failure != null) {
            phase = IngestProgress.Phase.FINISHED;
            endNanos = System.nanoTime();
            deliver(listener);
            if (failure instanceof IOException io) {
                throw io;
            }
            if (failure instanceof UncheckedIOException io) {
                throw io.getCause();
            }
            if (failure instanceof RuntimeException re) {
                throw re;
            }
            if (failure instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException("ingest interrupted", failure);
        }
        if (options.prune() && !cancelled) {
            phase = IngestProgress.Phase.PRUNING;
            deliver(listener);
            prune();
        }
        phase = IngestProgress.Phase.COMMITTING;
        deliver(listener);
        commit(!cancelled);
        index.refresh();
        long documents = index.stats().documents();
        endNanos = System.nanoTime();
        phase = IngestProgress.Phase.FINISHED;
        deliver(listener);
        return report(resumed, documents);
    }

    // ---- scanner -------------------------------------------------------------------------------

    private void scan() throws InterruptedException {
        try {
            scanner.walk(
                    new SourceScanner.Visitor() {
                        @Override
                        public void file(SourceScanner.ScannedFile file) throws InterruptedException {
                            scanned.incrementAndGet();
                            put(files, file, null);
                        }

                        @Override
                        public void unreadable(String relativePath, IOException error) {
                            fail(relativePath, IngestFailure.Code.UNREADABLE, describe(error));
                        }
                    },
                    () -> cancelled || fatal.get() != null);
        } finally {
            scanComplete = true;
            for (int i = 0; i < options.workers(); i++) {
                put(files, END, null);
            }
        }
    }

    // ---- workers -------------------------------------------------------------------------------

    private void work() throws InterruptedException, IOException {
        try {
            while (true) {
                Object item = take(files);
                if (item == END) {
                    break;
                }
                if (cancelled) {
                    continue; // drain without working
                }
                SourceScanner.ScannedFile file = (SourceScanner.ScannedFile) item;
                try {
                    process(file);
                } catch (RuntimeException e) {
                    if (e instanceof Aborted) {
                        throw e;
                    }
                    log.warn("unexpected error on {}", file.relativePath(), e);
                    fail(file.relativePath(), IngestFailure.Code.INTERNAL_ERROR, "unexpected error: " + e);
                }
            }
        } finally {
            if (activeWorkers.decrementAndGet() == 0) {
                put(tensors, END, null);
            }
        }
    }

    private void process(SourceScanner.ScannedFile file) throws InterruptedException, IOException {
        String id = DocumentIds.forPath(file.relativePath());
        IndexedFile existing = index.indexedFile(id).orElse(null);
        if (existing != null
                && existing.bytes() == file.size()
                && existing.modified() == file.modified()
                && existing.path().equals(file.relativePath())) {
            unchanged.incrementAndGet();
            return;
        }
        FileMeta meta = new FileMeta(file, id, existing != null);
        if (file.size() > options.maxFileBytes()) {
            fail(
                    meta,
                    IngestFailure.Code.FILE_TOO_LARGE,
                    "file is " + file.size() + " bytes, over the cap of " + options.maxFileBytes() + " bytes");
            return;
        }
        long t0 = System.nanoTime();
        byte[] bytes;
        try {
            bytes = reader.read(file.file());
        } catch (IOException e) {
            fail(meta, IngestFailure.Code.UNREADABLE, describe(e));
            return;
        } catch (OutOfMemoryError e) {
            fail(meta, IngestFailure.Code.FILE_TOO_LARGE, "not enough memory to read " + file.size() + " bytes");
            return;
        }
        String hash = sha256(bytes);
        readNanos.add(System.nanoTime() - t0);

        ContentTable.Claim claim = contents.claim(hash, meta);
        if (claim instanceof ContentTable.Known known) {
            put(writes, new Duplicate(copy(meta, hash, bytes.length, known.source())), null);
            return;
        }
        if (claim instanceof ContentTable.Follower) {
            return;
        }
        // Leader: from here on every exit must release the claim, or followers would wait forever.
        boolean released = false;
        try {
            lead(meta, hash, bytes);
            released = true;
        } finally {
            if (!released) {
                for (FileMeta follower : contents.failed(hash)) {
                    fail(
                            follower,
                            IngestFailure.Code.INTERNAL_ERROR,
                            "identical bytes to '" + meta.path() + "', whose processing was interrupted");
                }
            }
        }
    }

    /** Decodes, preprocesses and hands over to the encoder; or fails the file and its followers. */
    private void lead(FileMeta meta, String hash, byte[] bytes) throws InterruptedException, IOException {
        // Decoded pixels are the big allocation: reserve their heap first, so that N workers on huge
        // images wait for each other instead of running out of memory together.
        int reserved = memory.reserve(decoder.decodeMemoryEstimate(bytes), memoryWaitNanos);
        AtomicInteger decodeState = new AtomicInteger(DECODING);
        try {
            long t1 = System.nanoTime();
            DecodedImage image;
            try {
                image = decodeWithBudget(bytes, decodeState, reserved);
            } catch (ImageRejectedException e) {
                failLeader(meta, hash, IngestFailure.Code.of(e.reason()), e.getMessage());
                return;
            } finally {
                decodeNanos.add(System.nanoTime() - t1);
            }
            long t2 = System.nanoTime();
            float[] tensor;
            try {
                tensor = embedder.preprocess(image.rgb());
            } catch (RuntimeException e) {
                failLeader(meta, hash, IngestFailure.Code.CORRUPT, "preprocessing failed: " + e);
                return;
            } finally {
                preprocessNanos.add(System.nanoTime() - t2);
            }
            Prepared prepared =
                    new Prepared(meta, hash, bytes.length, tensor, image.width(), image.height(), image.format());
            image = null; // let the decoded pixels go before blocking on a full queue
            memory.release(reserved);
            reserved = 0;
            put(tensors, prepared, workersBlockedNanos);
        } finally {
            // An abandoned decode still runs and holds its pixels: its thread releases the reservation.
            if (reserved > 0 && decodeState.get() != ABANDONED) {
                memory.release(reserved);
            }
        }
    }

    private static final int DECODING = 0;
    private static final int DECODED = 1;
    private static final int ABANDONED = 2;

    private DecodedImage decodeWithBudget(byte[] bytes, AtomicInteger state, int reserved)
            throws ImageRejectedException, InterruptedException {
        Duration budget = options.decodeTimeout();
        Future<DecodedImage> decoding = decodePool.submit(() -> {
            try {
                return decoder.decode(bytes, budget);
            } finally {
                if (!state.compareAndSet(DECODING, DECODED)) {
                    memory.release(reserved); // the worker gave up on this decode
                }
            }
        });
        // The decoder enforces the budget itself; this is the backstop for a decoder that does not return.
        long waitMillis = budget.toMillis() + Math.max(1000, budget.toMillis() / 2);
        try {
            return decoding.get(waitMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            if (!state.compareAndSet(DECODING, ABANDONED)) {
                // It finished just now; ignore the result all the same, the budget is spent.
                log.debug("decode finished at the deadline; discarded");
            }
            decoding.cancel(true);
            throw new ImageRejectedException(
                    ImageRejectedException.Reason.TIMEOUT,
                    "decoding took longer than its budget of " + seconds(budget) + "; abandoned");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof ImageRejectedException rejected) {
                throw rejected;
            }
            if (cause instanceof OutOfMemoryError) {
                throw new ImageRejectedException(
                        ImageRejectedException.Reason.TOO_LARGE,
                        "not enough memory to decode this image (" + bytes.length + " bytes)");
            }
            throw new ImageRejectedException(ImageRejectedException.Reason.CORRUPT, "decoder failed: " + cause, cause);
        }
    }

    // ---- encoder -------------------------------------------------------------------------------

    private void encode() throws InterruptedException, IOException {
        int batchSize = options.batchSize();
        List<Prepared> batch = new ArrayList<>(batchSize);
        boolean end = false;
        while (!end) {
            long t0 = System.nanoTime();
            Object first = take(tensors);
            if (first == END) {
                encoderIdleNanos.add(System.nanoTime() - t0);
                break;
            }
            batch.add((Prepared) first);
            long deadline = System.nanoTime() + LINGER_NANOS;
            while (batch.size() < batchSize) {
                Object next = tensors.poll();
                if (next == null) {
                    long remaining = deadline - System.nanoTime();
                    if (remaining <= 0 || (next = tensors.poll(remaining, TimeUnit.NANOSECONDS)) == null) {
                        break;
                    }
                }
                if (next == END) {
                    end = true;
                    break;
                }
                batch.add((Prepared) next);
            }
            encoderIdleNanos.add(System.nanoTime() - t0);
            encodeBatch(batch);
            batch.clear();
        }
        put(writes, END, null);
    }

    private void encodeBatch(List<Prepared> batch) throws InterruptedException, IOException {
        List<float[]> inputs = new ArrayList<>(batch.size());
        for (Prepared p : batch) {
            inputs.add(p.tensor());
        }
        float[][] vectors;
        long t0 = System.nanoTime();
        try {
            vectors = embedder.encode(inputs);
        } catch (RuntimeException e) {
            encodeNanos.add(System.nanoTime() - t0);
            if (batch.size() == 1) {
                Prepared p = batch.get(0);
                failLeader(p.meta(), p.hash(), IngestFailure.Code.ENCODE_FAILED, "the model failed: " + e.getMessage());
                return;
            }
            log.warn("encoder failed on a batch of {}; encoding its images one by one: {}", batch.size(), e.toString());
            for (Prepared p : batch) {
                encodeBatch(List.of(p));
            }
            return;
        }
        encodeNanos.add(System.nanoTime() - t0);
        if (vectors.length != batch.size()) {
            throw new IllegalStateException(
                    "the encoder returned " + vectors.length + " vectors for " + batch.size() + " images");
        }
        encoded.addAndGet(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            Prepared p = batch.get(i);
            put(
                    writes,
                    new Embedded(p.meta(), p.hash(), p.bytes(), p.width(), p.height(), p.format(), vectors[i]),
                    null);
        }
    }

    // ---- writer --------------------------------------------------------------------------------

    private void write() throws InterruptedException, IOException {
        long intervalNanos = options.commitInterval().toNanos();
        while (true) {
            long untilCommit = lastCommitNanos + intervalNanos - System.nanoTime();
            Object item = writes.poll(
                    Math.max(1, Math.min(untilCommit, TimeUnit.MILLISECONDS.toNanos(WAKE_MILLIS))),
                    TimeUnit.NANOSECONDS);
            if (fatal.get() != null) {
                return;
            }
            if (item == END) {
                return; // the run thread prunes and makes the final commit
            }
            if (item instanceof Embedded embedded) {
                writeLeader(embedded);
            } else if (item instanceof Duplicate duplicate) {
                if (upsert(duplicate.document(), null, null)) {
                    duplicates.incrementAndGet();
                }
            }
            if (writtenSinceCommit >= options.commitEvery()
                    || (writtenSinceCommit > 0 && System.nanoTime() - lastCommitNanos >= intervalNanos)) {
                commit(false);
            } else if (contents.needsRefresh()) {
                contents.refreshed();
            }
        }
    }

    private void writeLeader(Embedded embedded) throws IOException {
        ImageDocument document = embedded.document();
        if (!upsert(document, embedded.meta(), embedded.hash())) {
            return;
        }
        for (FileMeta follower : contents.completed(embedded.hash(), document)) {
            if (upsert(copy(follower, embedded.hash(), embedded.bytes(), document), follower, null)) {
                duplicates.incrementAndGet();
            }
        }
    }

    /** Writes one document; an invalid one (a bad embedding) is a failure of its file, not of the job. */
    private boolean upsert(ImageDocument document, @Nullable FileMeta meta, @Nullable String leaderHash)
            throws IOException {
        long t0 = System.nanoTime();
        try {
            index.upsert(document);
        } catch (IllegalArgumentException e) {
            if (leaderHash != null && meta != null) {
                failLeader(meta, leaderHash, IngestFailure.Code.ENCODE_FAILED, "invalid embedding: " + e.getMessage());
            } else {
                fail(document.path(), IngestFailure.Code.ENCODE_FAILED, "invalid embedding: " + e.getMessage());
            }
            return false;
        } finally {
            indexNanos.add(System.nanoTime() - t0);
        }
        indexed.incrementAndGet();
        writtenSinceCommit++;
        return true;
    }

    private static ImageDocument copy(FileMeta meta, String hash, long bytes, ImageDocument source) {
        return new ImageDocument(
                meta.id(),
                meta.path(),
                hash,
                source.width(),
                source.height(),
                bytes,
                meta.file().modified(),
                source.format(),
                null,
                source.vector());
    }

    /** A durable commit with the checkpoint; then the content table's view is refreshed. */
    private void commit(boolean complete) throws IOException {
        long t0 = System.nanoTime();
        Map<String, Object> checkpoint = new LinkedHashMap<>();
        checkpoint.put("run", runId);
        checkpoint.put("source", scanner.root().toString());
        checkpoint.put("started", started.toString());
        checkpoint.put("committed", Instant.now().toString());
        checkpoint.put("indexed", indexed.get());
        checkpoint.put("failed", failed.get());
        checkpoint.put("complete", complete);
        if (cancelled) {
            checkpoint.put("cancelled", true);
        }
        index.commit(JSON.writeValueAsString(checkpoint));
        contents.refreshed();
        writtenSinceCommit = 0;
        lastCommitNanos = System.nanoTime();
        commitNanos.add(lastCommitNanos - t0);
        log.debug("committed: {} documents written so far", indexed.get());
    }

    private boolean previousRunInterrupted() throws IOException {
        String checkpoint = index.metadata().checkpoint();
        if (checkpoint == null) {
            return false;
        }
        try {
            return !JSON.readTree(checkpoint).path("complete").asBoolean(false);
        } catch (RuntimeException e) {
            return true;
        }
    }

    // ---- prune ---------------------------------------------------------------------------------

    private void prune() throws IOException {
        index.refresh();
        if (scanned.get() == 0 && index.stats().documents() > 0) {
            // An empty source is far more often an unmounted disk than a deliberate deletion of everything.
            log.warn("not pruning: the source {} has no images at all; delete the index to start over", scanner.root());
            return;
        }
        List<String> gone = new ArrayList<>();
        index.forEachIndexedFile(file -> {
            if (!scanner.stillPresent(file.path())) {
                gone.add(file.id());
            }
        });
        index.deleteAll(gone);
        pruned.addAndGet(gone.size());
    }

    // ---- failures ------------------------------------------------------------------------------

    private void failLeader(FileMeta meta, String hash, IngestFailure.Code code, String reason) throws IOException {
        fail(meta, code, reason);
        for (FileMeta follower : contents.failed(hash)) {
            fail(follower, code, reason + " (identical bytes to '" + meta.path() + "')");
        }
    }

    private void fail(FileMeta meta, IngestFailure.Code code, String reason) throws IOException {
        if (meta.replacesDocument()) {
            // The file changed and its new content cannot be indexed: the old embedding no longer describes it.
            index.delete(meta.id());
        }
        fail(meta.path(), code, reason);
    }

    private void fail(String path, IngestFailure.Code code, String reason) {
        IngestFailure failure = IngestFailure.of(path, code, reason);
        failed.incrementAndGet();
        synchronized (failures) {
            if (failures.size() < options.maxReportedFailures()) {
                failures.add(failure);
            }
        }
        failureEvents.add(failure);
        log.debug("failed: {}: {}", path, reason);
    }

    static String describe(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "cannot read: the file is gone (deleted or moved since the scan)";
        }
        if (e instanceof AccessDeniedException) {
            return "cannot read: permission denied";
        }
        String message = e.getMessage();
        return "cannot read: " + e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    // ---- plumbing ------------------------------------------------------------------------------

    private interface Stage {
        void run() throws Exception;
    }

    private Thread stage(String name, Stage body) {
        Thread thread = new Thread(
                () -> {
                    try {
                        body.run();
                    } catch (Aborted e) {
                        // another stage failed first; its error is the one reported
                    } catch (Throwable t) {
                        if (fatal.compareAndSet(null, t)) {
                            log.error("ingest stage {} failed", name, t);
                        }
                    }
                },
                name);
        thread.setDaemon(true);
        return thread;
    }

    private Object take(BlockingQueue<Object> queue) throws InterruptedException {
        while (true) {
            Object item = queue.poll(WAKE_MILLIS, TimeUnit.MILLISECONDS);
            if (item != null) {
                return item;
            }
            if (fatal.get() != null) {
                throw new Aborted();
            }
        }
    }

    private void put(BlockingQueue<Object> queue, Object item, @Nullable LongAdder blocked)
            throws InterruptedException {
        if (queue.offer(item)) {
            return;
        }
        long t0 = System.nanoTime();
        try {
            while (!queue.offer(item, WAKE_MILLIS, TimeUnit.MILLISECONDS)) {
                if (fatal.get() != null) {
                    throw new Aborted();
                }
            }
        } finally {
            if (blocked != null) {
                blocked.add(System.nanoTime() - t0);
            }
        }
    }

    private void deliver(ProgressListener listener) {
        try {
            IngestFailure failure;
            while ((failure = failureEvents.poll()) != null) {
                listener.onFailure(failure);
            }
            listener.onProgress(progress());
        } catch (RuntimeException e) {
            log.warn("progress listener failed", e);
        }
    }

    IngestProgress progress() {
        double seconds = elapsedSeconds();
        long enc = encoded.get();
        return new IngestProgress(
                phase,
                scanned.get(),
                scanComplete,
                unchanged.get() + indexed.get() + failed.get(),
                indexed.get(),
                unchanged.get(),
                failed.get(),
                seconds,
                seconds > 0 ? enc / seconds : 0);
    }

    private double elapsedSeconds() {
        long start = startNanos;
        if (start == 0) {
            return 0;
        }
        long end = endNanos != 0 ? endNanos : System.nanoTime();
        return (end - start) / 1e9;
    }

    private IngestReport report(boolean resumed, long documents) {
        double seconds = elapsedSeconds();
        List<IngestFailure> listed;
        synchronized (failures) {
            listed = List.copyOf(failures);
        }
        IngestReport.Timings timings = new IngestReport.Timings(
                nanosToSeconds(readNanos),
                nanosToSeconds(decodeNanos),
                nanosToSeconds(preprocessNanos),
                nanosToSeconds(encodeNanos),
                nanosToSeconds(indexNanos),
                nanosToSeconds(commitNanos),
                nanosToSeconds(encoderIdleNanos),
                nanosToSeconds(workersBlockedNanos),
                nanosToSeconds(memoryWaitNanos));
        return new IngestReport(
                scanner.root().toString(),
                embedder.modelName(),
                cancelled,
                resumed,
                scanned.get(),
                indexed.get(),
                encoded.get(),
                unchanged.get(),
                duplicates.get(),
                failed.get(),
                pruned.get(),
                documents,
                round(seconds),
                round(seconds > 0 ? encoded.get() / seconds : 0),
                timings,
                listed,
                failed.get() > listed.size());
    }

    private static double nanosToSeconds(LongAdder nanos) {
        return round(nanos.sum() / 1e9);
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    private static java.util.concurrent.ThreadFactory daemonThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + count.getAndIncrement());
            t.setDaemon(true);
            return t;
        };
    }
}
