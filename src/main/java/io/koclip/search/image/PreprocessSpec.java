package io.koclip.search.image;

import java.util.Arrays;
import java.util.Locale;

/**
 * How a model wants its pixels: the CLIP recipe, parameterised by the bundle.
 *
 * @param size side of the square model input, in pixels
 * @param resize how the image is brought to {@code size}
 * @param interpolation the resampling filter (PIL semantics: antialiased when downscaling)
 * @param centerCrop whether the resized image is centre-cropped to {@code size × size}
 * @param mean per-channel mean (R, G, B) subtracted after scaling to [0, 1]
 * @param std per-channel standard deviation (R, G, B) divided by after subtracting the mean
 */
public record PreprocessSpec(
        int size, Resize resize, Interpolation interpolation, boolean centerCrop, float[] mean, float[] std) {

    /** How the image is brought to the model's input size. */
    public enum Resize {
        /** Shortest edge becomes {@code size}, aspect ratio kept (CLIP, torchvision {@code Resize(int)}). */
        SHORTEST_EDGE,
        /** Both edges become {@code size}, aspect ratio ignored. */
        SQUASH;

        /** Parses a bundle's name for the mode ({@code shortest_edge}, {@code shortest}, {@code squash}). */
        public static Resize parse(String name) {
            return switch (name.toLowerCase(Locale.ROOT)) {
                case "shortest_edge", "shortest" -> SHORTEST_EDGE;
                case "squash" -> SQUASH;
                default ->
                    throw new IllegalArgumentException(
                            "resize: '" + name + "' is not one of shortest_edge, shortest, squash");
            };
        }
    }

    /** Resampling filter, with PIL's definitions. */
    public enum Interpolation {
        BICUBIC,
        BILINEAR;

        /** Parses a bundle's name for the filter ({@code bicubic}, {@code bilinear}). */
        public static Interpolation parse(String name) {
            return switch (name.toLowerCase(Locale.ROOT)) {
                case "bicubic" -> BICUBIC;
                case "bilinear" -> BILINEAR;
                default ->
                    throw new IllegalArgumentException("interpolation: '" + name + "' is not one of bicubic, bilinear");
            };
        }
    }

    public PreprocessSpec {
        if (size < 1 || size > 4096) {
            throw new IllegalArgumentException("size: " + size + " is not in [1, 4096]");
        }
        if (mean == null || mean.length != 3) {
            throw new IllegalArgumentException(
                    "mean: expected 3 values (R, G, B), got " + (mean == null ? "none" : mean.length));
        }
        if (std == null || std.length != 3) {
            throw new IllegalArgumentException(
                    "std: expected 3 values (R, G, B), got " + (std == null ? "none" : std.length));
        }
        for (float s : std) {
            if (!(s > 0) || !Float.isFinite(s)) {
                throw new IllegalArgumentException(
                        "std: every value must be finite and > 0, got " + Arrays.toString(std));
            }
        }
        mean = mean.clone();
        std = std.clone();
    }

    @Override
    public float[] mean() {
        return mean.clone();
    }

    @Override
    public float[] std() {
        return std.clone();
    }

    /** Number of floats in one preprocessed image: {@code 3 × size × size}. */
    public int tensorLength() {
        return 3 * size * size;
    }
}
