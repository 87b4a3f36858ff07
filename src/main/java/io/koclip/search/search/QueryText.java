package io.koclip.search.search;

import java.text.Normalizer;
import java.util.regex.Pattern;

/**
 * Normalizes query and label text so that equal-looking input embeds (and caches) the same: Unicode
 * NFC (Korean typed on macOS arrives decomposed as NFD jamo), trimmed, runs of whitespace collapsed
 * to one space. Thread-safe: stateless.
 */
public final class QueryText {
    private static final Pattern WHITESPACE = Pattern.compile("[\\s\\p{Z}]+");

    private QueryText() {}

    /** The normalized form of {@code text}; empty when it has only whitespace. */
    public static String normalize(String text) {
        String nfc = Normalizer.normalize(text, Normalizer.Form.NFC);
        return WHITESPACE.matcher(nfc).replaceAll(" ").strip();
    }

    /** Length in Unicode code points, the unit of the query-length limit. */
    public static int length(String text) {
        return text.codePointCount(0, text.length());
    }
}
