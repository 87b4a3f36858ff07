package io.koclip.search.eval;

import java.io.IOException;
import java.nio.file.Path;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * COCO captions ({@code captions_val2014.json}): {@code images[{id, file_name}]} and
 * {@code annotations[{image_id, caption}]}; an annotation may carry {@code lang}, else the language is
 * detected. Images are keyed by {@code id}.
 */
final class CocoCaptions {
    private CocoCaptions() {}

    static void read(Path file, CaptionSetBuilder set) throws IOException {
        String source = file.getFileName().toString();
        JsonNode root = readTree(file);
        JsonNode images = root.get("images");
        JsonNode annotations = root.get("annotations");
        if (!root.isObject() || images == null || !images.isArray() || annotations == null || !annotations.isArray()) {
            throw new IllegalArgumentException(
                    file + ": not a COCO captions file (expected an object with 'images' and 'annotations' arrays)");
        }
        for (int i = 0; i < images.size(); i++) {
            String where = source + ": images[" + i + "]";
            JsonNode image = images.get(i);
            if (!image.isObject()) {
                set.problem(where, "is " + CaptionSetBuilder.describe(image) + ", expected an object");
                continue;
            }
            String id = set.id(image, "id", where);
            String name = set.string(image, "file_name", where);
            if (id == null || name == null) {
                continue;
            }
            if (set.find(id) >= 0) {
                set.problem(where, "id " + id + " appears twice");
                continue;
            }
            set.image(id, name);
        }
        for (int i = 0; i < annotations.size(); i++) {
            String where = source + ": annotations[" + i + "]";
            JsonNode annotation = annotations.get(i);
            if (!annotation.isObject()) {
                set.problem(where, "is " + CaptionSetBuilder.describe(annotation) + ", expected an object");
                continue;
            }
            String imageId = set.id(annotation, "image_id", where);
            if (imageId == null) {
                continue;
            }
            int image = set.find(imageId);
            if (image < 0) {
                set.problem(where, "image_id " + imageId + " is not in 'images'");
                continue;
            }
            String caption = set.string(annotation, "caption", where);
            String lang = set.optionalLang(annotation, where);
            if (caption != null && !"".equals(lang)) {
                set.caption(image, caption, lang, where);
            }
        }
    }

    static JsonNode readTree(Path file) throws IOException {
        try {
            return JsonMapper.builder().build().readTree(file.toFile());
        } catch (JacksonException e) {
            throw new IllegalArgumentException(file + ": not valid JSON: " + e.getOriginalMessage(), e);
        }
    }
}
