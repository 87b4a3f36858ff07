package io.koclip.search.model;

import java.util.List;

/**
 * What the CUDA provider of the ONNX Runtime GPU jar needs from the machine, and the words used to
 * tell a user about it.
 *
 * <p>For {@code com.microsoft.onnxruntime:onnxruntime_gpu:1.29.0}: {@code readelf -d} of its
 * {@code libonnxruntime_providers_cuda.so} lists {@code libcublasLt.so.12}, {@code libcublas.so.12},
 * {@code libcurand.so.10}, {@code libcudart.so.12} and {@code libcuda.so.1}; it opens
 * {@code libcudnn.so.9} at run time. ONNX Runtime's CUDA provider page: a build for CUDA 12.x works
 * with any CUDA 12.x (minor version compatibility) and cuDNN 9.x, never with cuDNN 8. NVIDIA's
 * support matrix: CUDA 12.x needs a Linux driver >= 525.60.13. {@code CudaRequirementsTest} fails
 * when the ONNX Runtime version changes, so that this list is checked again.
 */
final class CudaRequirements {
    /** The ONNX Runtime minor version these requirements were read from. */
    static final String ONNX_RUNTIME = "1.29";

    static final String MIN_DRIVER = "525.60.13";

    /** The NVIDIA driver's user-space library: without it there is no driver at all. */
    static final String DRIVER_LIBRARY = "libcuda.so.1";

    /** The shared libraries the provider loads, in the order the dynamic loader meets them. */
    static final List<String> LIBRARIES = List.of(
            DRIVER_LIBRARY,
            "libcudart.so.12",
            "libcublas.so.12",
            "libcublasLt.so.12",
            "libcurand.so.10",
            "libcudnn.so.9");

    private CudaRequirements() {}

    /** {@code (CUDA 12.x cuBLAS)} for a library this provider needs, else empty. */
    static String describeLibrary(String fileName) {
        return switch (fileName) {
            case DRIVER_LIBRARY -> "(NVIDIA driver)";
            case "libcudart.so.12" -> "(CUDA 12.x runtime)";
            case "libcublas.so.12", "libcublasLt.so.12" -> "(CUDA 12.x cuBLAS)";
            case "libcurand.so.10" -> "(CUDA 12.x cuRAND)";
            case "libcudnn.so.9" -> "(cuDNN 9)";
            default ->
                fileName.startsWith("libcudnn") ? "(cuDNN 9)" : fileName.startsWith("libcu") ? "(CUDA 12.x)" : "";
        };
    }

    /** One phrase for messages: what to install. */
    static String summary() {
        return "CUDA 12.x and cuDNN 9 (what ONNX Runtime " + ONNX_RUNTIME + " needs)";
    }
}
