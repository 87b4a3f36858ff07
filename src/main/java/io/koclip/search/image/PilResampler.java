package io.koclip.search.image;

import io.koclip.search.image.PreprocessSpec.Interpolation;
import org.jspecify.annotations.Nullable;

/**
 * Pillow's {@code ImagingResample} for 8-bit RGB (src/libImaging/Resample.c), reproduced to the
 * bit: a separable filter, horizontal pass first, then vertical; each pass weighs its taps with
 * fixed-point coefficients ({@value #PRECISION_BITS} fractional bits), rounds, and clips to uint8,
 * so the intermediate image is 8-bit exactly as in PIL. When downscaling, the filter support is
 * widened by the scale factor (antialiasing). A pass whose size does not change is skipped, as PIL
 * skips it.
 *
 * <p>Only the output window that the caller keeps (the centre crop) is computed: every output
 * pixel of each pass depends only on its own coefficient row, so computing a window gives the
 * same values as resizing the whole image and cropping.
 *
 * <p>Thread-safe: stateless; coefficient tables are immutable.
 */
final class PilResampler {
    /** 8 bits for the result and 2 for overshoot: PIL's {@code 32 - 8 - 2}. */
    static final int PRECISION_BITS = 32 - 8 - 2;

    private PilResampler() {}

    /** PIL's filters, with their support (half-width in input pixels at scale 1). */
    enum Filter {
        /** Keys' cubic convolution, {@code a = -0.5}. */
        BICUBIC(2.0) {
            @Override
            double weight(double x) {
                final double a = -0.5;
                if (x < 0.0) {
                    x = -x;
                }
                if (x < 1.0) {
                    return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
                }
                if (x < 2.0) {
                    return (((x - 5) * x + 8) * x - 4) * a;
                }
                return 0.0;
            }
        },
        /** Triangle. */
        BILINEAR(1.0) {
            @Override
            double weight(double x) {
                if (x < 0.0) {
                    x = -x;
                }
                return x < 1.0 ? 1.0 - x : 0.0;
            }
        };

        final double support;

        Filter(double support) {
            this.support = support;
        }

        abstract double weight(double x);

        static Filter of(Interpolation interpolation) {
            return switch (interpolation) {
                case BICUBIC -> BICUBIC;
                case BILINEAR -> BILINEAR;
            };
        }
    }

    /**
     * Fixed-point coefficients of one axis for outputs {@code [first, first + count)} of an
     * {@code inSize → outSize} resize ({@code precompute_coeffs} + {@code normalize_coeffs_8bpc}).
     *
     * @param start per output: first input index used
     * @param taps per output: number of input indices used
     * @param ksize stride of {@code weights}: maximum taps per output
     * @param weights {@code [count][ksize]}, each row sums to about {@code 1 << PRECISION_BITS}
     */
    record Coefficients(
            int inSize, int outSize, int first, int count, int[] start, int[] taps, int ksize, int[] weights) {

        static Coefficients compute(int inSize, int outSize, int first, int count, Filter filter) {
            if (inSize < 1 || outSize < 1) {
                throw new IllegalArgumentException("sizes: " + inSize + " -> " + outSize + " must be >= 1");
            }
            if (first < 0 || count < 1 || first + count > outSize) {
                throw new IllegalArgumentException(
                        "window: [" + first + ", " + (first + count) + ") is not inside [0, " + outSize + ")");
            }
            // PIL passes the box as floats (in0 = 0, in1 = inSize) and works in double from there.
            double scale = (double) (float) inSize / outSize;
            double filterScale = Math.max(scale, 1.0);
            double support = filter.support * filterScale;
            int ksize = (int) Math.ceil(support) * 2 + 1;
            int[] start = new int[count];
            int[] taps = new int[count];
            int[] weights = new int[Math.multiplyExact(count, ksize)];
            double[] k = new double[ksize];
            for (int i = 0; i < count; i++) {
                int xx = first + i;
                double center = (xx + 0.5) * scale;
                double ss = 1.0 / filterScale;
                // (int) truncates toward zero, as C's cast does; the clamp then fixes negatives.
                int xmin = Math.max((int) (center - support + 0.5), 0);
                int xmax = Math.min((int) (center + support + 0.5), inSize) - xmin;
                double ww = 0.0;
                for (int x = 0; x < xmax; x++) {
                    double w = filter.weight((x + xmin - center + 0.5) * ss);
                    k[x] = w;
                    ww += w;
                }
                int row = i * ksize;
                for (int x = 0; x < xmax; x++) {
                    double w = ww != 0.0 ? k[x] / ww : k[x];
                    // normalize_coeffs_8bpc: round half away from zero, truncating cast.
                    weights[row + x] =
                            w < 0 ? (int) (-0.5 + w * (1 << PRECISION_BITS)) : (int) (0.5 + w * (1 << PRECISION_BITS));
                }
                start[i] = xmin;
                taps[i] = Math.max(xmax, 0);
            }
            return new Coefficients(inSize, outSize, first, count, start, taps, ksize, weights);
        }
    }

