package io.koclip.search.options;

import io.koclip.search.image.DecodeOptions;
import io.koclip.search.image.DecodeOptions.Backend;
import io.koclip.search.image.DecodeOptions.Shrink;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * How images are decoded ({@code --decoder}, {@code --decode}): shared by every command that decodes
 * images (ingest, embed, eval, bench-ingest) and by {@code serve}, which passes them on as {@code
 * koclip.image.decoder} and {@code koclip.image.decode-mode}. Unset options are null here, so that
 * {@code serve} passes only what the user gave; {@link #options(int)} fills in the defaults.
 */
public final class DecodeMixin {
    @Option(
            names = "--decoder",
            paramLabel = "auto|imageio|libvips",
            description = "Decoder of JPEG, HEIC and AVIF: libvips when installed (auto), ImageIO only, or libvips"
                    + " required (default: auto).")
    @Nullable
    String decoder;

    @Option(
            names = "--decode",
            paramLabel = "exact|fast",
            description = "exact: full-size JPEG decodes (PIL-identical); fast: libvips shrinks JPEGs on load to"
                    + " at least twice the model's input size (equal to PIL's draft) (default: "
                    + DecodeOptions.DEFAULT_MODE + ").")
    @Nullable
    String mode;

    /** {@code --decoder} as given, or null. */
    public @Nullable String decoder() {
        return decoder;
    }

    /** {@code --decode} as given, or null. */
    public @Nullable String mode() {
        return mode;
    }

    /**
     * The decode options for a model whose square input is {@code modelInputSize} pixels.
     *
     * @throws IllegalArgumentException naming the option, for a value that is not one of its choices
     */
    public DecodeOptions options(int modelInputSize) {
        Backend backend;
        Shrink shrink;
        try {
            backend = Backend.parse(decoder == null ? "auto" : decoder);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--" + e.getMessage(), e);
        }
        try {
            shrink = Shrink.parse(mode == null ? DecodeOptions.DEFAULT_MODE : mode);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--decode: '" + mode + "' is not one of exact, fast", e);
        }
        return DecodeOptions.of(backend, shrink, modelInputSize);
    }
}
