package io.koclip.search.text;

import java.nio.ByteOrder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * EXIF UserComment (tag 0x9286): an 8-byte character code, then the text (Exif 2.32, 4.6.5):
 *
 * <pre>
 * "ASCII\0\0\0"   ITU-T T.50 IA5; in practice UTF-8 or CP949 from Korean tools, so read as legacy text
 * "UNICODE\0"     UTF-16; the byte order is not in the field. The spec implies the TIFF header's; some
 *                 writers use little-endian regardless, some start with a BOM
 * "JIS\0\0\0\0\0" JIS X 0208, read as Shift_JIS
 * "\0" x 8        undefined: read as legacy text
 * </pre>
 *
 * For UNICODE, a BOM decides; otherwise the order that yields fewer implausible characters (a space
 * read in the wrong order is U+2000, "A" U+4100, "1" U+3100); a tie (all-Hangul text, where both orders
 * give syllables) goes to the TIFF header's order, else little-endian. Thread-safe: stateless.
 */
final class UserComment {
    private UserComment() {}

    static TextDecoding.Decoded decode(byte[] raw, @Nullable ByteOrder tiffOrder) {
        if (raw.length < 8) {
            return TextDecoding.legacy(raw);
        }
        String code = new String(raw, 0, 8, StandardCharsets.ISO_8859_1);
        int n = raw.length - 8;
        if (code.startsWith("UNICODE")) {
            return new TextDecoding.Decoded(utf16(raw, 8, n, tiffOrder), null);
        }
        if (code.startsWith("JIS")) {
            Charset sjis = Charset.forName("Shift_JIS");
            String text = TextDecoding.strict(raw, 8, n, sjis);
            return text != null
                    ? new TextDecoding.Decoded(text, null)
                    : new TextDecoding.Decoded(
                            new String(raw, 8, n, sjis), "not valid JIS; undecodable bytes replaced");
        }
        if (code.startsWith("ASCII") || code.equals("\0\0\0\0\0\0\0\0")) {
            return TextDecoding.legacy(raw, 8, n);
        }
        // No known code: some writers omit it. The whole field is text.
        return TextDecoding.legacy(raw);
    }

    static String utf16(byte[] raw, int offset, int length, @Nullable ByteOrder tiffOrder) {
        length &= ~1;
        if (length >= 2) {
            int b0 = raw[offset] & 0xFF;
            int b1 = raw[offset + 1] & 0xFF;
            if (b0 == 0xFE && b1 == 0xFF) {
                return new String(raw, offset + 2, length - 2, StandardCharsets.UTF_16BE);
            }
            if (b0 == 0xFF && b1 == 0xFE) {
                return new String(raw, offset + 2, length - 2, StandardCharsets.UTF_16LE);
            }
        }
        String le = new String(raw, offset, length, StandardCharsets.UTF_16LE);
        String be = new String(raw, offset, length, StandardCharsets.UTF_16BE);
        int implausibleLe = implausible(le);
        int implausibleBe = implausible(be);
        if (implausibleLe != implausibleBe) {
            return implausibleLe < implausibleBe ? le : be;
        }
        return tiffOrder == ByteOrder.BIG_ENDIAN ? be : le;
    }

    /** Characters unlikely in a photo comment: what a wrong byte order turns ASCII and Hangul into. */
    static int implausible(String s) {
        int count = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean plausible = c == 0
                    || c == '\t'
                    || c == '\n'
                    || c == '\r'
                    || (c >= 0x20 && c <= 0x7E)
                    || (c >= 0xA0 && c <= 0x17F) // Latin-1 and Latin Extended-A
                    || (c >= 0x2010 && c <= 0x205E) // dashes, quotes, bullets, ellipsis
                    || (c >= 0x3000 && c <= 0x30FF) // CJK punctuation, kana
                    || TextDecoding.isHangul(c)
                    || (c >= 0x4E00 && c <= 0x9FFF) // CJK unified ideographs (Hanja)
                    || (c >= 0xFF00 && c <= 0xFFEF); // full-width forms
            if (!plausible) {
                count++;
            }
        }
        return count;
    }
}
