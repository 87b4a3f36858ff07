package io.koclip.search.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.koclip.search.model.ProviderProbe.Finding;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link OnnxSessions#select}: cpu, cuda and auto against every outcome of a stubbed probe. */
class ProviderSelectionTest {
    private static final ProviderProbe MUST_NOT_PROBE = () -> {
        throw new AssertionError("cpu must not probe CUDA");
    };

    static Stream<Finding> unusable() {
        return Stream.of(
                Finding.notInBuild(),
                Finding.missingLibrary("libcublasLt.so.12"),
                Finding.missingLibrary("libcudnn.so.9"),
                Finding.noDevice("no CUDA-capable device is detected"),
                Finding.driverTooOld("CUDA driver version is insufficient for CUDA runtime version"),
                Finding.failed("something else\nwith a second line"));
    }

    @Test
    void cpuIsCpuWithoutProbing() {
        ProviderSelection selection = OnnxSessions.select(ExecutionProvider.CPU, MUST_NOT_PROBE);
        assertThat(selection.used()).isEqualTo(ExecutionProvider.CPU);
        assertThat(selection.fallback()).isNull();
        assertThat(selection.usedName()).isEqualTo("cpu");
    }

    @Test
    void autoAndCudaUseCudaWhenTheProbeFindsIt() {
        for (ExecutionProvider requested : List.of(ExecutionProvider.AUTO, ExecutionProvider.CUDA)) {
            ProviderSelection selection = OnnxSessions.select(requested, Finding::available);
            assertThat(selection.used()).isEqualTo(ExecutionProvider.CUDA);
            assertThat(selection.fallback()).isNull();
            assertThat(selection.requested()).isEqualTo(requested);
        }
    }

    @ParameterizedTest
    @MethodSource("unusable")
    void autoFallsBackToCpuWithAOneLineReason(Finding finding) {
        ProviderSelection selection = OnnxSessions.select(ExecutionProvider.AUTO, () -> finding);
        assertThat(selection.used()).isEqualTo(ExecutionProvider.CPU);
        assertThat(selection.requestedName()).isEqualTo("auto");
        assertThat(selection.fallback())
                .startsWith("execution provider auto: running on CPU because ")
                .contains(finding.problem(), finding.fix())
                .doesNotContain("\n", "\r");
    }

    @ParameterizedTest
    @MethodSource("unusable")
    void cudaFailsWithAOneLineMessage(Finding finding) {
        assertThatThrownBy(() -> OnnxSessions.select(ExecutionProvider.CUDA, () -> finding))
                .isInstanceOf(ProviderUnavailableException.class)
                .hasMessageStartingWith("execution provider cuda is not usable: ")
                .hasMessageContaining(finding.problem())
                .hasMessageContaining("choose provider auto (falls back to CPU) or cpu")
                .hasMessageNotContaining("\n");
    }

    @Test
    void aMissingLibraryNamesItAndTheVersionsNeeded() {
        Finding finding = Finding.missingLibrary("libcublasLt.so.12");
        ProviderSelection selection = OnnxSessions.select(ExecutionProvider.AUTO, () -> finding);
        assertThat(selection.fallback())
                .isEqualTo("execution provider auto: running on CPU because libcublasLt.so.12 (CUDA 12.x cuBLAS)"
                        + " not found; to use the GPU, install CUDA 12.x and cuDNN 9 (what ONNX Runtime 1.29 needs)"
                        + " and put their lib folders on LD_LIBRARY_PATH (or register them with ldconfig)"
                        + " (or choose provider cpu to skip this check)");
        assertThatThrownBy(() ->
                        OnnxSessions.select(ExecutionProvider.CUDA, () -> Finding.missingLibrary("libcudnn.so.9")))
                .hasMessage("execution provider cuda is not usable: libcudnn.so.9 (cuDNN 9) not found; install CUDA"
                        + " 12.x and cuDNN 9 (what ONNX Runtime 1.29 needs) and put their lib folders on"
                        + " LD_LIBRARY_PATH (or register them with ldconfig), or choose provider auto (falls back"
                        + " to CPU) or cpu");
    }

    @Test
    void everyMissingLibraryIsNamed() {
        Finding finding = Finding.missingLibrary("libcudart.so.12, libcublasLt.so.12, libcudnn.so.9");
        assertThat(finding.problem())
                .isEqualTo("libcudart.so.12 (CUDA 12.x runtime), libcublasLt.so.12 (CUDA 12.x cuBLAS),"
                        + " libcudnn.so.9 (cuDNN 9) not found");
    }

    @Test
    void theCpuBuildSaysHowToGetTheGpuBuild() {
        assertThatThrownBy(() -> OnnxSessions.select(ExecutionProvider.CUDA, Finding::notInBuild))
                .hasMessageContaining("this is the CPU build of ONNX Runtime, it has no CUDA provider")
                .hasMessageContaining("./mvnw -Pcuda package");
    }

    @Test
    void noDeviceSaysWhereToLook() {
        Finding finding = Finding.noDevice("no CUDA-capable device is detected");
        assertThat(OnnxSessions.select(ExecutionProvider.AUTO, () -> finding).fallback())
                .contains("no CUDA device (no CUDA-capable device is detected)")
                .contains("nvidia-smi", "525.60.13", "CUDA_VISIBLE_DEVICES");
    }

    @Test
    void aUsedProviderIsNeverAuto() {
        assertThatThrownBy(() -> new ProviderSelection(ExecutionProvider.AUTO, ExecutionProvider.AUTO, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("AUTO");
    }
}