    /**
     * Resizes packed RGB {@code src} ({@code [height][width]}) to {@code outWidth × outHeight} and
     * returns only the window at ({@code left}, {@code top}) of {@code windowWidth × windowHeight},
     * as packed RGB.
     */
    static int[] resizeWindow(
            int[] src,
            int width,
            int height,
            int outWidth,
            int outHeight,
            int left,
            int top,
            int windowWidth,
            int windowHeight,
            @Nullable Coefficients horizontal,
            @Nullable Coefficients vertical) {
        if (src.length < (long) width * height) {
            throw new IllegalArgumentException("src: " + src.length + " pixels, fewer than " + width + "x" + height);
        }
        boolean needHorizontal = outWidth != width;
        boolean needVertical = outHeight != height;
        // Input rows the vertical pass reads, [rowFirst, rowEnd).
        int rowFirst;
        int rowEnd;
        @Nullable
        Coefficients v = needVertical ? fits(vertical, height, outHeight, top, windowHeight, "vertical") : null;
        if (v != null) {
            rowFirst = v.start[0];
            rowEnd = v.start[windowHeight - 1] + v.taps[windowHeight - 1];
            for (int i = 0; i < windowHeight; i++) {
                rowFirst = Math.min(rowFirst, v.start[i]);
                rowEnd = Math.max(rowEnd, v.start[i] + v.taps[i]);
            }
        } else {
            rowFirst = top;
            rowEnd = top + windowHeight;
        }
        int rows = rowEnd - rowFirst;
        // [rows][windowWidth] packed RGB: the horizontal pass, clipped to uint8 like PIL's imTemp.
        int[] temp = new int[Math.multiplyExact(rows, windowWidth)];
        if (needHorizontal) {
            Coefficients h = fits(horizontal, width, outWidth, left, windowWidth, "horizontal");
            horizontalPass(src, width, rowFirst, rows, h, windowWidth, temp);
        } else {
            for (int r = 0; r < rows; r++) {
                System.arraycopy(src, (rowFirst + r) * width + left, temp, r * windowWidth, windowWidth);
            }
        }
        if (v == null) {
            return temp;
        }
        int[] out = new int[Math.multiplyExact(windowWidth, windowHeight)];
        verticalPass(temp, windowWidth, rowFirst, v, windowHeight, out);
        return out;
    }

    /** Returns {@code c} if it was computed for this resize and window, else throws. */
    private static Coefficients fits(@Nullable Coefficients c, int in, int out, int first, int count, String axis) {
        if (c == null || c.inSize != in || c.outSize != out || c.first != first || c.count != count) {
            throw new IllegalArgumentException(axis + " coefficients: " + describe(c) + " do not fit " + in + " -> "
                    + out + " window [" + first + ", " + (first + count) + ")");
        }
        return c;
    }

