package io.koclip.search.image;

import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBufferByte;
import java.awt.image.Raster;

/**
 * Turns the raw samples of a JPEG (as {@code ImageReader.readRaster} returns them: upsampled by
 * libjpeg, but not colour converted) into packed RGB exactly as libjpeg and PIL do:
 *
 * <ul>
 *   <li>YCbCr: libjpeg's integer conversion ({@code ycc_rgb_convert} in jdcolor.c, 16-bit fixed
 *       point tables);
 *   <li>RGB, gray: as stored (gray replicated);
 *   <li>YCCK: libjpeg's {@code ycck_cmyk_convert}, then as CMYK;
 *   <li>CMYK: PIL's Adobe inversion ({@code "CMYK;I"}: PIL treats every CMYK JPEG as inverted),
 *       then PIL's CMYK→RGB formula.
 * </ul>
 *
 * Embedded ICC profiles are deliberately ignored, as PIL ignores them: Java's readers would
 * convert an Adobe RGB or Display P3 photo to sRGB (tens of levels of difference), and the model
 * was trained on the unconverted samples.
 *
 * <p>Thread-safe: the tables are built once and never written again.
 */
final class JpegColor {
    private static final int SCALE_BITS = 16;
    private static final int ONE_HALF = 1 << (SCALE_BITS - 1);
    // libjpeg's build_ycc_rgb_table, indexed by the 8-bit chroma sample.
    private static final int[] CR_R = new int[256];
    private static final int[] CB_B = new int[256];
    private static final int[] CR_G = new int[256];
    private static final int[] CB_G = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int x = i - 128;
            CR_R[i] = (fix(1.40200) * x + ONE_HALF) >> SCALE_BITS;
            CB_B[i] = (fix(1.77200) * x + ONE_HALF) >> SCALE_BITS;
            CR_G[i] = -fix(0.71414) * x;
            CB_G[i] = -fix(0.34414) * x + ONE_HALF;
        }
    }

    private JpegColor() {}

    private static int fix(double v) {
        return (int) (v * (1 << SCALE_BITS) + 0.5);
    }

    /** Packed RGB ({@code width * height}) from a raw JPEG raster in {@code space}. */
    static int[] toRgb(Raster raw, JpegLayout.ColorSpace space) {
        int bands = switch (space) {
            case GRAY -> 1;
            case YCBCR, RGB -> 3;
            case CMYK, YCCK -> 4;
            case OTHER -> throw new IllegalArgumentException("space: OTHER has no conversion");
        };
        if (raw.getNumBands() != bands) {
            throw new IllegalArgumentException(
                    "raster: " + raw.getNumBands() + " bands, expected " + bands + " for " + space);
        }
        int width = raw.getWidth();
        int height = raw.getHeight();
        int[] out = new int[Math.multiplyExact(width, height)];
        if (space == JpegLayout.ColorSpace.YCBCR && interleavedBytes(raw, bands)) {
            yccToRgb(raw, out);
            return out;
        }
        int[] row = new int[width * bands];
        for (int y = 0; y < height; y++) {
            RgbConverter.readRow(raw, y, row);
            int base = y * width;
            switch (space) {
                case GRAY -> {
                    for (int x = 0; x < width; x++) {
                        int v = row[x] & 0xFF;
                        out[base + x] = v << 16 | v << 8 | v;
                    }
                }
                case RGB -> {
                    for (int x = 0, p = 0; x < width; x++, p += 3) {
                        out[base + x] = (row[p] & 0xFF) << 16 | (row[p + 1] & 0xFF) << 8 | (row[p + 2] & 0xFF);
                    }
                }
                case YCBCR -> {
                    for (int x = 0, p = 0; x < width; x++, p += 3) {
                        out[base + x] = yccToRgb(row[p] & 0xFF, row[p + 1] & 0xFF, row[p + 2] & 0xFF);
                    }
                }
                default -> {
                    boolean ycck = space == JpegLayout.ColorSpace.YCCK;
                    for (int x = 0, p = 0; x < width; x++, p += 4) {
                        int c = row[p] & 0xFF;
                        int m = row[p + 1] & 0xFF;
                        int yy = row[p + 2] & 0xFF;
                        if (ycck) {
                            // ycck_cmyk_convert: CMY = 255 - RGB(YCC), K passes through.
                            int rgb = yccToRgb(c, m, yy);
                            c = 255 - (rgb >> 16 & 0xFF);
                            m = 255 - (rgb >> 8 & 0xFF);
                            yy = 255 - (rgb & 0xFF);
                        }
                        // PIL reads every CMYK JPEG as Adobe-inverted.
                        out[base + x] = RgbConverter.cmykToRgb(255 - c, 255 - m, 255 - yy, 255 - (row[p + 3] & 0xFF));
                    }
                }
            }
        }
        return out;
    }

    /**
     * Whether the raster is one byte array with the bands of a pixel next to each other in order
     * ({@code Y Cb Cr Y Cb Cr ...}), as the JDK's JPEG reader returns it: then {@link #yccToRgb(Raster,
     * int[])} reads the array directly, in one pass, instead of copying each row through {@link
     * RgbConverter#readRow} and converting it in a second pass (docs/benchmarks.md section 8).
     */
    private static boolean interleavedBytes(Raster raw, int bands) {
        if (!(raw.getDataBuffer() instanceof DataBufferByte buffer)
                || buffer.getNumBanks() != 1
                || !(raw.getSampleModel() instanceof ComponentSampleModel sm)
                || sm.getPixelStride() != bands) {
            return false;
        }
        int[] offsets = sm.getBandOffsets();
        int[] banks = sm.getBankIndices();
        for (int band = 0; band < bands; band++) {
            if (offsets[band] != band || banks[band] != 0) {
                return false;
            }
        }
        return true;
    }

    /** {@link #yccToRgb(int, int, int)} over a whole interleaved byte raster (see {@link #interleavedBytes}). */
    private static void yccToRgb(Raster raw, int[] out) {
        ComponentSampleModel sm = (ComponentSampleModel) raw.getSampleModel();
        byte[] data = ((DataBufferByte) raw.getDataBuffer()).getData();
        int width = raw.getWidth();
        int height = raw.getHeight();
        int stride = sm.getScanlineStride();
        int origin = raw.getDataBuffer().getOffset()
                + (raw.getMinY() - raw.getSampleModelTranslateY()) * stride
                + (raw.getMinX() - raw.getSampleModelTranslateX()) * 3;
        for (int y = 0; y < height; y++) {
            int o = y * width;
            for (int x = 0, i = origin + y * stride; x < width; x++, i += 3) {
                out[o + x] = yccToRgb(data[i] & 0xFF, data[i + 1] & 0xFF, data[i + 2] & 0xFF);
            }
        }
    }

    /** libjpeg's {@code ycc_rgb_convert} for one pixel: range-limited to [0, 255]. */
    static int yccToRgb(int y, int cb, int cr) {
        int r = RgbConverter.clip8(y + CR_R[cr]);
        int g = RgbConverter.clip8(y + ((CB_G[cb] + CR_G[cr]) >> SCALE_BITS));
        int b = RgbConverter.clip8(y + CB_B[cb]);
        return r << 16 | g << 8 | b;
    }
}
