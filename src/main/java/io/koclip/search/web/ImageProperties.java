package io.koclip.search.web;

import io.koclip.search.image.DecodeOptions;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code koclip.image.*}: how the server decodes images, for uploads, thumbnails and its ingest jobs
 * alike ({@code serve --decoder/--decode}).
 *
 * @param decoder {@code auto} (libvips when {@code libvips.so.42} loads, else ImageIO), {@code
 *     imageio} (native decoding off), {@code libvips} (required: the server does not start without it)
 * @param decodeMode {@code exact} (full-size JPEG decodes, PIL-identical) or {@code fast} (libvips
 *     shrinks JPEGs on load, keeping the shortest side at least twice the model's input size)
 */
@Validated
@ConfigurationProperties("koclip.image")
record ImageProperties(
        @DefaultValue("auto") @NotNull DecodeOptions.Backend decoder,
        @DefaultValue(DecodeOptions.DEFAULT_MODE) @NotNull DecodeOptions.Shrink decodeMode) {

    /** The decode options for a model whose square input is {@code modelInputSize} pixels. */
    DecodeOptions options(int modelInputSize) {
        return DecodeOptions.of(decoder, decodeMode, modelInputSize);
    }
}
