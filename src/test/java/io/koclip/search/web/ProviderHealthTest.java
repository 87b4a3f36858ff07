package io.koclip.search.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import io.koclip.search.image.ImageDecoder;
import io.koclip.search.model.ClipModel;
import io.koclip.search.model.ExecutionProvider;
import io.koclip.search.model.ModelOptions;
import io.koclip.search.model.ProviderUnavailableException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.io.support.SpringFactoriesLoader;

/** The provider as the server reports it: health details and the start-up failure report. */
class ProviderHealthTest {
    @Test
    void healthSaysWhatRunsWhatWasAskedAndWhyItFellBack() {
        assumeFalse(OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA), "this is the GPU build");
        try (ClipModel model = ClipModel.open("demo", new ModelOptions(ExecutionProvider.AUTO, 1, false))) {
            Map<String, Object> details = new ModelHealth(model, new ImageDecoder(100_000_000L))
                    .health()
                    .getDetails();
            assertThat(details).containsEntry("provider", "cpu").containsEntry("requestedProvider", "auto");
            assertThat((String) details.get("providerFallback"))
                    .startsWith("execution provider auto: running on CPU because this is the CPU build");
        }
        try (ClipModel model = ClipModel.open("demo", new ModelOptions(ExecutionProvider.CPU, 1, false))) {
            Map<String, Object> details = new ModelHealth(model, new ImageDecoder(100_000_000L))
                    .health()
                    .getDetails();
            assertThat(details).containsEntry("provider", "cpu").doesNotContainKey("providerFallback");
        }
    }

    @Test
    void aStartThatStopsOnCudaIsReportedInTwoSentences() {
        String message = "execution provider cuda is not usable: libcudnn.so.9 (cuDNN 9) not found; install …";
        FailureAnalyzer analyzer = SpringFactoriesLoader.forDefaultResourceLocation()
                .load(FailureAnalyzer.class, null, (type, name, failure) -> {
                    // Spring's own analyzers want a bean factory; only ours matters here.
                })
                .stream()
                .filter(ProviderFailureAnalyzer.class::isInstance)
                .findFirst()
                .orElseThrow(() -> new AssertionError("ProviderFailureAnalyzer is not in META-INF/spring.factories"));
        FailureAnalysis analysis = analyzer.analyze(
                new BeanCreationException("clipModel", "failed", new ProviderUnavailableException(message)));
        assertThat(analysis.getDescription()).isEqualTo(message);
        assertThat(analysis.getAction()).contains("koclip.model.provider", "auto", "cpu");
    }
}
