package io.koclip.search.image;

import java.util.Locale;

/**
 * Which decoder runs and how much of a JPEG it decodes.
 *
 * @param backend which decoder handles JPEG, HEIC and AVIF
 * @param shrink whether JPEGs are shrunk on load
 * @param minShortSide with {@link Shrink#FAST}: the shortest side, in pixels, a shrunk JPEG keeps at
 *     least (twice the model's input size: {@link #fast(int)}); ignored for {@link Shrink#EXACT}
 */
public record DecodeOptions(Backend backend, Shrink shrink, int minShortSide) {
    /**
     * The decode mode of the product surfaces when none is given ({@code --decode}, {@code
     * koclip.image.decode-mode}): {@code fast}, chosen from the measurements in docs/operations.md
     * ("Shrink-on-load": retrieval unchanged, decoding 2-10x cheaper). Without libvips it decodes as
     * {@code exact} does.
     */
    public static final String DEFAULT_MODE = "fast";

    /**
     * The library's default, for code that builds a decoder itself (tests, fidelity tools): libvips
     * when installed, else ImageIO; full-size decodes, bit-identical to PIL on both paths. The
     * product surfaces default to {@link #DEFAULT_MODE} instead.
     */
    public static final DecodeOptions DEFAULT = new DecodeOptions(Backend.AUTO, Shrink.EXACT, 0);

    /** Which decoder handles the formats libvips decodes (JPEG, HEIC, AVIF); the others always use ImageIO. */
    public enum Backend {
        /** libvips when {@code libvips.so.42} loads (and {@code -Dkoclip.image.decoder=imageio} is not set), else ImageIO. */
        AUTO,
        /** ImageIO only, as before libvips support: HEIC and AVIF are refused as unsupported. */
        IMAGEIO,
        /** libvips, required: constructing the decoder fails when it is not installed. */
        LIBVIPS;

        /** Parses {@code auto}, {@code imageio} or {@code libvips} (any case). */
        public static Backend parse(String name) {
            return switch (name.toLowerCase(Locale.ROOT)) {
                case "auto" -> AUTO;
                case "imageio" -> IMAGEIO;
                case "libvips" -> LIBVIPS;
                default ->
                    throw new IllegalArgumentException("decoder: '" + name + "' is not one of auto, imageio, libvips");
            };
        }
    }

    /** How much of a JPEG is decoded. */
    public enum Shrink {
        /** Full size: the decoded pixels equal PIL's {@code Image.open(...).convert("RGB")}. */
        EXACT,
        /**
         * libjpeg's DCT-domain scaling (1/2, 1/4, 1/8) on the libvips path: the largest scale that
         * keeps the shortest side at least {@code minShortSide}; equal to PIL's {@code Image.draft}
         * at the same scale. The ImageIO path has no DCT scaling and decodes full size.
         */
        FAST;

        /** Parses {@code exact} or {@code fast} (any case). */
        public static Shrink parse(String name) {
            return switch (name.toLowerCase(Locale.ROOT)) {
                case "exact" -> EXACT;
                case "fast" -> FAST;
                default -> throw new IllegalArgumentException("decode mode: '" + name + "' is not one of exact, fast");
            };
        }
    }

    public DecodeOptions {
        if (backend == null || shrink == null) {
            throw new IllegalArgumentException(
                    "backend and shrink: must not be null (" + backend + ", " + shrink + ")");
        }
        if (minShortSide < 0 || (shrink == Shrink.FAST && minShortSide < 1)) {
            throw new IllegalArgumentException(
                    "minShortSide: " + minShortSide + " must be >= 1 with shrink fast, >= 0 otherwise");
        }
    }

    /** Shrink-on-load that keeps the shortest side at least twice {@code modelInputSize}. */
    public static DecodeOptions fast(int modelInputSize) {
        if (modelInputSize < 1) {
            throw new IllegalArgumentException("modelInputSize: " + modelInputSize + " must be >= 1");
        }
        return new DecodeOptions(Backend.AUTO, Shrink.FAST, 2 * modelInputSize);
    }

    /**
     * The options a product surface builds (the {@code --decoder}/{@code --decode} options,
     * {@code koclip.image.*}): {@code fast} keeps the shortest side at least twice {@code modelInputSize}.
     */
    public static DecodeOptions of(Backend backend, Shrink shrink, int modelInputSize) {
        return shrink == Shrink.FAST ? fast(modelInputSize).withBackend(backend) : DEFAULT.withBackend(backend);
    }

    /**
     * These options, with a {@link Shrink#FAST} shrink never taking the shortest side below {@code
     * shortSide} either: for thumbnails larger than what the model needs. {@link Shrink#EXACT} is
     * returned unchanged.
     */
    public DecodeOptions keepingShortSide(int shortSide) {
        return shrink == Shrink.FAST && shortSide > minShortSide ? new DecodeOptions(backend, shrink, shortSide) : this;
    }

    /** The same options with another backend. */
    public DecodeOptions withBackend(Backend other) {
        return new DecodeOptions(other, shrink, minShortSide);
    }

    /**
     * The JPEG scale denominator for an image whose shortest stored side is {@code shortSide}: the
     * largest of 8, 4, 2 whose libjpeg output ({@code ceil(side / n)}) keeps {@code minShortSide},
     * else 1. Always 1 for {@link Shrink#EXACT}.
     */
    int jpegShrink(int shortSide) {
        if (shrink == Shrink.EXACT) {
            return 1;
        }
        for (int n = 8; n > 1; n /= 2) {
            if ((shortSide + n - 1) / n >= minShortSide) {
                return n;
            }
        }
        return 1;
    }
}
