package io.koclip.search.model;

import java.util.Objects;

/**
 * Finds out whether the CUDA execution provider can run here, before any model graph is opened.
 * The real probe ({@link #system()}) looks at the ONNX Runtime build, the CUDA and cuDNN libraries
 * and the device; tests stub it to exercise every outcome on a machine without a GPU.
 *
 * <p>Implementations are thread-safe; {@link #system()} probes once per process.
 */
@FunctionalInterface
interface ProviderProbe {
    /** What CUDA looks like on this machine. */
    Finding cuda();

    /** The probe of this process: the ONNX Runtime build on the class path, its libraries, device 0. */
    static ProviderProbe system() {
        return SystemProviderProbe.INSTANCE;
    }

    /** Why CUDA is or is not usable. */
    enum Kind {
        /** The GPU build, its libraries and a device are all there. */
        AVAILABLE,
        /** The ONNX Runtime jar on the class path is the CPU one: it has no CUDA provider. */
        NOT_IN_BUILD,
        /** A CUDA or cuDNN shared library that the provider needs cannot be loaded. */
        MISSING_LIBRARY,
        /** No NVIDIA driver, or the driver sees no (such) CUDA device. */
        NO_DEVICE,
        /** The NVIDIA driver is older than the CUDA runtime the provider was built with. */
        DRIVER_TOO_OLD,
        /** Anything else ONNX Runtime reported while starting the provider. */
        FAILED
    }

    /**
     * One outcome of the probe.
     *
     * @param kind what was found
     * @param detail the missing libraries' file names, comma-separated, for {@link Kind#MISSING_LIBRARY}, else what the
     *     driver or ONNX Runtime said (one line); empty for {@link Kind#AVAILABLE}
     */
    record Finding(Kind kind, String detail) {
        public Finding {
            Objects.requireNonNull(kind, "kind");
            // One line: the finding is printed inside a single log line or CLI error.
            detail = Objects.requireNonNull(detail, "detail").strip().replaceAll("\\s*\\R\\s*", " ");
        }

        static Finding available() {
            return new Finding(Kind.AVAILABLE, "");
        }

        static Finding notInBuild() {
            return new Finding(Kind.NOT_IN_BUILD, "");
        }

        /** @param fileNames one or more library file names, separated by {@code ", "} */
        static Finding missingLibrary(String fileNames) {
            return new Finding(Kind.MISSING_LIBRARY, fileNames);
        }

        static Finding noDevice(String detail) {
            return new Finding(Kind.NO_DEVICE, detail);
        }

        static Finding driverTooOld(String detail) {
            return new Finding(Kind.DRIVER_TOO_OLD, detail);
        }

        static Finding failed(String detail) {
            return new Finding(Kind.FAILED, detail);
        }

        boolean usable() {
            return kind == Kind.AVAILABLE;
        }

        /** What is wrong, for a log line: {@code libcublasLt.so.12 (CUDA 12.x cuBLAS) not found}. */
        String problem() {
            return switch (kind) {
                case AVAILABLE -> "CUDA is available";
                case NOT_IN_BUILD -> "this is the CPU build of ONNX Runtime, it has no CUDA provider";
                case MISSING_LIBRARY -> {
                    StringBuilder libraries = new StringBuilder();
                    for (String library : detail.split(", ")) {
                        String what = CudaRequirements.describeLibrary(library);
                        libraries.append(libraries.isEmpty() ? "" : ", ").append(library);
                        libraries.append(what.isEmpty() ? "" : " " + what);
                    }
                    yield libraries + " not found";
                }
                case NO_DEVICE -> "no CUDA device" + (detail.isEmpty() ? "" : " (" + detail + ")");
                case DRIVER_TOO_OLD -> "the NVIDIA driver is too old (" + detail + ")";
                case FAILED -> "ONNX Runtime could not start the CUDA provider (" + detail + ")";
            };
        }

        /** How to fix it, for the same line. */
        String fix() {
            return switch (kind) {
                case AVAILABLE -> "";
                case NOT_IN_BUILD -> "build the GPU jar with ./mvnw -Pcuda package";
                case MISSING_LIBRARY ->
                    "install " + CudaRequirements.summary() + " and put their lib folders on LD_LIBRARY_PATH"
                            + " (or register them with ldconfig)";
                case NO_DEVICE ->
                    "check nvidia-smi, the NVIDIA driver (>= " + CudaRequirements.MIN_DRIVER
                            + ") and CUDA_VISIBLE_DEVICES; the provider also needs " + CudaRequirements.summary();
                case DRIVER_TOO_OLD ->
                    "install NVIDIA driver >= " + CudaRequirements.MIN_DRIVER + " (needed by CUDA 12.x)";
                case FAILED -> "check " + CudaRequirements.summary() + " and ONNX Runtime's log line above";
            };
        }
    }
}
