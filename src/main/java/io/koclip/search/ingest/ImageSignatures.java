package io.koclip.search.ingest;

import org.jspecify.annotations.Nullable;

/**
 * Image formats recognised from a file's first bytes, so that the scanner finds images whatever
 * their names. The decoder sniffs again and is the authority on what a file is.
 */
final class ImageSignatures {
    /** Bytes read from the start of a file: enough for every signature below. */
    static final int HEAD_BYTES = 32;

    private ImageSignatures() {}

    /** The format whose signature starts {@code head}, or null. */
    static @Nullable String sniff(byte[] head) {
        if (startsWith(head, 0xFF, 0xD8, 0xFF)) {
            return "jpeg";
        }
        if (startsWith(head, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
            return "png";
        }
        if (startsWith(head, 'G', 'I', 'F', '8')
                && head.length >= 6
                && (head[4] == '7' || head[4] == '9')
                && head[5] == 'a') {
            return "gif";
        }
        if (startsWith(head, 'R', 'I', 'F', 'F')
                && head.length >= 12
                && head[8] == 'W'
                && head[9] == 'E'
                && head[10] == 'B'
                && head[11] == 'P') {
            return "webp";
        }
        if (startsWith(head, 'B', 'M') && head.length >= 18) {
            // "BM" alone starts plenty of text files; the DIB header size after the file header must be a known one.
            int dib = (head[14] & 0xFF) | (head[15] & 0xFF) << 8 | (head[16] & 0xFF) << 16 | (head[17] & 0xFF) << 24;
            if (dib == 12 || dib == 40 || dib == 52 || dib == 56 || dib == 64 || dib == 108 || dib == 124) {
                return "bmp";
            }
        }
        if (startsWith(head, 'I', 'I', 0x2A, 0x00) || startsWith(head, 'M', 'M', 0x00, 0x2A)) {
            return "tiff";
        }
        if (head.length >= 12 && head[4] == 'f' && head[5] == 't' && head[6] == 'y' && head[7] == 'p') {
            String brand = new String(head, 8, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
            if (brand.startsWith("hei") || brand.startsWith("hev") || brand.equals("mif1") || brand.startsWith("avi")) {
                return brand.startsWith("avi") ? "avif" : "heic";
            }
        }
        return null;
    }

    private static boolean startsWith(byte[] head, int... signature) {
        if (head.length < signature.length) {
            return false;
        }
        for (int i = 0; i < signature.length; i++) {
            if ((head[i] & 0xFF) != signature[i]) {
                return false;
            }
        }
        return true;
    }
}
