package io.koclip.search.image;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.koclip.search.image.PilResampler.Coefficients;
import io.koclip.search.image.PilResampler.Filter;
import java.awt.image.BufferedImage;
import org.jspecify.annotations.Nullable;

/**
 * Turns an RGB image into the model's input tensor following a {@link PreprocessSpec}, equal to the
 * CLIP reference pipeline run with PIL and torchvision:
 *
 * <ol>
 *   <li>resize: {@code SHORTEST_EDGE} makes the short side {@code size} and the long side
 *       {@code int(size * long / short)} (torchvision {@code Resize(int)}); {@code SQUASH} makes both
 *       {@code size}; with PIL's antialiased filters, bit-exact (see {@link PilResampler});
 *   <li>centre crop to {@code size × size}: {@code top = round((h - size) / 2)} with Python's
 *       round-half-to-even, same for {@code left} (torchvision {@code CenterCrop});
 *   <li>{@code x / 255}, then {@code (x - mean) / std} per channel, in float32 arithmetic like
 *       torch;
 *   <li>layout CHW: {@code [3, size, size]}, R plane first.
 * </ol>
 *
 * Only the pixels the crop keeps are resampled, so a 12-megapixel photo costs one pass over its
 * rows for the 224 kept columns. Images that are not {@code TYPE_INT_RGB} are converted first like
 * PIL's {@code convert("RGB")} (alpha dropped).
 *
 * <p>Thread-safe: immutable apart from a bounded, concurrent cache of coefficient tables.
 */
public final class ImagePreprocessor {
    /** Coefficient tables kept: a photo library has few distinct sizes. */
    private static final int CACHED_TABLES = 256;

    private final PreprocessSpec spec;
    private final Filter filter;
    /** {@code [3][256]}: normalized value of each 8-bit level, per channel (R, G, B). */
    private final float[][] levels;

    private final Cache<TableKey, Coefficients> tables =
            Caffeine.newBuilder().maximumSize(CACHED_TABLES).build();

    private record TableKey(int inSize, int outSize, int first, int count) {}

    /**
     * @throws IllegalArgumentException if the spec asks for {@code SHORTEST_EDGE} without centre
     *     crop: that output is not {@code size × size}, so it cannot fill a model input
     */
    public ImagePreprocessor(PreprocessSpec spec) {
        if (spec == null) {
            throw new IllegalArgumentException("spec: null");
        }
        if (spec.resize() == PreprocessSpec.Resize.SHORTEST_EDGE && !spec.centerCrop()) {
            throw new IllegalArgumentException(
                    "spec: resize SHORTEST_EDGE without centerCrop gives a non-square image; use SQUASH or crop");
        }
        this.spec = spec;
        this.filter = Filter.of(spec.interpolation());
        float[] mean = spec.mean();
        float[] std = spec.std();
        this.levels = new float[3][256];
        for (int c = 0; c < 3; c++) {
            for (int v = 0; v < 256; v++) {
                // torchvision: to_tensor divides by 255 in float32, Normalize subtracts then divides.
                levels[c][v] = ((float) v / 255f - mean[c]) / std[c];
            }
        }
    }

    public PreprocessSpec spec() {
        return spec;
    }

    /** Returns {@code [3, size, size]} CHW floats, normalized with the spec's mean/std; a new array. */
    public float[] toTensor(BufferedImage rgb) {
        float[] tensor = new float[spec.tensorLength()];
        toTensor(rgb, tensor, 0);
        return tensor;
    }

    /**
     * Writes {@code [3, size, size]} CHW floats into {@code batch} from {@code offset}: one slot of a
     * {@code [batch, 3, size, size]} input, without an intermediate array.
     */
    public void toTensor(BufferedImage rgb, float[] batch, int offset) {
        if (batch == null) {
            throw new IllegalArgumentException("batch: null");
        }
        int length = spec.tensorLength();
        if (offset < 0 || offset > batch.length - length) {
            throw new IllegalArgumentException("offset: " + offset + " + tensor length " + length
                    + " does not fit a batch array of " + batch.length);
        }
        int[] crop = resizeAndCrop(rgb);
        int plane = spec.size() * spec.size();
        float[] r = levels[0];
        float[] g = levels[1];
        float[] b = levels[2];
        for (int i = 0; i < plane; i++) {
            int p = crop[i];
            batch[offset + i] = r[(p >> 16) & 0xFF];
            batch[offset + plane + i] = g[(p >> 8) & 0xFF];
            batch[offset + 2 * plane + i] = b[p & 0xFF];
        }
    }

    /**
     * The resized and cropped pixels, packed RGB {@code [size][size]}: the 8-bit image that PIL
     * would hand to {@code to_tensor}.
     */
    int[] resizeAndCrop(BufferedImage image) {
        if (image == null) {
            throw new IllegalArgumentException("image: null");
        }
        int width = image.getWidth();
        int height = image.getHeight();
        int[] src = RgbConverter.toRgb(image);
        int size = spec.size();
        int outWidth;
        int outHeight;
        if (spec.resize() == PreprocessSpec.Resize.SQUASH) {
            outWidth = size;
            outHeight = size;
        } else {
            int shortSide = Math.min(width, height);
            int longSide = Math.max(width, height);
            // Python: int(size * long / short), true division of exact integers, then truncation.
            int newLong = (int) ((double) ((long) size * longSide) / shortSide);
            outWidth = width <= height ? size : newLong;
            outHeight = width <= height ? newLong : size;
        }
        int left = spec.centerCrop() ? cropOffset(outWidth, size) : 0;
        int top = spec.centerCrop() ? cropOffset(outHeight, size) : 0;
        @Nullable Coefficients horizontal = outWidth == width ? null : table(width, outWidth, left, size);
        @Nullable Coefficients vertical = outHeight == height ? null : table(height, outHeight, top, size);
        return PilResampler.resizeWindow(
                src, width, height, outWidth, outHeight, left, top, size, size, horizontal, vertical);
    }

    /** torchvision's centre-crop offset: {@code int(round((length - size) / 2.0))}, half to even. */
    static int cropOffset(int length, int size) {
        return (int) Math.rint((length - size) / 2.0);
    }

    private Coefficients table(int inSize, int outSize, int first, int count) {
        return tables.get(
                new TableKey(inSize, outSize, first, count),
                key -> Coefficients.compute(inSize, outSize, first, count, filter));
    }
}
