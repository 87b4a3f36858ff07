package io.koclip.search.text;

import io.koclip.search.eval.Caption;
import io.koclip.search.eval.CaptionFormat;
import io.koclip.search.eval.CaptionSet;
import io.koclip.search.eval.CaptionSetReader;
import io.koclip.search.eval.EvalImage;
import java.io.IOException;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The captions of a data set's caption file by image path relative to the source root, for
 * {@code ingest --captions FILE}. The file is parsed by the {@code eval} command's reader, so the
 * formats are the same (COCO, AI Hub Korean COCO, XTD10, CSV, JSON lines; {@link CaptionFormat}).
 *
 * <p>Keys are the images' paths resolved against the source root, relativized, with '/' separators
 * and in Unicode NFC, as the ingest job names documents. Thread-safe: immutable after {@link #read}.
 */
public final class CaptionLookup {
    private final Map<String, List<String>> byPath;
    private final List<String> problems;
    private final int outside;

    private CaptionLookup(Map<String, List<String>> byPath, List<String> problems, int outside) {
        this.byPath = byPath;
        this.problems = problems;
        this.outside = outside;
    }

    /**
     * Reads {@code file}. Rows the eval reader leaves out, and images outside {@code sourceRoot}, are
     * {@link #problems()}.
     *
     * @param format the file's format, or {@link CaptionFormat#AUTO} to detect it
     * @param sourceRoot the ingest source folder; the file's relative image names resolve against it
     * @throws IllegalArgumentException when the file is missing or not of the format (the message names it)
     * @throws IOException when the file cannot be read
     */
    public static CaptionLookup read(Path file, CaptionFormat format, Path sourceRoot) throws IOException {
        Path root = sourceRoot.toAbsolutePath().normalize();
        CaptionSet set = CaptionSetReader.read(file, format, root);
        Map<String, List<String>> byPath = new HashMap<>();
        List<String> problems = new ArrayList<>(set.problems());
        int outside = 0;
        List<@Nullable String> keys = new ArrayList<>(set.images().size());
        for (EvalImage image : set.images()) {
            Path absolute = image.file().toAbsolutePath().normalize();
            if (!absolute.startsWith(root)) {
                keys.add(null);
                if (outside++ < 5) {
                    problems.add(file.getFileName() + ": image " + image.key() + " (" + absolute
                            + ") is outside the source " + root + "; its captions are not used");
                }
                continue;
            }
            keys.add(key(root.relativize(absolute).toString()));
        }
        for (Caption caption : set.captions()) {
            String key = keys.get(caption.image());
            if (key != null) {
                byPath.computeIfAbsent(key, k -> new ArrayList<>()).add(caption.text());
            }
        }
        byPath.replaceAll((k, v) -> List.copyOf(v));
        return new CaptionLookup(Map.copyOf(byPath), List.copyOf(problems), outside);
    }

    /**
     * Captions given directly, keyed by image path relative to the source root ('/' or '\' separators).
     *
     * @throws IllegalArgumentException on a path that is blank or absolute (the message names it)
     */
    public static CaptionLookup of(Map<String, List<String>> captionsByPath) {
        Map<String, List<String>> byPath = new HashMap<>();
        captionsByPath.forEach((path, captions) -> {
            if (path.isBlank() || path.startsWith("/") || path.startsWith("\\")) {
                throw new IllegalArgumentException("caption path: '" + path + "' must be relative to the source");
            }
            byPath.computeIfAbsent(key(path), k -> new ArrayList<>()).addAll(captions);
        });
        byPath.replaceAll((k, v) -> List.copyOf(v));
        return new CaptionLookup(Map.copyOf(byPath), List.of(), 0);
    }

    /** The captions of the image at {@code relativePath} ('/' or '\' separators), in file order; empty when none. */
    public List<String> captions(String relativePath) {
        return byPath.getOrDefault(key(relativePath), List.of());
    }

    /** How many images have at least one caption. */
    public int images() {
        return byPath.size();
    }

    /** How many images of the file were outside the source root (the first five are in {@link #problems()}). */
    public int outside() {
        return outside;
    }

    /** One message per row or image left out, for the ingest report. */
    public List<String> problems() {
        return problems;
    }

    private static String key(String relativePath) {
        String slashes = relativePath.replace('\\', '/');
        while (slashes.startsWith("./")) {
            slashes = slashes.substring(2);
        }
        return Normalizer.normalize(slashes, Normalizer.Form.NFC);
    }
}
