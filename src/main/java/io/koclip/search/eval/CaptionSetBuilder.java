package io.koclip.search.eval;

import io.koclip.search.model.PromptTemplates;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Collects images, captions and per-row problems while a parser reads a caption file. A bad row is
 * a message and a skipped row, never an exception.
 *
 * <p>Not thread-safe: one parser, one thread.
 */
final class CaptionSetBuilder {
    private final Path imagesDir;
    private final Map<String, Integer> byKey = new HashMap<>();
    private final List<EvalImage> images = new ArrayList<>();
    private final List<Caption> captions = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();

    /** @param imagesDir the folder relative image names resolve against */
    CaptionSetBuilder(Path imagesDir) {
        this.imagesDir = imagesDir;
    }

    /** The image registered under {@code key}, or -1. */
    int find(String key) {
        return byKey.getOrDefault(key, -1);
    }

    /** Registers an image (or returns the one already registered under {@code key}). */
    int image(String key, String fileName) {
        Integer known = byKey.get(key);
        if (known != null) {
            return known;
        }
        images.add(new EvalImage(key, imagesDir.resolve(fileName).normalize()));
        byKey.put(key, images.size() - 1);
        return images.size() - 1;
    }

    /**
     * Adds a caption, or reports the row when the text is missing or blank.
     *
     * @param lang the language the file gives, or null to detect it from the text
     * @param where the row, for the message ({@code captions.json: annotations[12]})
     */
    void caption(int image, @Nullable String text, @Nullable String lang, String where) {
        if (text == null || text.isBlank()) {
            problem(where, "empty caption");
            return;
        }
        String stripped = text.strip();
        String language = lang == null || lang.isBlank()
                ? PromptTemplates.language(stripped)
                : lang.strip().toLowerCase(Locale.ROOT);
        captions.add(new Caption(image, stripped, language));
    }

    void problem(String where, String message) {
        problems.add(where + ": " + message + "; row left out");
    }

    /** A problem with the file as a whole that leaves no particular row out. */
    void note(String where, String message) {
        problems.add(where + ": " + message);
    }

    /**
     * The string in {@code node.field}, or null after reporting a missing field or a wrong type.
     */
    @Nullable
    String string(JsonNode node, String field, String where) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            problem(where, "no '" + field + "'");
            return null;
        }
        if (!value.isString()) {
            problem(where, "'" + field + "' is " + describe(value) + ", expected a string");
            return null;
        }
        return value.asString();
    }

    /** An id: a string, or an integral number written without fraction. */
    @Nullable
    String id(JsonNode node, String field, String where) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            problem(where, "no '" + field + "'");
            return null;
        }
        if (value.isIntegralNumber()) {
            return value.asString();
        }
        if (value.isString() && !value.asString().isBlank()) {
            return value.asString().strip();
        }
        problem(where, "'" + field + "' is " + describe(value) + ", expected an integer or a string");
        return null;
    }

    /** Optional language field: null when absent, reported and null when not a string. */
    @Nullable
    String optionalLang(JsonNode node, String where) {
        JsonNode value = node.get("lang");
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isString()) {
            problem(where, "'lang' is " + describe(value) + ", expected a string such as \"ko\"");
            return "";
        }
        return value.asString();
    }

    static String describe(JsonNode value) {
        String kind = value.getNodeType().name().toLowerCase(Locale.ROOT);
        String text = value.toString();
        return "a " + kind + " (" + (text.length() > 40 ? text.substring(0, 40) + "…" : text) + ")";
    }

    /** The set; images that ended with no caption are reported and left out. */
    CaptionSet build(String source) {
        boolean[] keep = new boolean[images.size()];
        captions.forEach(c -> keep[c.image()] = true);
        for (int i = 0; i < keep.length; i++) {
            if (!keep[i]) {
                problems.add(source + ": image " + images.get(i).key() + " has no usable caption; left out");
            }
        }
        return new CaptionSet(images, captions, problems).keep(keep);
    }
}
