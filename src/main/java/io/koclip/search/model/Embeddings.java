package io.koclip.search.model;

/** Arithmetic on embedding vectors. */
public final class Embeddings {
    private Embeddings() {}

    /**
     * Scales {@code vector} in place to unit L2 norm and returns it.
     *
     * @throws IllegalStateException if the vector has a non-finite value or is all zeros (a broken model)
     */
    public static float[] normalizeInPlace(float[] vector) {
        double sum = 0;
        for (float v : vector) {
            sum += (double) v * v;
        }
        if (!(sum > 0) || !Double.isFinite(sum)) {
            throw new IllegalStateException(
                    "embedding has norm " + Math.sqrt(sum) + "; the model produced zeros or NaN");
        }
        float inverse = (float) (1.0 / Math.sqrt(sum));
        for (int i = 0; i < vector.length; i++) {
            vector[i] *= inverse;
        }
        return vector;
    }

    /** Dot product; the cosine similarity when both are unit vectors. */
    public static float dot(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("vector dimensions differ: " + a.length + " vs " + b.length);
        }
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += (double) a[i] * b[i];
        }
        return (float) sum;
    }

    /** The normalized mean of unit vectors (several prompt templates, one label). */
    public static float[] meanOfUnitVectors(float[][] vectors) {
        if (vectors.length == 0) {
            throw new IllegalArgumentException("no vectors to average");
        }
        float[] mean = new float[vectors[0].length];
        for (float[] v : vectors) {
            for (int i = 0; i < mean.length; i++) {
                mean[i] += v[i];
            }
        }
        return normalizeInPlace(mean);
    }

    /**
     * Softmax of {@code scale × scores}, the CLIP zero-shot probabilities.
     *
     * @param scores cosine similarities
     * @param scale the bundle's logit scale
     */
    public static double[] softmax(float[] scores, float scale) {
        double max = Double.NEGATIVE_INFINITY;
        for (float s : scores) {
            max = Math.max(max, (double) scale * s);
        }
        double[] p = new double[scores.length];
        double sum = 0;
        for (int i = 0; i < scores.length; i++) {
            p[i] = Math.exp((double) scale * scores[i] - max);
            sum += p[i];
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= sum;
        }
        return p;
    }
}
