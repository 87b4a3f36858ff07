package io.koclip.search.image;

import java.awt.image.Raster;

/**
 * Turns the raw 4-component samples of a CMYK or YCCK JPEG (as {@code ImageReader.readRaster}
 * returns them: stored values, no colour conversion) into packed RGB exactly as PIL does:
 * libjpeg's integer YCCK→CMYK conversion (jdcolor.c, {@code ycck_cmyk_convert}) where needed, then
 * PIL's Adobe inversion ({@code "CMYK;I"}) and its CMYK→RGB formula. Deliberately not the ICC
 * conversion TwelveMonkeys would apply: the model was trained on PIL's colours.
 *
 * <p>Thread-safe: the tables are built once and never written again.
 */
final class JpegCmyk {
    private static final int SCALE_BITS = 16;
    private static final int ONE_HALF = 1 << (SCALE_BITS - 1);
    // libjpeg's YCbCr→RGB tables, indexed by the 8-bit chroma sample.
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

    private JpegCmyk() {}

    private static int fix(double v) {
        return (int) (v * (1 << SCALE_BITS) + 0.5);
    }

    /** Packed RGB ({@code width * height}) from a 4-band raw JPEG raster. */
    static int[] toRgb(Raster raw, boolean ycck) {
        if (raw.getNumBands() != 4) {
            throw new IllegalArgumentException("raster: " + raw.getNumBands() + " bands, expected 4 (CMYK/YCCK)");
        }
        int width = raw.getWidth();
        int height = raw.getHeight();
        int[] out = new int[Math.multiplyExact(width, height)];
        int[] row = new int[width * 4];
        for (int y = 0; y < height; y++) {
            RgbConverter.readRow(raw, y, row);
            int base = y * width;
            for (int x = 0, p = 0; x < width; x++, p += 4) {
                int c = row[p];
                int m = row[p + 1];
                int yy = row[p + 2];
                if (ycck) {
                    int luma = row[p];
                    int cb = row[p + 1];
                    int cr = row[p + 2];
                    c = RgbConverter.clip8(255 - (luma + CR_R[cr]));
                    m = RgbConverter.clip8(255 - (luma + ((CB_G[cb] + CR_G[cr]) >> SCALE_BITS)));
                    yy = RgbConverter.clip8(255 - (luma + CB_B[cb]));
                }
                // PIL reads every CMYK JPEG as Adobe-inverted.
                out[base + x] = RgbConverter.cmykToRgb(255 - c, 255 - m, 255 - yy, 255 - row[p + 3]);
            }
        }
        return out;
    }
}
