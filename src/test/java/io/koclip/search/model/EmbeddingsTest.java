package io.koclip.search.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EmbeddingsTest {
    @Test
    void normalizeGivesUnitLength() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        float[] v = new float[64];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) random.nextGaussian() * 10;
        }
        Embeddings.normalizeInPlace(v);
        assertThat(Embeddings.dot(v, v)).as("seed %d", seed).isCloseTo(1f, within(1e-5f));
    }

    @Test
    void zeroOrNaNEmbeddingIsABrokenModel() {
        assertThatThrownBy(() -> Embeddings.normalizeInPlace(new float[4]))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("norm 0.0");
        assertThatThrownBy(() -> Embeddings.normalizeInPlace(new float[] {1, Float.NaN}))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void meanOfUnitVectorsIsRenormalized() {
        float[] mean = Embeddings.meanOfUnitVectors(new float[][] {{1, 0}, {0, 1}});
        assertThat(mean[0]).isCloseTo((float) Math.sqrt(0.5), within(1e-6f));
        assertThat(mean[1]).isCloseTo((float) Math.sqrt(0.5), within(1e-6f));
    }

    @Test
    void softmaxSumsToOneAndOrdersByScore() {
        double[] p = Embeddings.softmax(new float[] {0.30f, 0.25f, 0.10f}, 100f);
        assertThat(Arrays.stream(p).sum()).isCloseTo(1.0, within(1e-9));
        assertThat(p[0]).isGreaterThan(p[1]);
        assertThat(p[1]).isGreaterThan(p[2]);
        // exp(100 * 0.05) = e^5: the CLIP temperature makes small cosine gaps decisive.
        assertThat(p[0] / p[1]).isCloseTo(Math.exp(5), within(1e-3));
    }

    @Test
    void dotRejectsDifferentDimensions() {
        assertThatThrownBy(() -> Embeddings.dot(new float[2], new float[3]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2 vs 3");
    }
}
