package io.koclip.search.eval;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** The caption file formats {@code eval} reads. */
public enum CaptionFormat {
    /** Detect from the file name and the first character (see {@link #detect}). */
    AUTO,
    /** COCO captions JSON: {@code images[{id, file_name}]}, {@code annotations[{image_id, caption[, lang]}]}. */
    COCO,
    /** AI Hub Korean MSCOCO: {@code [{file_path, captions:[en…], caption_ko:[ko…]}]}. */
    AIHUB,
    /** XTD10: {@code test_image_names.txt} and line-aligned {@code test_1kcaptions_<lang>.txt}. */
    XTD,
    /** CSV {@code image,caption[,lang]}, optional header row. */
    CSV,
    /** JSON lines {@code {"image", "caption"[, "lang"]}}. */
    JSONL;

    /**
     * The format of {@code file}: {@code .csv} CSV; {@code .jsonl}/{@code .ndjson} JSON lines;
     * {@code .txt} XTD; {@code .json} AI Hub when it starts with {@code [}, COCO when it is one object,
     * JSON lines when it is several.
     *
     * @throws IllegalArgumentException when the name and content say nothing
     */
    public static CaptionFormat detect(Path file) throws IOException {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".csv")) {
            return CSV;
        }
        if (name.endsWith(".jsonl") || name.endsWith(".ndjson")) {
            return JSONL;
        }
        if (name.endsWith(".txt")) {
            return XTD;
        }
        int first = firstNonBlank(file);
        if (first == '[') {
            return AIHUB;
        }
        if (first == '{') {
            return JsonLinesCaptions.isSingleDocument(file) ? COCO : JSONL;
        }
        throw new IllegalArgumentException("cannot tell the format of " + file
                + " (expected .json COCO or AI Hub, .jsonl, .csv or XTD .txt); give --format");
    }

    private static int firstNonBlank(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            int b;
            while ((b = in.read()) >= 0) {
                // Skip whitespace and a UTF-8 byte-order mark.
                if (!Character.isWhitespace(b) && b != 0xEF && b != 0xBB && b != 0xBF) {
                    return b;
                }
            }
            return -1;
        }
    }
}
