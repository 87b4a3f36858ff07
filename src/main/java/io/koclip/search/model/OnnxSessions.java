package io.koclip.search.model;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.io.IOException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Opens ONNX Runtime sessions with the engine's options and describes their tensors for errors. */
final class OnnxSessions {
    private static final Logger log = LoggerFactory.getLogger(OnnxSessions.class);

    private OnnxSessions() {}

    /** The process-wide environment, telemetry off (ONNX Runtime only collects it on Windows, but say so). */
    static OrtEnvironment environment() {
        OrtEnvironment env = OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING, "koclip");
        try {
            env.setTelemetry(false);
        } catch (OrtException e) {
            log.debug("cannot switch ONNX Runtime telemetry off: {}", e.getMessage());
        }
        return env;
    }

    /**
     * Resolves the requested provider with the probe's help. {@code cpu} never probes. {@code auto}
     * picks CUDA when the probe finds it usable, else CPU with the reason in
     * {@link ProviderSelection#fallback()}. {@code cuda} that the probe finds unusable is a
     * {@link ProviderUnavailableException} naming what is missing and how to fix it.
     */
    static ProviderSelection select(ExecutionProvider requested, ProviderProbe probe) {
        if (requested == ExecutionProvider.CPU) {
            return new ProviderSelection(requested, ExecutionProvider.CPU, null);
        }
        ProviderProbe.Finding cuda = probe.cuda();
        if (cuda.usable()) {
            return new ProviderSelection(requested, ExecutionProvider.CUDA, null);
        }
        if (requested == ExecutionProvider.CUDA) {
            throw new ProviderUnavailableException(cudaUnavailable(cuda));
        }
        return new ProviderSelection(
                requested,
                ExecutionProvider.CPU,
                "execution provider auto: running on CPU because " + cuda.problem() + "; to use the GPU, " + cuda.fix()
                        + " (or choose provider cpu to skip this check)");
    }

    /** The one-line start-up error of an explicit {@code cuda} request. */
    static String cudaUnavailable(ProviderProbe.Finding cuda) {
        return "execution provider cuda is not usable: " + cuda.problem() + "; " + cuda.fix()
                + ", or choose provider auto (falls back to CPU) or cpu";
    }

    static OrtSession open(
            OrtEnvironment env, BundleFiles files, String relative, ExecutionProvider provider, ModelOptions options) {
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
            opts.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            opts.setIntraOpNumThreads(options.intraOpThreads());
            opts.setInterOpNumThreads(1);
            opts.addConfigEntry("session.intra_op.allow_spinning", options.allowSpinning() ? "1" : "0");
            if (provider == ExecutionProvider.CUDA) {
                try {
                    opts.addCUDA(0);
                } catch (OrtException e) {
                    // The probe said yes; say what ONNX Runtime says now, in the same words.
                    throw new ProviderUnavailableException(
                            cudaUnavailable(SystemProviderProbe.classify(e.getMessage())));
                }
            }
            var path = files.path(relative);
            // Opening by path lets ONNX Runtime find external weight files beside the graph.
            byte[] bytes = path.isPresent() ? null : files.read(relative);
            // A JVM exit during createSession crashes in native code: the guard holds the exit back.
            return NativeShutdown.creating(files.describe(relative), () -> {
                try {
                    return bytes == null
                            ? env.createSession(path.get().toString(), opts)
                            : env.createSession(bytes, opts);
                } catch (OrtException e) {
                    throw new BundleException(
                            files.describe(relative) + ": ONNX Runtime cannot load the graph: " + e.getMessage(), e);
                }
            });
        } catch (OrtException e) {
            throw new BundleException(
                    files.describe(relative) + ": ONNX Runtime cannot load the graph: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new BundleException(files.describe(relative) + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** The shape of a named tensor, or null when it is not a tensor. */
    static long[] shape(Map<String, NodeInfo> infos, String name) {
        NodeInfo info = infos.get(name);
        if (info != null && info.getInfo() instanceof TensorInfo tensor) {
            return tensor.getShape();
        }
        return null;
    }

    static ai.onnxruntime.OnnxJavaType type(Map<String, NodeInfo> infos, String name) {
        NodeInfo info = infos.get(name);
        if (info != null && info.getInfo() instanceof TensorInfo tensor) {
            return tensor.type;
        }
        return ai.onnxruntime.OnnxJavaType.UNKNOWN;
    }
}
