package io.koclip.search.bench;

import java.util.Arrays;

/**
 * Per-operation latencies in nanoseconds and their percentiles (nearest rank). Not thread-safe: one
 * instance per thread, combined with {@link #merge}.
 */
final class Latencies {
    private long[] nanos;
    private int size;

    Latencies(int expected) {
        nanos = new long[Math.max(16, expected)];
    }

    void add(long elapsedNanos) {
        if (size == nanos.length) {
            nanos = Arrays.copyOf(nanos, size * 2);
        }
        nanos[size++] = elapsedNanos;
    }

    void merge(Latencies other) {
        for (int i = 0; i < other.size; i++) {
            add(other.nanos[i]);
        }
    }

    int count() {
        return size;
    }

    /** The {@code p}-th percentile (0 < p ≤ 100) in milliseconds, nearest rank; 0 when empty. */
    double percentileMillis(double p) {
        if (size == 0) {
            return 0;
        }
        long[] sorted = Arrays.copyOf(nanos, size);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * size);
        return sorted[Math.max(0, Math.min(size - 1, rank - 1))] / 1e6;
    }

    double meanMillis() {
        if (size == 0) {
            return 0;
        }
        double sum = 0;
        for (int i = 0; i < size; i++) {
            sum += nanos[i];
        }
        return sum / size / 1e6;
    }
}
