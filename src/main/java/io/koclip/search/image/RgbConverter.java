package io.koclip.search.image;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.awt.image.DataBufferUShort;
import java.awt.image.DirectColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.SampleModel;
import java.awt.image.SinglePixelPackedSampleModel;
import org.jspecify.annotations.Nullable;

/**
 * Converts decoded rasters to packed 8-bit RGB ({@code 0x00RRGGBB}, row-major, {@code width * height}
 * ints) with PIL's {@code convert("RGB")} semantics, by reading raw samples: no Java colour
 * management, because {@code ColorConvertOp}/{@code Graphics2D} apply the gamma of Java's linear gray
 * space and embedded ICC profiles, and PIL does neither.
 *
 * <ul>
 *   <li>gray: replicated into R, G and B;
 *   <li>alpha: dropped, never composited (PIL {@code convert("RGB")} on RGBA/LA/P+transparency);
 *   <li>palette: expanded through the palette, whatever the transparency;
 *   <li>16-bit samples: the high byte ({@code v >> 8}), as PIL loads 16-bit RGB/RGBA PNGs; never
 *       clipped at 255 (PIL's {@code convert} on mode {@code I} would clip);
 *   <li>CMYK: PIL's formula, {@code R = (255 - K) - (C * (255 - K)) / 255} rounded like PIL's
 *       {@code MULDIV255};
 *   <li>other colour spaces (e.g. Lab, YCbCr left unconverted by a plugin): through Java's
 *       {@code getRGB}, the only case that goes through colour management.
 * </ul>
 *
 * Thread-safe: stateless.
 */
final class RgbConverter {
    private RgbConverter() {}

    /** Packed RGB of a whole image; returns the image's own array for a plain {@code TYPE_INT_RGB}. */
    static int[] toRgb(BufferedImage image) {
        int[] direct = sharedIntRgb(image);
        if (direct != null) {
            return direct;
        }
        Raster raster = image.getRaster();
        ColorModel cm = image.getColorModel();
        int width = raster.getWidth();
        int height = raster.getHeight();
        int[] out = new int[Math.multiplyExact(width, height)];
        if (cm instanceof IndexColorModel icm) {
            indexed(raster, icm, out);
        } else if (cm instanceof DirectColorModel dcm) {
            packed(raster, dcm, out);
        } else if (cm instanceof ComponentColorModel && isPlain(cm)) {
            components(raster, cm, out);
        } else {
            managed(image, out);
        }
        return out;
    }

    /**
     * The pixel array of a {@code TYPE_INT_RGB}/{@code TYPE_INT_ARGB} image laid out exactly as
     * {@code width * height} packed ints (no offset, no padding), else null. Alpha bits, if any, are
     * left in place: callers mask with {@code 0xFFFFFF}.
     */
    static int @Nullable [] sharedIntRgb(BufferedImage image) {
        int type = image.getType();
        if (type != BufferedImage.TYPE_INT_RGB && type != BufferedImage.TYPE_INT_ARGB) {
            return null;
        }
        Raster raster = image.getRaster();
        if (!(raster.getDataBuffer() instanceof DataBufferInt buffer)
                || !(raster.getSampleModel() instanceof SinglePixelPackedSampleModel sm)
                || buffer.getNumBanks() != 1
                || buffer.getOffset() != 0
                || sm.getScanlineStride() != raster.getWidth()
                || raster.getSampleModelTranslateX() != 0
                || raster.getSampleModelTranslateY() != 0
                || raster.getMinX() != 0
                || raster.getMinY() != 0) {
            return null;
        }
        int[] data = buffer.getData();
        return data.length == raster.getWidth() * raster.getHeight() ? data : null;
    }

    /**
     * PIL's conversion of CMYK samples (as PIL holds them: 0 = no ink) to packed RGB.
     * {@code MULDIV255(a, b) = ((a * b + 128) >> 8 + (a * b + 128)) >> 8}.
     */
    static int cmykToRgb(int c, int m, int y, int k) {
        int nk = 255 - k;
        int r = nk - mulDiv255(c, nk);
        int g = nk - mulDiv255(m, nk);
        int b = nk - mulDiv255(y, nk);
        return clip8(r) << 16 | clip8(g) << 8 | clip8(b);
    }

    static int mulDiv255(int a, int b) {
        int tmp = a * b + 128;
        return ((tmp >> 8) + tmp) >> 8;
    }

    static int clip8(int v) {
        return v < 0 ? 0 : Math.min(v, 255);
    }

    private static boolean isPlain(ColorModel cm) {
        int type = cm.getColorSpace().getType();
        int colours = cm.getNumColorComponents();
        return (type == ColorSpace.TYPE_GRAY && colours == 1)
                || (type == ColorSpace.TYPE_RGB && colours == 3)
                || (type == ColorSpace.TYPE_CMYK && colours == 4);
    }

    private static void indexed(Raster raster, IndexColorModel icm, int[] out) {
        int size = icm.getMapSize();
        int[] palette = new int[256];
        // Indices past the palette read as black, like PIL's zero-filled 256-entry palette.
        for (int i = 0; i < Math.min(size, 256); i++) {
            palette[i] = icm.getRGB(i) & 0xFFFFFF;
        }
        int width = raster.getWidth();
        int[] row = new int[width * raster.getNumBands()];
        int bands = raster.getNumBands();
        for (int y = 0; y < raster.getHeight(); y++) {
            readRow(raster, y, row);
            int base = y * width;
            for (int x = 0; x < width; x++) {
                out[base + x] = palette[row[x * bands] & 0xFF];
            }
        }
    }

