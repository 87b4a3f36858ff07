package io.koclip.search.image;

import io.koclip.search.image.ImageRejectedException.Reason;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * Structural checks that catch truncated and damaged files which the ImageIO decoders would
 * otherwise decode "successfully" into partly grey or garbage pixels: the JDK PNG reader never
 * checks chunk CRCs and decodes a file cut inside IEND, the JDK GIF reader silently pads a
 * truncated frame ({@link GifLayout}), and the WebP lossless reader reads past a truncated file. Each check walks the
 * container only (chunks, blocks), never the compressed pixel data, so it costs one pass over the
 * bytes (PNG: one CRC32 per chunk, which the JIT turns into a hardware instruction).
 *
 * <p>Thread-safe: stateless.
 */
final class ContainerCheck {
    private ContainerCheck() {}

    /** Runs the check for {@code format}, if it has one (JPEG is checked through decoder warnings). */
    static void verify(ImageFormat format, byte[] bytes) throws ImageRejectedException {
        switch (format) {
            case PNG -> png(bytes);
            case GIF -> GifLayout.read(bytes);
            case WEBP -> webp(bytes);
            default -> {}
        }
    }

    /**
     * PNG: IHDR first, every chunk complete, CRC correct on critical chunks (IHDR, PLTE, IDAT, IEND:
     * like libpng, a bad CRC on an ancillary chunk is tolerated), and an IEND. Bytes after IEND are
     * ignored.
     */
    static void png(byte[] b) throws ImageRejectedException {
        int pos = 8;
        CRC32 crc = new CRC32();
        boolean first = true;
        while (true) {
            if (pos + 8 > b.length) {
                throw corrupt("png", "truncated: file ends at byte " + b.length + " before the IEND chunk");
            }
            long length = readU32(b, pos);
            String type = new String(b, pos + 4, 4, StandardCharsets.ISO_8859_1);
            if (!isChunkType(b, pos + 4)) {
                throw corrupt("png", "invalid chunk type (bytes " + hex(b, pos + 4, 4) + ") at byte " + (pos + 4));
            }
            if (first && !type.equals("IHDR")) {
                throw corrupt("png", "first chunk is " + type + ", expected IHDR");
            }
            first = false;
            if (length > Integer.MAX_VALUE || pos + 12L + length > b.length) {
                throw corrupt(
                        "png",
                        "truncated in chunk " + type + ": it declares " + length + " bytes of data, the file has "
                                + Math.max(0, b.length - pos - 12) + " left");
            }
            int dataLength = (int) length;
            boolean critical = Character.isUpperCase(type.charAt(0));
            if (critical) {
                crc.reset();
                crc.update(b, pos + 4, 4 + dataLength);
                long stored = readU32(b, pos + 8 + dataLength);
                if (crc.getValue() != stored) {
                    throw corrupt("png", "CRC error in chunk " + type + " at byte " + pos);
                }
            }
            if (type.equals("IEND")) {
                return;
            }
            pos += 12 + dataLength;
        }
    }

    /**
     * WebP: the RIFF size covers the file, and the chunks inside it are complete. Extra bytes
     * after the RIFF payload are tolerated (some tools pad files).
     */
    static void webp(byte[] b) throws ImageRejectedException {
        long riffSize = readU32le(b, 4);
        if (riffSize < 4 || riffSize + 8 > b.length) {
            throw corrupt(
                    "webp", "truncated: RIFF header declares " + (riffSize + 8) + " bytes, the file has " + b.length);
        }
        long end = riffSize + 8;
        long pos = 12;
        if (pos + 8 > end) {
            throw corrupt("webp", "no image chunk after the RIFF header");
        }
        while (pos + 8 <= end) {
            String type = new String(b, (int) pos, 4, StandardCharsets.ISO_8859_1);
            long size = readU32le(b, (int) pos + 4);
            long next = pos + 8 + size + (size & 1); // chunks are padded to even sizes
            if (pos + 8 + size > end) {
                throw corrupt(
                        "webp",
                        "truncated in chunk " + type.trim() + ": it declares " + size + " bytes, " + (end - pos - 8)
                                + " are left");
            }
            pos = next;
        }
    }

    private static boolean isChunkType(byte[] b, int pos) {
        for (int i = 0; i < 4; i++) {
            int c = b[pos + i];
            if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) {
                return false;
            }
        }
        return true;
    }

    private static long readU32(byte[] b, int pos) {
        return (b[pos] & 0xFFL) << 24 | (b[pos + 1] & 0xFFL) << 16 | (b[pos + 2] & 0xFFL) << 8 | (b[pos + 3] & 0xFFL);
    }

    private static long readU32le(byte[] b, int pos) {
        return (b[pos] & 0xFFL) | (b[pos + 1] & 0xFFL) << 8 | (b[pos + 2] & 0xFFL) << 16 | (b[pos + 3] & 0xFFL) << 24;
    }

    private static String hex(byte[] b, int pos, int count) {
        return ImageFormat.firstBytesHex(java.util.Arrays.copyOfRange(b, pos, pos + count), count);
    }

    private static ImageRejectedException corrupt(String format, String detail) {
        return new ImageRejectedException(Reason.CORRUPT, "corrupt " + format + ": " + detail);
    }
}
