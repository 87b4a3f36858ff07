package io.koclip.search.ingest;

import io.koclip.search.eval.Caption;
import io.koclip.search.eval.CaptionFormat;
import io.koclip.search.eval.CaptionSet;
import io.koclip.search.eval.CaptionSetReader;
import io.koclip.search.eval.EvalImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The caption text of each image, from a caption set ({@code ingest --captions}): what the documents'
 * {@code caption} field holds, which lexical and hybrid search match. An image's captions are joined
 * with newlines (duplicates once, file order) and cut to {@link #MAX_CHARS} characters, so a data set
 * with hundreds of captions per image cannot blow up a document.
 *
 * <p>The captions file is the whole truth for the run: an image it does not name gets no caption, and
 * an unchanged file whose indexed caption differs is re-indexed with the new text and its old vector.
 *
 * <p>Thread-safe: immutable.
 */
public final class ImageCaptions {
    /** Characters of caption text kept per image (Java chars, UTF-16 units). */
    public static final int MAX_CHARS = 8192;

    /** No captions file: documents keep no caption. */
    public static final ImageCaptions NONE = new ImageCaptions(Map.of(), List.of(), false);

    private final Map<String, String> byPath;
    private final List<String> problems;
    private final boolean given;

    private ImageCaptions(Map<String, String> byPath, List<String> problems, boolean given) {
        this.byPath = Map.copyOf(byPath);
        this.problems = List.copyOf(problems);
        this.given = given;
    }

    /**
     * Captions keyed by image path relative to the source root, '/'-separated.
     *
     * @throws IllegalArgumentException on a path that is blank or absolute
     */
    public static ImageCaptions of(Map<String, List<String>> captionsByPath) {
        Map<String, String> joined = new LinkedHashMap<>();
        captionsByPath.forEach((path, texts) -> {
            if (path.isBlank() || path.startsWith("/")) {
                throw new IllegalArgumentException("caption path: '" + path + "' must be relative to the source");
            }
            joined.put(path, join(texts));
        });
        return new ImageCaptions(joined, List.of(), true);
    }

    /**
     * Reads a caption file; its image names resolve against {@code source}, and images outside the
     * source are reported in {@link #problems()} and left out.
     */
    public static ImageCaptions read(Path file, CaptionFormat format, Path source) throws IOException {
        Path root = source.toAbsolutePath().normalize();
        CaptionSet set = CaptionSetReader.read(file, format, root);
        List<String> problems = new ArrayList<>(set.problems());
        Map<Integer, List<String>> texts = new LinkedHashMap<>();
        for (Caption caption : set.captions()) {
            texts.computeIfAbsent(caption.image(), i -> new ArrayList<>()).add(caption.text());
        }
        Map<String, List<String>> byPath = new LinkedHashMap<>();
        texts.forEach((image, list) -> {
            EvalImage evalImage = set.images().get(image);
            Path path = evalImage.file().toAbsolutePath().normalize();
            if (!path.startsWith(root)) {
                problems.add("image '" + evalImage.key() + "' (" + path + ") is outside the source " + root);
                return;
            }
            String relative = root.relativize(path).toString().replace('\\', '/');
            byPath.computeIfAbsent(relative, p -> new ArrayList<>()).addAll(list);
        });
        ImageCaptions captions = of(byPath);
        return new ImageCaptions(captions.byPath, problems, true);
    }

    /** The caption text of the image at {@code relativePath}, or null when it has none. */
    @Nullable
    public String forPath(String relativePath) {
        return byPath.get(relativePath);
    }

    /** Whether a captions file was given (then it decides every document's caption). */
    public boolean given() {
        return given;
    }

    /** Images with a caption. */
    public int size() {
        return byPath.size();
    }

    /** One message per caption row or image that was left out. */
    public List<String> problems() {
        return problems;
    }

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
        return given ? "captions of " + byPath.size() + " images" : "no captions";
    }
}
