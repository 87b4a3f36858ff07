package io.koclip.search.ingest;

import java.awt.image.BufferedImage;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * A deterministic stand-in for the image tower: the "tensor" is a 64-bin colour histogram of the
 * image, the "embedding" that histogram normalized. Same pixels, same vector; different pictures,
 * different vectors. Counts what it did, can be slowed down, and can fail on chosen tensors.
 */
class FakeEmbedder implements ImageEmbedder {
    static final int DIM = 64;

    final AtomicInteger preprocessed = new AtomicInteger();
    final AtomicInteger encoded = new AtomicInteger();
    final AtomicInteger batches = new AtomicInteger();
    final AtomicInteger maxBatch = new AtomicInteger();
    final AtomicLong maxInFlight = new AtomicLong();
    private final long delayMillisPerImage;
    private final Predicate<float[]> failsOn;

    FakeEmbedder() {
        this(0, t -> false);
    }

    FakeEmbedder(long delayMillisPerImage, Predicate<float[]> failsOn) {
        this.delayMillisPerImage = delayMillisPerImage;
        this.failsOn = failsOn;
    }

    @Override
    public String modelName() {
        return "fake";
    }

    @Override
    public int dimension() {
        return DIM;
    }

    @Override
    public float[] preprocess(BufferedImage rgb) {
        float[] histogram = new float[DIM];
        for (int y = 0; y < rgb.getHeight(); y++) {
            for (int x = 0; x < rgb.getWidth(); x++) {
                int p = rgb.getRGB(x, y);
                int bin = ((p >> 22) & 3) << 4 | ((p >> 14) & 3) << 2 | ((p >> 6) & 3);
                histogram[bin] += 1 + ((p & 0xFF) + ((p >> 8) & 0xFF) * 3 + ((p >> 16) & 0xFF) * 7) / 4096f;
            }
        }
        int n = preprocessed.incrementAndGet();
        maxInFlight.accumulateAndGet(n - encoded.get(), Math::max);
        return histogram;
    }

    @Override
    public float[][] encode(List<float[]> tensors) {
        batches.incrementAndGet();
        maxBatch.accumulateAndGet(tensors.size(), Math::max);
        for (float[] t : tensors) {
            if (failsOn.test(t)) {
                throw new IllegalStateException("fake model cannot encode this image");
            }
        }
        if (delayMillisPerImage > 0) {
            try {
                Thread.sleep(delayMillisPerImage * tensors.size());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        float[][] out = new float[tensors.size()][];
        for (int i = 0; i < tensors.size(); i++) {
            out[i] = unit(tensors.get(i));
        }
        encoded.addAndGet(tensors.size());
        return out;
    }

    static float[] unit(float[] v) {
        float[] u = v.clone();
        double sum = 0;
        for (float x : u) {
            sum += (double) x * x;
        }
        float inverse = (float) (1 / Math.sqrt(sum));
        for (int i = 0; i < u.length; i++) {
            u[i] *= inverse;
        }
        return u;
    }
}
