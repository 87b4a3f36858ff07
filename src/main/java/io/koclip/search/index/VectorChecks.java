package io.koclip.search.index;

/**
 * The checks every vector passes before it is indexed or used as a query: the right dimension,
 * finite values, unit length. Messages name the bad value.
 */
public final class VectorChecks {
    /** Allowed distance of the L2 norm from 1. */
    public static final double NORM_TOLERANCE = 1e-3;

    private VectorChecks() {}

    /**
     * Throws {@link IllegalArgumentException} unless {@code vector} has {@code dimension} finite values
     * and an L2 norm within {@link #NORM_TOLERANCE} of 1.
     *
     * @param what names the vector in the message ("query vector", "vector of 'a/b.jpg'")
     */
    public static void requireUnitVector(float[] vector, int dimension, String what) {
        if (vector == null) {
            throw new IllegalArgumentException(what + " is missing");
        }
        if (vector.length != dimension) {
            throw new IllegalArgumentException(
                    what + " dimension: " + vector.length + " differs from the index's dimension: " + dimension);
        }
        double sum = 0;
        for (int i = 0; i < vector.length; i++) {
            float v = vector[i];
            if (!Float.isFinite(v)) {
                throw new IllegalArgumentException(what + "[" + i + "] is " + v + "; every value must be finite");
            }
            sum += (double) v * v;
        }
        double norm = Math.sqrt(sum);
        if (Math.abs(norm - 1) > NORM_TOLERANCE) {
            throw new IllegalArgumentException(
                    what + " has L2 norm " + String.format(java.util.Locale.ROOT, "%.6f", norm)
                            + ", expected 1 ± " + NORM_TOLERANCE
                            + " (the index scores with the dot product of unit vectors)");
        }
    }
}
