package io.koclip.search.index;

import io.koclip.search.text.TextSource;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One indexed image file: the document every backend stores (docs/architecture.md, "Index").
 *
 * @param id stable, URL-safe id derived from the path relative to the source root
 * @param path path relative to the source root, with '/' separators
 * @param contentHash SHA-256 of the file's bytes, hex
 * @param width upright width in pixels
 * @param height upright height in pixels
 * @param bytes file size
 * @param modified last-modified time, epoch milliseconds
 * @param format detected format (jpeg, png, webp, gif, bmp, tiff)
 * @param text the image's words by where they came from (one index field per source, so a query can
 *     weight them; values are one source's text joined by newlines); never null, no blank values,
 *     iterated in {@link TextSource} order
 * @param textStamp what the text was extracted from besides the image's bytes (sidecar sizes and times,
 *     captions: {@code ImageTextReader.sourcesStamp}); a differing stamp on an unchanged file re-indexes
 *     the text with the stored vector. Null when unknown (a document written before text sources)
 * @param vector unit-length embedding; null in documents read back for display
 */
public record ImageDocument(
        String id,
        String path,
        String contentHash,
        int width,
        int height,
        long bytes,
        long modified,
        String format,
        Map<TextSource, String> text,
        @Nullable String textStamp,
        float @Nullable [] vector) {

    public ImageDocument {
        EnumMap<TextSource, String> copy = new EnumMap<>(TextSource.class);
        if (text != null) {
            text.forEach((source, value) -> {
                if (source != null && value != null && !value.isBlank()) {
                    copy.put(source, value);
                }
            });
        }
        text = Collections.unmodifiableMap(copy);
    }

    /** A document whose only text is {@code caption} (or none), without a text stamp. */
    public ImageDocument(
            String id,
            String path,
            String contentHash,
            int width,
            int height,
            long bytes,
            long modified,
            String format,
            @Nullable String caption,
            float @Nullable [] vector) {
        this(
                id,
                path,
                contentHash,
                width,
                height,
                bytes,
                modified,
                format,
                caption == null ? Map.of() : Map.of(TextSource.CAPTION, caption),
                null,
                vector);
    }

    /** The caption source's text ({@code ingest --captions}), or null. */
    public @Nullable String caption() {
        return text.get(TextSource.CAPTION);
    }

    /** Every source's text joined by newlines, in {@link TextSource} order: for a backend with one text field. */
    public String joinedText() {
        return String.join("\n", text.values());
    }

    /** This document with other text and stamp, the rest (vector included) the same. */
    public ImageDocument withText(Map<TextSource, String> newText, @Nullable String newStamp) {
        return new ImageDocument(
                id, path, contentHash, width, height, bytes, modified, format, newText, newStamp, vector);
    }
}
