package io.koclip.search.model;

/**
 * How the encoders run.
 *
 * @param provider execution provider
 * @param intraOpThreads threads ONNX Runtime uses inside one operator; 0 lets it choose (all cores)
 * @param allowSpinning whether idle ONNX Runtime threads spin-wait (lower latency on an idle machine,
 *     wasted cycles on a busy one)
 */
public record ModelOptions(ExecutionProvider provider, int intraOpThreads, boolean allowSpinning) {
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
