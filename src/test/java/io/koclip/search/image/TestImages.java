package io.koclip.search.image;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Builds test images in memory: encoded files, hand-made PNG chunks, EXIF segments. Public for the
 * few fixtures other packages' tests share ({@link #pngHeaderOnly}).
 */
public final class TestImages {
    private TestImages() {}

    /** A {@code TYPE_INT_RGB} image of smooth gradients plus seeded noise (so files are not trivial). */
    static BufferedImage noisy(int width, int height, long seed) {
        Random random = new Random(seed);
        int[] rgb = new int[width * height];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int r = clamp(x * 255 / Math.max(width - 1, 1) + random.nextInt(31) - 15);
                int g = clamp(y * 255 / Math.max(height - 1, 1) + random.nextInt(31) - 15);
                int b = clamp(((x + y) * 4) % 256 + random.nextInt(31) - 15);
                rgb[y * width + x] = r << 16 | g << 8 | b;
            }
        }
        return ImageDecoder.intRgbImage(rgb, width, height);
    }

    /** Four flat quadrants, red | green over blue | white, for orientation tests. */
    static BufferedImage quadrants(int width, int height) {
        int[] rgb = new int[width * height];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                boolean right = x >= width / 2;
                boolean bottom = y >= height / 2;
                rgb[y * width + x] = bottom ? (right ? 0xFFFFFF : 0x0000FF) : (right ? 0x00FF00 : 0xFF0000);
            }
        }
        return ImageDecoder.intRgbImage(rgb, width, height);
    }

    static byte[] jpeg(BufferedImage image, float quality) {
        try {
            ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
                writer.setOutput(out);
                ImageWriteParam param = writer.getDefaultWriteParam();
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionQuality(quality);
                writer.write(null, new IIOImage(image, null, null), param);
            } finally {
                writer.dispose();
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] encode(BufferedImage image, String format) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            if (!ImageIO.write(image, format, bytes)) {
                throw new IllegalStateException("no ImageIO writer for " + format);
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A JPEG with an EXIF APP1 segment holding only the orientation tag, inserted after SOI. */
    static byte[] withExifOrientation(byte[] jpeg, int orientation) {
        byte[] tiff = exifTiff(orientation);
        byte[] app1 = new byte[4 + 6 + tiff.length];
        int length = app1.length - 2;
        app1[0] = (byte) 0xFF;
        app1[1] = (byte) 0xE1;
        app1[2] = (byte) (length >> 8);
        app1[3] = (byte) length;
        System.arraycopy("Exif\0\0".getBytes(StandardCharsets.ISO_8859_1), 0, app1, 4, 6);
        System.arraycopy(tiff, 0, app1, 10, tiff.length);
        byte[] out = new byte[jpeg.length + app1.length];
        System.arraycopy(jpeg, 0, out, 0, 2);
        System.arraycopy(app1, 0, out, 2, app1.length);
        System.arraycopy(jpeg, 2, out, 2 + app1.length, jpeg.length - 2);
        return out;
    }

    /** A PNG with an eXIf chunk holding only the orientation tag, inserted after IHDR. */
    static byte[] pngWithExifOrientation(byte[] png, int orientation) {
        int afterIhdr = 8 + 12 + 13;
        byte[] chunk = chunk("eXIf", exifTiff(orientation));
        byte[] out = new byte[png.length + chunk.length];
        System.arraycopy(png, 0, out, 0, afterIhdr);
        System.arraycopy(chunk, 0, out, afterIhdr, chunk.length);
        System.arraycopy(png, afterIhdr, out, afterIhdr + chunk.length, png.length - afterIhdr);
        return out;
    }

    /** Big-endian TIFF structure with one IFD0 entry: 0x0112 SHORT = orientation. */
    private static byte[] exifTiff(int orientation) {
        return new byte[] {
            'M',
            'M',
            0,
            42,
            0,
            0,
            0,
            8, // header, IFD0 at 8
            0,
            1, // one entry
            0x01,
            0x12,
            0,
            3,
            0,
            0,
            0,
            1,
            0,
            (byte) orientation,
            0,
            0, // orientation, SHORT, count 1
            0,
            0,
            0,
            0 // no next IFD
        };
    }

    /**
     * A PNG written by hand: {@code colourType} 0 (gray), 2 (RGB), 4 (gray+alpha), 6 (RGBA); samples
     * are given per pixel and channel, big-endian on disk at {@code bitDepth} 8 or 16.
     */
    static byte[] png(int width, int height, int bitDepth, int colourType, int[] samples) {
        int channels = switch (colourType) {
            case 0 -> 1;
            case 2 -> 3;
            case 4 -> 2;
            case 6 -> 4;
            default -> throw new IllegalArgumentException("colourType: " + colourType);
        };
        int bytesPerSample = bitDepth / 8;
        int rowBytes = width * channels * bytesPerSample;
        byte[] raw = new byte[height * (rowBytes + 1)];
        for (int y = 0; y < height; y++) {
            int o = y * (rowBytes + 1) + 1; // filter type 0
            for (int i = 0; i < width * channels; i++) {
                int v = samples[y * width * channels + i];
                if (bytesPerSample == 2) {
                    raw[o++] = (byte) (v >> 8);
                }
                raw[o++] = (byte) v;
            }
        }
        return pngFromChunks(ihdr(width, height, bitDepth, colourType), deflate(raw));
    }

    static byte[] ihdr(int width, int height, int bitDepth, int colourType) {
        return new byte[] {
            (byte) (width >>> 24),
            (byte) (width >>> 16),
            (byte) (width >>> 8),
            (byte) width,
            (byte) (height >>> 24),
            (byte) (height >>> 16),
            (byte) (height >>> 8),
            (byte) height,
            (byte) bitDepth,
            (byte) colourType,
            0,
            0,
            0
        };
    }

    /**
     * A well-formed PNG whose header claims {@code width × height} 8-bit RGB pixels but whose only
     * pixel data is a few compressed bytes: a decoder that trusted the header would allocate
     * gigabytes, so it must be refused from the header.
     */
    public static byte[] pngHeaderOnly(int width, int height) {
        return pngFromChunks(ihdr(width, height, 8, 2), deflate(new byte[64]));
    }

    static byte[] pngFromChunks(byte[] ihdr, byte[] idat) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A});
        out.writeBytes(chunk("IHDR", ihdr));
        out.writeBytes(chunk("IDAT", idat));
        out.writeBytes(chunk("IEND", new byte[0]));
        return out.toByteArray();
    }

    static byte[] chunk(String type, byte[] data) {
        byte[] typeBytes = type.getBytes(StandardCharsets.ISO_8859_1);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int n = data.length;
        out.writeBytes(new byte[] {(byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n});
        out.writeBytes(typeBytes);
        out.writeBytes(data);
        long c = crc.getValue();
        out.writeBytes(new byte[] {(byte) (c >>> 24), (byte) (c >>> 16), (byte) (c >>> 8), (byte) c});
        return out.toByteArray();
    }

    static byte[] deflate(byte[] raw) {
        Deflater deflater = new Deflater();
        deflater.setInput(raw);
        deflater.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        while (!deflater.finished()) {
            out.write(buffer, 0, deflater.deflate(buffer));
        }
        deflater.end();
        return out.toByteArray();
    }

    /** Offset of the first chunk of {@code type} in a PNG, or -1. */
    static int findChunk(byte[] png, String type) {
        byte[] t = type.getBytes(StandardCharsets.ISO_8859_1);
        for (int pos = 8; pos + 8 <= png.length; ) {
            int length = (png[pos] & 0xFF) << 24
                    | (png[pos + 1] & 0xFF) << 16
                    | (png[pos + 2] & 0xFF) << 8
                    | (png[pos + 3] & 0xFF);
            if (Arrays.equals(png, pos + 4, pos + 8, t, 0, 4)) {
                return pos;
            }
            pos += 12 + length;
        }
        return -1;
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }
}
