package io.koclip.search.text;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import org.jspecify.annotations.Nullable;

/**
 * Turning bytes of unknown or doubtful encoding into clean text. Korean Windows tools write legacy
 * fields (EXIF ImageDescription, IPTC without a character set, {@code .txt} files from Notepad before
 * Windows 10 1903) in CP949, a superset of EUC-KR; everything newer writes UTF-8. Thread-safe: stateless.
 */
final class TextDecoding {
    /**
     * CP949 (Microsoft's Unified Hangul Code); null in a trimmed runtime without {@code jdk.charsets},
     * in which case legacy Korean bytes fall back to ISO-8859-1 with a warning.
     */
    static final @Nullable Charset CP949 = charset("x-windows-949");

    private TextDecoding() {}

    /**
     * A decoded value and, when the bytes were not UTF-8, a note saying how they were read.
     *
     * @param text the decoded text, not yet {@link #clean cleaned}
     * @param note null for valid UTF-8, else {@code "not valid UTF-8; read as CP949"} or similar
     */
    record Decoded(String text, @Nullable String note) {}

    /**
     * Bytes in an unstated legacy encoding: UTF-8 when valid (ASCII is), else CP949 when valid and it
     * yields Hangul (so that Latin-1 bytes are not mistaken for Korean), else ISO-8859-1, which
     * decodes anything.
     */
    static Decoded legacy(byte[] bytes, int offset, int length) {
        String utf8 = strict(bytes, offset, length, StandardCharsets.UTF_8);
        if (utf8 != null) {
            return new Decoded(utf8, null);
        }
        if (CP949 != null) {
            String korean = strict(bytes, offset, length, CP949);
            if (korean != null && hasHangul(korean)) {
                return new Decoded(korean, "not valid UTF-8; read as CP949 (EUC-KR)");
            }
        }
        return new Decoded(
                new String(bytes, offset, length, StandardCharsets.ISO_8859_1),
                "neither UTF-8 nor CP949; read as ISO-8859-1");
    }

    static Decoded legacy(byte[] bytes) {
        return legacy(bytes, 0, bytes.length);
    }

    /** The bytes decoded with {@code charset}, or null when they are malformed or unmappable in it. */
    static @Nullable String strict(byte[] bytes, int offset, int length, Charset charset) {
        try {
            CharBuffer chars = charset.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, offset, length));
            return chars.toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /**
     * The length of {@code bytes[0, length)} without a UTF-8 sequence cut at its end, so that a file
     * read up to a byte cap still decodes as UTF-8. Unchanged when the tail is complete or not UTF-8.
     */
    static int withoutCutUtf8Tail(byte[] bytes, int length) {
        // Walk back over at most 3 continuation bytes (10xxxxxx) to the lead byte.
        int i = length - 1;
        int continuation = 0;
        while (i >= 0 && continuation < 3 && (bytes[i] & 0xC0) == 0x80) {
            i--;
            continuation++;
        }
        if (i < 0) {
            return length;
        }
        int lead = bytes[i] & 0xFF;
        int needed = lead >= 0xF0 ? 3 : lead >= 0xE0 ? 2 : lead >= 0xC0 ? 1 : 0;
        return needed > continuation ? i : length;
    }

    static boolean hasHangul(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (isHangul(s.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    /** Hangul syllables, Jamo and compatibility Jamo. */
    static boolean isHangul(char c) {
        return (c >= '\uAC00' && c <= '\uD7A3') || (c >= '\u1100' && c <= '\u11FF') || (c >= '\u3130' && c <= '\u318F');
    }

    /**
     * {@code raw} as index text: Unicode NFC (macOS file names and some tools write Hangul decomposed
     * into Jamo, which would never match a typed query), NUL, control, format-only and replacement
     * characters removed, runs of spaces and tabs made one space, each line stripped; newlines kept
     * (blank lines collapsed) when {@code multiline}, else made spaces.
     */
    static String clean(String raw, boolean multiline) {
        String nfc = Normalizer.normalize(raw, Normalizer.Form.NFC);
        StringBuilder out = new StringBuilder(nfc.length());
        boolean space = false;
        boolean newline = false;
        for (int i = 0; i < nfc.length(); i++) {
            char c = nfc.charAt(i);
            boolean lineBreak = c == '\n' || c == '\r' || c == '\u2028' || c == '\u2029';
            if (lineBreak) {
                if (multiline) {
                    newline = out.length() > 0;
                    space = false;
                } else {
                    space = out.length() > 0;
                }
                continue;
            }
            if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
                space = out.length() > 0 && !newline;
                continue;
            }
            int type = Character.getType(c);
            if (type == Character.CONTROL
                    || c == '\uFFFD'
                    || c == '\uFEFF'
                    || (type == Character.FORMAT && c != '\u200D')) {
                continue; // NULs, C0/C1 controls, replacement chars, BOMs, bidi marks; ZWJ kept for emoji
            }
            if (newline) {
                out.append('\n');
                newline = false;
                space = false;
            } else if (space) {
                out.append(' ');
                space = false;
            }
            out.append(c);
        }
        return out.toString();
    }

    private static @Nullable Charset charset(String name) {
        try {
            return Charset.forName(name);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
