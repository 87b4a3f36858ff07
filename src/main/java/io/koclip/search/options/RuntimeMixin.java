package io.koclip.search.options;

import io.koclip.search.model.ExecutionProvider;
import io.koclip.search.model.ModelOptions;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * How ONNX Runtime runs a model ({@code --provider}, {@code --threads}, {@code --allow-spinning}):
 * part of {@link ModelMixin}, and used alone by commands that name several models (eval).
 */
public final class RuntimeMixin {
    @Option(
            names = "--provider",
            defaultValue = "cpu",
            paramLabel = "cpu|cuda|auto",
            description = "ONNX Runtime execution provider (default: ${DEFAULT-VALUE}).")
    String provider;

    @Option(
            names = "--threads",
            defaultValue = "0",
            paramLabel = "N",
            description = "ONNX Runtime intra-op threads; 0 = one per core (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(
            names = "--allow-spinning",
            description = "Let idle ONNX Runtime threads spin-wait (lower latency when idle, wasted cycles when busy).")
    boolean allowSpinning;

    /** The runtime settings with a precision variant ({@code null}: the bundle's main graphs). */
    public ModelOptions options(@Nullable String variant) {
        return new ModelOptions(ExecutionProvider.parse(provider), threads, allowSpinning, variant);
    }
}
