package io.koclip.search.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import io.koclip.search.model.ProviderProbe.Finding;
import io.koclip.search.model.ProviderProbe.Kind;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The real probe's parts that run without a GPU: error classification, the probe graph, the CPU build. */
class SystemProviderProbeTest {
    /** What the GPU jar 1.29.0 logs on a machine without CUDA (the native line; the exception only says "Failed to load shared library"). */
    static final String NATIVE_MISSING_CUBLAS = "/onnxruntime_src/onnxruntime/core/session/provider_bridge_ort.cc:1988"
            + " onnxruntime::Provider& onnxruntime::ProviderLibrary::Get() [ONNXRuntimeError] : 1 : FAIL : Failed to"
            + " load library /tmp/onnxruntime-java1280/libonnxruntime_providers_cuda.so with error: libcublasLt.so.12:"
            + " cannot open shared object file: No such file or directory";

    @Test
    void theCpuJarsErrorIsNotInBuild() {
        Finding finding =
                SystemProviderProbe.classify("Error code - ORT_EP_FAIL - message: Failed to find CUDA shared provider");
        assertThat(finding.kind()).isEqualTo(Kind.NOT_IN_BUILD);
    }

    @Test
    void aLoaderErrorNamesTheMissingLibrary() {
        Finding finding = SystemProviderProbe.classify(NATIVE_MISSING_CUBLAS);
        assertThat(finding).isEqualTo(Finding.missingLibrary("libcublasLt.so.12"));
        assertThat(SystemProviderProbe.classify("x: libcudnn.so.9: cannot open shared object file: No such file"))
                .isEqualTo(Finding.missingLibrary("libcudnn.so.9"));
    }

    @Test
    void aMissingDriverLibraryMeansNoDriver() {
        Finding finding = SystemProviderProbe.classify("with error: libcuda.so.1: cannot open shared object file");
        assertThat(finding.kind()).isEqualTo(Kind.NO_DEVICE);
        assertThat(finding.detail()).contains("no NVIDIA driver", "libcuda.so.1");
    }

    @Test
    void cudaRuntimeErrorsAreDeviceOrDriverProblems() {
        String tail = " ; GPU=0 ; hostname=box ; file=/onnxruntime_src/onnxruntime/core/providers/cuda/"
                + "cuda_execution_provider.cc ; line=282 ; expr=cudaSetDevice(info_.device_id);";
        assertThat(SystemProviderProbe.classify("CUDA failure 100: no CUDA-capable device is detected" + tail)
                        .kind())
                .isEqualTo(Kind.NO_DEVICE);
        assertThat(SystemProviderProbe.classify("CUDA failure 101: invalid device ordinal" + tail)
                        .detail())
                .contains("invalid device ordinal");
        assertThat(SystemProviderProbe.classify(
                                "CUDA failure 35: CUDA driver version is insufficient for CUDA runtime version" + tail)
                        .kind())
                .isEqualTo(Kind.DRIVER_TOO_OLD);
    }

    @Test
    void anythingElseIsFailedWithTheMessageShortened() {
        Finding finding = SystemProviderProbe.classify("Error code - ORT_FAIL - message: "
                + "CUDA failure 2: out of memory ; GPU=0 ; hostname=box ; file=a.cc ; line=1 ; expr=x;");
        assertThat(finding.kind()).isEqualTo(Kind.FAILED);
        assertThat(finding.detail()).isEqualTo("CUDA failure 2: out of memory");
        assertThat(SystemProviderProbe.classify("Error code - ORT_FAIL - message: "
                                + "OrtSessionOptionsAppendExecutionProvider_Cuda: Failed to load shared library")
                        .detail())
                .isEqualTo("OrtSessionOptionsAppendExecutionProvider_Cuda: Failed to load shared library");
        assertThat(SystemProviderProbe.classify("x".repeat(500)).detail()).hasSize(201);
    }

    @Test
    void theProbeGraphIsAValidOnnxModel() throws Exception {
        OrtEnvironment env = OnnxSessions.environment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
                OrtSession session = env.createSession(SystemProviderProbe.identityGraph(), options);
                OnnxTensor x = OnnxTensor.createTensor(env, new float[] {0.25f});
                OrtSession.Result y = session.run(Map.of("x", x))) {
            assertThat(session.getInputNames()).containsExactly("x");
            assertThat((float[]) y.get(0).getValue()).containsExactly(0.25f);
        }
    }

    @Test
    void theCpuBuildHasNoCuda() {
        assumeFalse(OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA), "this is the GPU build");
        assertThat(ProviderProbe.system().cuda()).isEqualTo(Finding.notInBuild());
    }

    @Test
    void theRequirementsWereReadFromThisOnnxRuntime() {
        // On an ONNX Runtime upgrade: re-read the GPU jar's libraries (readelf -d) and the CUDA provider's docs.
        assertThat(OnnxSessions.environment().getVersion()).startsWith(CudaRequirements.ONNX_RUNTIME + ".");
    }
}
