package io.koclip.search.search;

import java.text.Normalizer;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

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

    /**
     * The normalized form of a request's text, checked: not blank and at most {@code maxLength} code
     * points.
     *
     * @param parameter the request parameter the text came in ({@code q}, {@code labels})
     * @throws InvalidRequestException naming {@code parameter} when the text is blank or too long
     */
    public static String require(String parameter, @Nullable String raw, int maxLength) {
        String text = normalize(raw == null ? "" : raw);
        if (text.isEmpty()) {
            throw new InvalidRequestException(parameter, "must not be blank");
        }
        int length = length(text);
        if (length > maxLength) {
            throw new InvalidRequestException(parameter, length + " characters, over the limit of " + maxLength);
        }
        return text;
    }

    /** Length in Unicode code points, the unit of the query-length limit. */
    public static int length(String text) {
        return text.codePointCount(0, text.length());
    }
}