    private static void packed(Raster raster, DirectColorModel dcm, int[] out) {
        int width = raster.getWidth();
        int bands = raster.getNumBands();
        int[] row = new int[width * bands];
        // Sample bits per colour component; PIL expands n-bit fields with v * 255 / (2^n - 1).
        int[] bits = {dcm.getComponentSize(0), dcm.getComponentSize(1), dcm.getComponentSize(2)};
        for (int y = 0; y < raster.getHeight(); y++) {
            readRow(raster, y, row);
            int base = y * width;
            for (int x = 0; x < width; x++) {
                int p = x * bands;
                out[base + x] = to8(row[p], bits[0]) << 16 | to8(row[p + 1], bits[1]) << 8 | to8(row[p + 2], bits[2]);
            }
        }
    }

    private static void components(Raster raster, ColorModel cm, int[] out) {
        int width = raster.getWidth();
        int bands = raster.getNumBands();
        int colours = cm.getNumColorComponents();
        int bits = cm.getComponentSize(0);
        int[] row = new int[width * bands];
        for (int y = 0; y < raster.getHeight(); y++) {
            readRow(raster, y, row);
            int base = y * width;
            if (colours == 1) {
                for (int x = 0; x < width; x++) {
                    int v = to8(row[x * bands], bits);
                    out[base + x] = v << 16 | v << 8 | v;
                }
            } else if (colours == 3) {
                if (bits == 8) {
                    for (int x = 0, p = 0; x < width; x++, p += bands) {
                        out[base + x] = (row[p] & 0xFF) << 16 | (row[p + 1] & 0xFF) << 8 | (row[p + 2] & 0xFF);
                    }
                } else {
                    for (int x = 0, p = 0; x < width; x++, p += bands) {
                        out[base + x] = to8(row[p], bits) << 16 | to8(row[p + 1], bits) << 8 | to8(row[p + 2], bits);
                    }
                }
            } else {
                for (int x = 0, p = 0; x < width; x++, p += bands) {
                    out[base + x] = cmykToRgb(
                            to8(row[p], bits), to8(row[p + 1], bits), to8(row[p + 2], bits), to8(row[p + 3], bits));
                }
            }
        }
    }

    private static void managed(BufferedImage image, int[] out) {
        int width = image.getWidth();
        int[] row = new int[width];
        for (int y = 0; y < image.getHeight(); y++) {
            image.getRGB(0, y, width, 1, row, 0, width);
            for (int x = 0; x < width; x++) {
                out[y * width + x] = row[x] & 0xFFFFFF;
            }
        }
    }

    /** An n-bit sample as 8 bits: the high byte when wider (PIL's ";16B" raw modes), stretched when narrower. */
    static int to8(int sample, int bits) {
        if (bits == 8) {
            return sample & 0xFF;
        }
        if (bits > 8) {
            return (sample >>> (bits - 8)) & 0xFF;
        }
        int max = (1 << bits) - 1;
        return (sample & max) * 255 / max;
    }

    /**
     * Reads row {@code y} (0-based inside the raster) as band-interleaved samples, {@code bands}
     * ints per pixel. Byte and ushort component rasters (what JPEG, PNG, TIFF and WebP decoders
     * return) are read straight from their arrays; anything else through {@link Raster#getPixels}.
     */
    static void readRow(Raster raster, int y, int[] row) {
        SampleModel sm = raster.getSampleModel();
        DataBuffer buffer = raster.getDataBuffer();
        int width = raster.getWidth();
        int bands = raster.getNumBands();
        if (sm instanceof ComponentSampleModel csm
                && (buffer instanceof DataBufferByte || buffer instanceof DataBufferUShort)) {
            int pixelStride = csm.getPixelStride();
            int[] bankIndices = csm.getBankIndices();
            int[] bandOffsets = csm.getBandOffsets();
            int smX = raster.getMinX() - raster.getSampleModelTranslateX();
            int smY = raster.getMinY() + y - raster.getSampleModelTranslateY();
            int rowStart = smY * csm.getScanlineStride() + smX * pixelStride;
            for (int band = 0; band < bands; band++) {
                int bank = bankIndices[band];
                int offset = buffer.getOffsets()[bank] + rowStart + bandOffsets[band];
                if (buffer instanceof DataBufferByte bytes) {
                    byte[] data = bytes.getData(bank);
                    for (int x = 0, i = offset, o = band; x < width; x++, i += pixelStride, o += bands) {
                        row[o] = data[i] & 0xFF;
                    }
                } else {
                    short[] data = ((DataBufferUShort) buffer).getData(bank);
                    for (int x = 0, i = offset, o = band; x < width; x++, i += pixelStride, o += bands) {
                        row[o] = data[i] & 0xFFFF;
                    }
                }
            }
            return;
        }
        raster.getPixels(raster.getMinX(), raster.getMinY() + y, width, 1, row);
    }
}
