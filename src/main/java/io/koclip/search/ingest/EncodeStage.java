package io.koclip.search.ingest;

import io.koclip.search.index.ImageDocument;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stage 4, one thread: encodes {@link DecodeStage.Prepared} images in batches ({@link Batcher}) with
 * the one model session and hands each batch's vectors to the writer as one
 * {@link WriteStage.EncodedBatch}. A batch the model fails on is encoded again image by image, so that
 * only the image at fault fails (with its followers).
 *
 * <p>Not thread-safe: one encoder thread, which is what bounds the inferences running at once.
 */
final class EncodeStage {
    private static final Logger log = LoggerFactory.getLogger(EncodeStage.class);
    /** How long the encoder waits for a batch to fill once it has one image. */
    static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    /** Encoded, waiting for the writer (the tensor is gone). */
    record Embedded(PendingFile file, String hash, long bytes, int width, int height, String format, float[] vector) {
        ImageDocument document() {
            return new ImageDocument(
                    file.id(),
                    file.path(),
                    hash,
                    width,
                    height,
                    bytes,
                    file.modified(),
                    format,
                    file.text(),
                    file.textStamp(),
                    vector);
        }
    }

    private final ImageEmbedder embedder;
    private final Batcher<DecodeStage.Prepared> batcher;
    private final Handoff<WriteStage.Write> writes;
    private final Failures failures;
    private final IngestMetrics metrics;

    EncodeStage(
            ImageEmbedder embedder,
            Handoff<DecodeStage.Prepared> tensors,
            int batchSize,
            Handoff<WriteStage.Write> writes,
            Failures failures,
            IngestMetrics metrics) {
        this.embedder = embedder;
        this.batcher = new Batcher<>(tensors, batchSize, LINGER_NANOS);
        this.writes = writes;
        this.failures = failures;
        this.metrics = metrics;
    }

    /** Encodes until the tensor hand-off is drained; then tells the writer this producer is done. */
    void run() throws InterruptedException, IOException {
        try {
            List<DecodeStage.Prepared> batch;
            while ((batch = batcher.next(metrics.nanos(IngestMetrics.Timer.ENCODER_IDLE))) != null) {
                List<Embedded> embedded = new ArrayList<>(batch.size());
                encode(batch, embedded);
                if (!embedded.isEmpty()) {
                    writes.put(new WriteStage.EncodedBatch(embedded), null);
                }
            }
        } finally {
            writes.producerDone();
        }
    }

    /** Encodes {@code batch} into {@code out}; images the model fails on are failures, not in {@code out}. */
    private void encode(List<DecodeStage.Prepared> batch, List<Embedded> out) throws IOException {
        List<float[]> inputs = new ArrayList<>(batch.size());
        for (DecodeStage.Prepared p : batch) {
            inputs.add(p.tensor());
        }
        float[][] vectors;
        long t0 = System.nanoTime();
        try {
            vectors = embedder.encode(inputs);
        } catch (RuntimeException e) {
            metrics.addSince(IngestMetrics.Timer.ENCODE, t0);
            if (batch.size() == 1) {
                DecodeStage.Prepared p = batch.get(0);
                failures.leader(
                        p.file(), p.hash(), IngestFailure.Code.ENCODE_FAILED, "the model failed: " + e.getMessage());
                return;
            }
            log.warn("encoder failed on a batch of {}; encoding its images one by one: {}", batch.size(), e.toString());
            for (DecodeStage.Prepared p : batch) {
                encode(List.of(p), out);
            }
            return;
        }
        metrics.addSince(IngestMetrics.Timer.ENCODE, t0);
        if (vectors.length != batch.size()) {
            throw new IllegalStateException(
                    "the encoder returned " + vectors.length + " vectors for " + batch.size() + " images");
        }
        metrics.encoded.addAndGet(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            DecodeStage.Prepared p = batch.get(i);
            out.add(new Embedded(p.file(), p.hash(), p.bytes(), p.width(), p.height(), p.format(), vectors[i]));
        }
    }
}