    private static String describe(@Nullable Coefficients c) {
        return c == null
                ? "none"
                : c.inSize + " -> " + c.outSize + " window [" + c.first + ", " + (c.first + c.count) + ")";
    }

    /**
     * {@code ImagingResampleHorizontal_8bpc}, 3 bands, for the output columns of {@code c}'s window.
     * Each source row is first split into R, G and B planes so that the three dot products of an
     * output pixel run in one loop over plain int arrays, which the JIT vectorizes (about 1.5x
     * faster than unpacking every tap).
     */
    private static void horizontalPass(
            int[] src, int width, int rowFirst, int rows, Coefficients c, int windowWidth, int[] temp) {
        final int half = 1 << (PRECISION_BITS - 1);
        int[] start = c.start;
        int[] taps = c.taps;
        int[] weights = c.weights;
        int ksize = c.ksize;
        // Only the source columns the window reads: [colFirst, colEnd).
        int colFirst = start[0];
        int colEnd = start[windowWidth - 1] + taps[windowWidth - 1];
        for (int i = 0; i < windowWidth; i++) {
            colFirst = Math.min(colFirst, start[i]);
            colEnd = Math.max(colEnd, start[i] + taps[i]);
        }
        int span = colEnd - colFirst;
        int[] red = new int[span];
        int[] green = new int[span];
        int[] blue = new int[span];
        for (int r = 0; r < rows; r++) {
            int rowBase = (rowFirst + r) * width + colFirst;
            for (int x = 0; x < span; x++) {
                int p = src[rowBase + x];
                red[x] = (p >> 16) & 0xFF;
                green[x] = (p >> 8) & 0xFF;
                blue[x] = p & 0xFF;
            }
            int outBase = r * windowWidth;
            for (int xx = 0; xx < windowWidth; xx++) {
                int in = start[xx] - colFirst;
                int k = xx * ksize;
                int n = taps[xx];
                int s0 = half;
                int s1 = half;
                int s2 = half;
                for (int x = 0; x < n; x++) {
                    int w = weights[k + x];
                    s0 += red[in + x] * w;
                    s1 += green[in + x] * w;
                    s2 += blue[in + x] * w;
                }
                temp[outBase + xx] = clip8(s0) << 16 | clip8(s1) << 8 | clip8(s2);
            }
        }
    }

    /** {@code ImagingResampleVertical_8bpc}, 3 bands; taps outer, columns inner, for locality. */
    private static void verticalPass(
            int[] temp, int windowWidth, int rowFirst, Coefficients c, int windowHeight, int[] out) {
        final int half = 1 << (PRECISION_BITS - 1);
        int[] s0 = new int[windowWidth];
        int[] s1 = new int[windowWidth];
        int[] s2 = new int[windowWidth];
        for (int yy = 0; yy < windowHeight; yy++) {
            java.util.Arrays.fill(s0, half);
            java.util.Arrays.fill(s1, half);
            java.util.Arrays.fill(s2, half);
            int n = c.taps[yy];
            int k = yy * c.ksize;
            for (int y = 0; y < n; y++) {
                int w = c.weights[k + y];
                int rowBase = (c.start[yy] + y - rowFirst) * windowWidth;
                for (int x = 0; x < windowWidth; x++) {
                    int p = temp[rowBase + x];
                    s0[x] += ((p >> 16) & 0xFF) * w;
                    s1[x] += ((p >> 8) & 0xFF) * w;
                    s2[x] += (p & 0xFF) * w;
                }
            }
            int outBase = yy * windowWidth;
            for (int x = 0; x < windowWidth; x++) {
                out[outBase + x] = clip8(s0[x]) << 16 | clip8(s1[x]) << 8 | clip8(s2[x]);
            }
        }
    }

    /** PIL's {@code clip8}: drop the fraction bits, clamp to [0, 255]. */
    private static int clip8(int sum) {
        int v = sum >> PRECISION_BITS;
        return v < 0 ? 0 : Math.min(v, 255);
    }
}
