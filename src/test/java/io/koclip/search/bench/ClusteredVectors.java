package io.koclip.search.bench;

import java.util.Random;

/**
 * Test data like {@code src/tools/bench/make_vectors.py}: unit vectors from a gaussian mixture whose
 * clusters spread along a low-dimensional subspace, so HNSW recall is meaningful (i.i.d. random
 * vectors in many dimensions have no near neighbours to find).
 */
final class ClusteredVectors {
    private final Random random;
    private final float[][] centres;
    private final float[][] mixing; // [dimension][rank]

    ClusteredVectors(long seed, int dimension, int centreCount, int rank) {
        random = new Random(seed);
        centres = new float[centreCount][];
        for (int c = 0; c < centreCount; c++) {
            centres[c] = normalize(gaussian(dimension, 1));
        }
        mixing = new float[dimension][];
        for (int d = 0; d < dimension; d++) {
            mixing[d] = gaussian(rank, (float) (1 / Math.sqrt(dimension)));
        }
    }

    float[][] sample(int count) {
        int dimension = mixing.length;
        int rank = mixing[0].length;
        float[][] out = new float[count][];
        for (int i = 0; i < count; i++) {
            float[] x = centres[random.nextInt(centres.length)].clone();
            float[] z = gaussian(rank, 0.8f);
            for (int d = 0; d < dimension; d++) {
                float sum = 0;
                for (int r = 0; r < rank; r++) {
                    sum += mixing[d][r] * z[r];
                }
                x[d] += sum + (float) (0.5 / Math.sqrt(dimension) * random.nextGaussian());
            }
            out[i] = normalize(x);
        }
        return out;
    }

    private float[] gaussian(int length, float scale) {
        float[] v = new float[length];
        for (int i = 0; i < length; i++) {
            v[i] = (float) (scale * random.nextGaussian());
        }
        return v;
    }

    static float[] normalize(float[] v) {
        double sum = 0;
        for (float x : v) {
            sum += (double) x * x;
        }
        float inv = (float) (1 / Math.sqrt(sum));
        for (int i = 0; i < v.length; i++) {
            v[i] *= inv;
        }
        return v;
    }
}
