package io.koclip.search.web;

import io.koclip.search.model.ExecutionProvider;
import io.koclip.search.model.ModelOptions;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code koclip.model.*}: which dual encoder the server loads and how it runs.
 *
 * @param bundle a bundle folder ({@code koclip-bundle/1} or Immich CLIP layout) or {@code demo}, the
 *     small bundle inside the jar ({@code serve --model})
 * @param provider ONNX Runtime execution provider: {@code cpu}, {@code cuda} or {@code auto}
 * @param threads ONNX Runtime intra-op threads per call; 0 uses one per core
 * @param spinning whether idle ONNX Runtime threads spin (lower latency on an idle machine, wasted
 *     cycles on a busy one)
 * @param variant a precision variant listed in the bundle's model.json (e.g. {@code int8}); empty for
 *     the bundle's main graphs ({@code serve --variant})
 */
@Validated
@ConfigurationProperties("koclip.model")
record ModelProperties(
        @DefaultValue("demo") @NotBlank String bundle,

        @DefaultValue("cpu") @Pattern(regexp = "(?i)cpu|cuda|gpu|auto")
        String provider,

        @DefaultValue("0") @Min(0) @Max(1024) int threads,
        @DefaultValue("false") boolean spinning,
        @DefaultValue("") String variant) {

    ModelOptions options() {
        return new ModelOptions(
                ExecutionProvider.parse(provider), threads, spinning, variant.isBlank() ? null : variant);
    }
}
