package io.koclip.search.image;

import io.koclip.search.image.ImageRejectedException.Reason;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * Structural checks that catch truncated and damaged files which the ImageIO decoders would
 * otherwise decode "successfully" into partly grey or garbage pixels: the JDK PNG reader never
 * checks chunk CRCs and decodes a file cut inside IEND, the JDK GIF reader silently pads a
 * truncated frame, and the WebP lossless reader reads past a truncated file. Each check walks the
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
            case GIF -> gif(bytes);
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
     * GIF: the header, colour tables, extension blocks and the whole of the first frame's data
     * sub-blocks are present. Later frames are not decoded, so they are not checked.
     */
    static void gif(byte[] b) throws ImageRejectedException {
        if (b.length < 13) {
            throw corrupt("gif", "truncated: " + b.length + " bytes, shorter than a GIF header");
        }
        int pos = 13 + colourTableBytes(b[10]);
        while (true) {
            if (pos >= b.length) {
                throw corrupt("gif", "truncated at byte " + b.length + " before the first image");
            }
            int block = b[pos] & 0xFF;
            switch (block) {
                case 0x21 -> pos = skipSubBlocks(b, pos + 2, "extension block");
                case 0x2C -> {
                    if (pos + 10 > b.length) {
                        throw corrupt("gif", "truncated in the first image descriptor at byte " + pos);
                    }
                    int data = pos + 10 + colourTableBytes(b[pos + 9]) + 1; // + LZW minimum code size
                    skipSubBlocks(b, data, "first frame's image data");
                    return;
                }
                case 0x3B -> throw corrupt("gif", "no image: trailer at byte " + pos + " before any frame");
                default ->
                    throw corrupt("gif", "unknown block type 0x" + Integer.toHexString(block) + " at byte " + pos);
            }
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

    private static int colourTableBytes(byte packed) {
        return (packed & 0x80) != 0 ? 3 << ((packed & 0x07) + 1) : 0;
    }

    /** Skips GIF data sub-blocks starting at {@code pos}; returns the position after the terminator. */
    private static int skipSubBlocks(byte[] b, int pos, String what) throws ImageRejectedException {
        while (true) {
            if (pos >= b.length) {
                throw corrupt("gif", "truncated in the " + what + " (file ends at byte " + b.length + ")");
            }
            int size = b[pos] & 0xFF;
            pos += 1 + size;
            if (size == 0) {
                return pos;
            }
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
