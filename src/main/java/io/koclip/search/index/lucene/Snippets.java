package io.koclip.search.index.lucene;

import io.koclip.search.index.Snippet;
import io.koclip.search.text.TextSource;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.uhighlight.DefaultPassageFormatter;
import org.apache.lucene.search.uhighlight.UnifiedHighlighter;
import org.jspecify.annotations.Nullable;

/**
 * The snippets of lexical hits: Lucene's {@link UnifiedHighlighter} over every text field, offsets read
 * from the postings ({@link LuceneSchema#TEXT_TYPE}). Of the fields that matched, the snippet shows the
 * one with the largest {@link TextSource#boost()} (a title before a caption before a folder name), its
 * best passage (a sentence, at most {@value #MAX_CHARS} chars), HTML-escaped by the formatter, matched
 * words in {@code <mark>…</mark>}.
 *
 * <p>Thread-safe: stateless; each call builds its highlighter over the searcher it is given.
 */
final class Snippets {
    /** Longest passage; longer sentences are cut by the highlighter's length limit. */
    static final int MAX_CHARS = 300;

    private static final String[] FIELDS =
            LuceneSchema.textFieldBoosts().keySet().toArray(String[]::new);

    private Snippets() {}

    /**
     * One snippet per hit of {@code top}, in order; null where no text field matched.
     *
     * @param words the text part of the query (no filters), whose terms are marked
     */
    static List<@Nullable Snippet> of(IndexSearcher searcher, Analyzer analyzer, Query words, TopDocs top)
            throws IOException {
        List<@Nullable Snippet> out = new ArrayList<>(top.scoreDocs.length);
        if (top.scoreDocs.length == 0) {
            return out;
        }
        UnifiedHighlighter highlighter = UnifiedHighlighter.builder(searcher, analyzer)
                .withFormatter(new DefaultPassageFormatter("<mark>", "</mark>", "… ", true))
                .withMaxNoHighlightPassages(0) // a field without a match gives no passage, not its start
                .build();
        int[] passages = new int[FIELDS.length];
        Arrays.fill(passages, 1);
        Map<String, String[]> highlights = highlighter.highlightFields(FIELDS, words, top, passages);
        for (int i = 0; i < top.scoreDocs.length; i++) {
            out.add(best(highlights, i));
        }
        return out;
    }

    private static @Nullable Snippet best(Map<String, String[]> highlights, int hit) {
        TextSource bestSource = null;
        String bestHtml = null;
        for (String field : FIELDS) {
            String[] values = highlights.get(field);
            String html = values == null ? null : values[hit];
            if (html == null || !html.contains("<mark>")) {
                continue;
            }
            TextSource source = LuceneSchema.sourceOf(field);
            if (source != null && (bestSource == null || source.boost() > bestSource.boost())) {
                bestSource = source;
                bestHtml = html;
            }
        }
        return bestSource == null ? null : new Snippet(bestSource.key(), cut(bestHtml.strip()));
    }

    /** At most {@link #MAX_CHARS} chars of escaped text, never inside an entity or a mark. */
    static String cut(String html) {
        if (html.length() <= MAX_CHARS) {
            return html;
        }
        int end = MAX_CHARS;
        int amp = html.lastIndexOf('&', end);
        if (amp >= 0 && html.indexOf(';', amp) >= end) {
            end = amp; // an entity cut in half
        }
        // The only '<' in the escaped text start marks: never end inside one or between a pair.
        int tag = html.lastIndexOf('<', end - 1);
        if (tag >= 0 && html.startsWith("<mark>", tag)) {
            end = html.indexOf("</mark>", tag) + "</mark>".length(); // finish the marked word
        } else if (tag >= 0 && html.indexOf('>', tag) >= end) {
            end = html.indexOf('>', tag) + 1; // inside "</mark>": end after it
        }
        return html.substring(0, end) + "…";
    }
}
