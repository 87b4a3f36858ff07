package io.koclip.search.text;

import java.util.ArrayList;
import java.util.List;

/**
 * The text found for an image and what went wrong finding it.
 *
 * @param text the text, cleaned, deduplicated and capped
 * @param warnings one sentence per problem (bad encoding, damaged metadata, binary or oversized sidecar,
 *     text cut at a cap), naming the file or field; for the ingest report, never fatal
 */
public record ExtractedText(ImageText text, List<String> warnings) {
    /** No text, no warnings. */
    public static final ExtractedText EMPTY = new ExtractedText(ImageText.EMPTY, List.of());

    public ExtractedText {
        if (text == null) {
            throw new IllegalArgumentException("text must not be null (ImageText.EMPTY for none)");
        }
        warnings = List.copyOf(warnings);
    }

    /** Both texts merged ({@link ImageText#merge}) and capped again; warnings of both, in order. */
    public ExtractedText merge(ExtractedText other, TextLimits limits) {
        ExtractedText capped = text.merge(other.text).capped(limits);
        List<String> all = new ArrayList<>(warnings);
        all.addAll(other.warnings);
        all.addAll(capped.warnings);
        return new ExtractedText(capped.text, all);
    }
}
