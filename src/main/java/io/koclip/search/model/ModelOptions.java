package io.koclip.search.model;

import org.jspecify.annotations.Nullable;

/**
 * How the encoders run.
 *
 * @param provider execution provider
 * @param intraOpThreads threads ONNX Runtime uses inside one operator; 0 lets it choose (all cores)
 * @param allowSpinning whether idle ONNX Runtime threads spin-wait (lower latency on an idle machine,
 *     wasted cycles on a busy one)
 * @param variant which precision of the graphs to load: null for the bundle's default graphs, or a
 *     name from the bundle's {@code variants} (e.g. {@code int8})
 */
public record ModelOptions(
        ExecutionProvider provider,
        int intraOpThreads,
        boolean allowSpinning,
        @Nullable String variant) {
    public ModelOptions(ExecutionProvider provider, int intraOpThreads, boolean allowSpinning) {
        this(provider, intraOpThreads, allowSpinning, null);
    }

    public ModelOptions {
        if (intraOpThreads < 0 || intraOpThreads > 1024) {
            throw new IllegalArgumentException("intraOpThreads: " + intraOpThreads + " is not in [0, 1024]");
        }
    }

    /** CPU, as many threads as cores, no spinning. */
    public static ModelOptions defaults() {
        return new ModelOptions(ExecutionProvider.CPU, 0, false);
    }
}
