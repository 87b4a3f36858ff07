package io.koclip.search.model;

import java.util.Locale;

/** Where ONNX Runtime runs the graphs. */
public enum ExecutionProvider {
    /** The CPU provider (always present). */
    CPU,
    /** NVIDIA CUDA; requested explicitly, its absence is a start-up error, never a silent fallback. */
    CUDA,
    /** CUDA when the GPU build of ONNX Runtime and a device are present, else CPU; the choice is logged. */
    AUTO;

    public static ExecutionProvider parse(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "cpu" -> CPU;
            case "cuda", "gpu" -> CUDA;
            case "auto" -> AUTO;
            default ->
                throw new IllegalArgumentException("execution provider: '" + name + "' is not one of cpu, cuda, auto");
        };
    }
}
