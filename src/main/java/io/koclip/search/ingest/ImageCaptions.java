package io.koclip.search.ingest;

import io.koclip.search.eval.CaptionFormat;
import io.koclip.search.text.CaptionLookup;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The captions file of a run ({@code ingest --captions}): a data set's captions per image, which become
 * the {@code caption} text source of its document beside the image's other text (embedded metadata,
 * sidecars, path words; {@link io.koclip.search.text.ImageTextReader}).
 *
 * <p>The captions file is the whole truth for the run: an image it does not name gets no caption, and
 * an unchanged file whose captions changed is re-indexed with the new text and its old vector (the
 * captions are part of the document's text stamp).
 *
 * <p>Thread-safe: immutable.
 */
public final class ImageCaptions {
    /** Characters of caption text {@link #join} keeps (Java chars, UTF-16 units). */
    public static final int MAX_CHARS = 8192;

    /** No captions file. */
    public static final ImageCaptions NONE = new ImageCaptions(null);

    private final @Nullable CaptionLookup lookup;

    private ImageCaptions(@Nullable CaptionLookup lookup) {
        this.lookup = lookup;
    }

    /**
     * Captions keyed by image path relative to the source root, '/'-separated.
     *
     * @throws IllegalArgumentException on a path that is blank or absolute
     */
    public static ImageCaptions of(Map<String, List<String>> captionsByPath) {
        return new ImageCaptions(CaptionLookup.of(captionsByPath));
    }

    /**
     * Reads a caption file; its image names resolve against {@code source}, and images outside the
     * source are reported in {@link #problems()} and left out.
     */
    public static ImageCaptions read(Path file, CaptionFormat format, Path source) throws IOException {
        return new ImageCaptions(CaptionLookup.read(file, format, source));
    }

    /** The caption text of the image at {@code relativePath} ({@link #join}ed), or null when it has none. */
    @Nullable
    public String forPath(String relativePath) {
        if (lookup == null) {
            return null;
        }
        List<String> captions = lookup.captions(relativePath);
        return captions.isEmpty() ? null : join(captions);
    }

    /** The lookup the text reader uses, or null without a captions file. */
    @Nullable
    CaptionLookup lookup() {
        return lookup;
    }

    /** Whether a captions file was given (then it decides every document's caption). */
    public boolean given() {
        return lookup != null;
    }

    /** Images with a caption. */
    public int size() {
        return lookup == null ? 0 : lookup.images();
    }

    /** One message per caption row or image that was left out. */
    public List<String> problems() {
        return lookup == null ? List.of() : lookup.problems();
    }

    /** Distinct non-blank captions, stripped, joined by newlines, cut to {@link #MAX_CHARS}. */
    static String join(List<String> texts) {
        Set<String> distinct = new LinkedHashSet<>();
        for (String text : texts) {
            String stripped = text.strip();
            if (!stripped.isEmpty()) {
                distinct.add(stripped);
            }
        }
        String joined = String.join("\n", distinct);
        if (joined.length() <= MAX_CHARS) {
            return joined;
        }
        int end = MAX_CHARS;
        if (Character.isHighSurrogate(joined.charAt(end - 1))) {
            end--; // never split a surrogate pair
        }
        return joined.substring(0, end);
    }

    @Override
    public String toString() {
        return lookup != null ? "captions of " + lookup.images() + " images" : "no captions";
    }
}
