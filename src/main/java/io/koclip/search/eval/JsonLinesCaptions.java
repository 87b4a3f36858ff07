package io.koclip.search.eval;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * JSON lines: one object {@code {"image": "…", "caption": "…"[, "lang": "ko"]}} per line; blank
 * lines are skipped. Images are keyed by {@code image} as written.
 */
final class JsonLinesCaptions {
    private JsonLinesCaptions() {}

    static void read(Path file, CaptionSetBuilder set) throws IOException {
        String source = file.getFileName().toString();
        JsonMapper json = JsonMapper.builder().build();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String text;
            int line = 0;
            while ((text = in.readLine()) != null) {
                line++;
                String where = source + ": line " + line;
                text = text.replace("\uFEFF", "");
                if (text.isBlank()) {
                    continue;
                }
                JsonNode row;
                try {
                    row = json.readTree(text);
                } catch (JacksonException e) {
                    set.problem(where, "not valid JSON (" + e.getOriginalMessage() + ")");
                    continue;
                }
                if (!row.isObject()) {
                    set.problem(where, "is " + CaptionSetBuilder.describe(row) + ", expected an object");
                    continue;
                }
                String image = set.string(row, "image", where);
                if (image == null) {
                    continue;
                }
                if (image.isBlank()) {
                    set.problem(where, "empty image");
                    continue;
                }
                String caption = set.string(row, "caption", where);
                String lang = set.optionalLang(row, where);
                if (caption != null && !"".equals(lang)) {
                    set.caption(set.image(image.strip(), image.strip()), caption, lang, where);
                }
            }
        }
    }

    /** True when the file is one JSON document (COCO), false when it is several (JSON lines). */
    static boolean isSingleDocument(Path file) throws IOException {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String first = in.readLine();
            while (first != null && first.isBlank()) {
                first = in.readLine();
            }
            if (first == null) {
                return true;
            }
            try {
                JsonNode node = JsonMapper.builder().build().readTree(first.replace("\uFEFF", ""));
                // A complete object on the first line that names an image and a caption: JSON lines.
                return !(node.isObject() && node.has("image") && node.has("caption"));
            } catch (JacksonException e) {
                return true; // the first line is part of a larger document
            }
        }
    }
}
