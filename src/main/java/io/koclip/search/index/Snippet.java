package io.koclip.search.index;

/**
 * The part of a hit's text that matched a lexical query, for display under the hit.
 *
 * @param field the text source it comes from ({@code TextSource.key()}: {@code title}, {@code caption},
 *     {@code pathWords}, ...)
 * @param html the passage, HTML-escaped, the matched words wrapped in {@code <mark>…</mark>} (the only
 *     markup it contains)
 */
public record Snippet(String field, String html) {
    public Snippet {
        if (field == null || field.isBlank()) {
            throw new IllegalArgumentException("snippet field: '" + field + "' must not be blank");
        }
        if (html == null || html.isBlank()) {
            throw new IllegalArgumentException("snippet of " + field + ": must not be blank");
        }
    }
}
