package io.koclip.search.eval;

import java.io.IOException;
import java.nio.file.Path;
import tools.jackson.databind.JsonNode;

/**
 * AI Hub's Korean MSCOCO captions (the file KoCLIP trained on):
 * {@code [{"file_path": "val2014/COCO_val2014_….jpg", "captions": [en…], "caption_ko": [ko…]}]}.
 * {@code captions} are English, {@code caption_ko} Korean; images are keyed by {@code file_path}.
 */
final class AihubCaptions {
    private AihubCaptions() {}

    static void read(Path file, CaptionSetBuilder set) throws IOException {
        String source = file.getFileName().toString();
        JsonNode root = CocoCaptions.readTree(file);
        if (!root.isArray()) {
            throw new IllegalArgumentException(
                    file + ": not an AI Hub caption list (expected an array of {file_path, captions, caption_ko})");
        }
        for (int i = 0; i < root.size(); i++) {
            String where = source + ": [" + i + "]";
            JsonNode entry = root.get(i);
            if (!entry.isObject()) {
                set.problem(where, "is " + CaptionSetBuilder.describe(entry) + ", expected an object");
                continue;
            }
            String path = set.string(entry, "file_path", where);
            if (path == null) {
                continue;
            }
            if (set.find(path) >= 0) {
                set.problem(where, "file_path " + path + " appears twice");
                continue;
            }
            int image = set.image(path, path);
            captions(entry, "captions", "en", image, set, where);
            captions(entry, "caption_ko", "ko", image, set, where);
        }
    }

    private static void captions(
            JsonNode entry, String field, String lang, int image, CaptionSetBuilder set, String where) {
        JsonNode list = entry.get(field);
        if (list == null || list.isNull()) {
            return;
        }
        if (!list.isArray()) {
            set.problem(
                    where + "." + field, "is " + CaptionSetBuilder.describe(list) + ", expected an array of strings");
            return;
        }
        for (int k = 0; k < list.size(); k++) {
            JsonNode text = list.get(k);
            String at = where + "." + field + "[" + k + "]";
            if (!text.isString()) {
                set.problem(at, "is " + CaptionSetBuilder.describe(text) + ", expected a string");
            } else {
                set.caption(image, text.asString(), lang, at);
            }
        }
    }
}
