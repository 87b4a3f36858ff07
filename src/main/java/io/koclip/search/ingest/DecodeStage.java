package io.koclip.search.ingest;

import io.koclip.search.image.DecodedImage;
import io.koclip.search.image.ImageRejectedException;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stage 3, on the worker threads: decodes a {@link ReadStage.Hashed} file within the
 * {@link DecodeMemory} budget and its time budget, preprocesses it into the model's input tensor, and
 * hands a {@link Prepared} image to the encoder; or fails the file and its followers.
 *
 * <p>Decoding runs on a helper thread so that a decoder which ignores its budget (stuck in a loop) can
 * be abandoned: the worker waits the budget plus a grace period, then reports {@code timeout} and moves
 * on. The abandoned decode keeps its memory reservation until it really returns.
 *
 * <p>Thread-safe; {@link #close()} stops the helper threads.
 */
final class DecodeStage implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DecodeStage.class);

    /**
     * Decoded and preprocessed, waiting for the encoder. Weighs 1 in the tensor hand-off. {@code width}
     * and {@code height} are the file's upright size, not the decoded one: a shrink-on-load decode
     * ({@code --decode fast}) is smaller than the photo, and the index records the photo.
     */
    record Prepared(PendingFile file, String hash, long bytes, float[] tensor, int width, int height, String format) {}

    // Who releases an image's memory reservation: the worker, or (once it gave up) the decode thread.
    private static final int DECODING = 0;
    private static final int DECODED = 1;
    private static final int ABANDONED = 2;

    private final Decoder decoder;
    private final ImageEmbedder embedder;
    private final DecodeMemory memory;
    private final Duration budget;
    private final Failures failures;
    private final IngestMetrics metrics;
    private final Handoff<Prepared> tensors;
    private final ExecutorService decodePool = Executors.newCachedThreadPool(daemonThreads("koclip-ingest-decode-"));

    DecodeStage(
            Decoder decoder,
            ImageEmbedder embedder,
            DecodeMemory memory,
            Duration budget,
            Failures failures,
            IngestMetrics metrics,
            Handoff<Prepared> tensors) {
        this.decoder = decoder;
        this.embedder = embedder;
        this.memory = memory;
        this.budget = budget;
        this.failures = failures;
        this.metrics = metrics;
        this.tensors = tensors;
    }

    void decode(ReadStage.Hashed hashed) throws InterruptedException, IOException {
        PendingFile file = hashed.file();
        byte[] bytes = hashed.bytes();
        // Decoded pixels are the big allocation: reserve their heap first, so that N workers on huge
        // images wait for each other instead of running out of memory together.
        int reserved =
                memory.reserve(decoder.decodeMemoryEstimate(bytes), metrics.nanos(IngestMetrics.Timer.MEMORY_WAIT));
        AtomicInteger decodeState = new AtomicInteger(DECODING);
        try {
            long t1 = System.nanoTime();
            DecodedImage image;
            try {
                image = decodeWithBudget(bytes, decodeState, reserved);
            } catch (ImageRejectedException e) {
                failures.leader(file, hashed.hash(), IngestFailure.Code.of(e.reason()), e.getMessage());
                return;
            } finally {
                metrics.addSince(IngestMetrics.Timer.DECODE, t1);
            }
            long t2 = System.nanoTime();
            float[] tensor;
            try {
                tensor = embedder.preprocess(image.rgb());
            } catch (RuntimeException e) {
                failures.leader(file, hashed.hash(), IngestFailure.Code.CORRUPT, "preprocessing failed: " + e);
                return;
            } finally {
                metrics.addSince(IngestMetrics.Timer.PREPROCESS, t2);
            }
            Prepared prepared = new Prepared(
                    file,
                    hashed.hash(),
                    bytes.length,
                    tensor,
                    image.originalWidth(),
                    image.originalHeight(),
                    image.format());
            image = null; // let the decoded pixels go before blocking on a full hand-off
            memory.release(reserved);
            reserved = 0;
            tensors.put(prepared, metrics.nanos(IngestMetrics.Timer.WORKERS_BLOCKED));
        } finally {
            // An abandoned decode still runs and holds its pixels: its thread releases the reservation.
            if (reserved > 0 && decodeState.get() != ABANDONED) {
                memory.release(reserved);
            }
        }
    }

    private DecodedImage decodeWithBudget(byte[] bytes, AtomicInteger state, int reserved)
            throws ImageRejectedException, InterruptedException {
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

    @Override
    public void close() {
        decodePool.shutdownNow();
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + count.getAndIncrement());
            t.setDaemon(true);
            return t;
        };
    }
}
