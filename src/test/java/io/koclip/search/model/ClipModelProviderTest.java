package io.koclip.search.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.koclip.search.model.ProviderProbe.Finding;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** {@link ClipModel#open} with a stubbed probe: what runs, what is logged, what fails. */
class ClipModelProviderTest {
    private final ListAppender<ILoggingEvent> events = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

    @BeforeEach
    void capture() {
        events.start();
        root.addAppender(events);
    }

    @AfterEach
    void release() {
        root.detachAppender(events);
    }

    private List<String> warnings() {
        return events.list.stream()
                .filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                .map(ILoggingEvent::getFormattedMessage)
                .toList();
    }

    private static ModelOptions options(ExecutionProvider provider) {
        return new ModelOptions(provider, 1, false);
    }

    @Test
    void autoWithoutCudaLibrariesEmbedsOnCpuAfterOneWarning() {
        ModelBundle demo = BundleLoader.load("demo");
        float[] expected;
        try (ClipModel cpu = ClipModel.open(demo, options(ExecutionProvider.CPU), () -> {
            throw new AssertionError("cpu must not probe");
        })) {
            expected = cpu.texts().encodePrompts(List.of(List.of("빨간 원")))[0];
        }
        assertThat(warnings()).isEmpty();
        try (ClipModel clip = ClipModel.open(
                demo, options(ExecutionProvider.AUTO), () -> Finding.missingLibrary("libcublasLt.so.12"))) {
            assertThat(clip.provider()).isEqualTo(ExecutionProvider.CPU);
            assertThat(clip.providerSelection().requested()).isEqualTo(ExecutionProvider.AUTO);
            assertThat(clip.providerSelection().fallback()).contains("libcublasLt.so.12");
            assertThat(clip.texts().encodePrompts(List.of(List.of("빨간 원")))[0]).containsExactly(expected);
        }
        assertThat(warnings())
                .singleElement()
                .asString()
                .startsWith("execution provider auto: running on CPU because libcublasLt.so.12 (CUDA 12.x cuBLAS)")
                .contains("CUDA 12.x and cuDNN 9");
    }

    @Test
    void cudaWithoutCudaFailsBeforeLoadingAnything() {
        ModelBundle demo = BundleLoader.load("demo");
        assertThatThrownBy(() -> ClipModel.open(
                        demo,
                        options(ExecutionProvider.CUDA),
                        () -> Finding.noDevice("no CUDA-capable device is detected")))
                .isInstanceOf(ProviderUnavailableException.class)
                .hasMessageStartingWith("execution provider cuda is not usable: no CUDA device");
        assertThat(warnings()).isEmpty();
    }

    @Test
    void aProbeThatSaysYesOnTheCpuBuildStillFailsInOneLine() {
        // The CPU jar's addCUDA fails; the message is classified the same way as the probe's.
        org.junit.jupiter.api.Assumptions.assumeFalse(
                OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA), "this is the GPU build");
        assertThatThrownBy(() ->
                        ClipModel.open(BundleLoader.load("demo"), options(ExecutionProvider.CUDA), Finding::available))
                .isInstanceOf(ProviderUnavailableException.class)
                .hasMessageContaining("this is the CPU build of ONNX Runtime")
                .hasMessageNotContaining("\n");
    }
}
