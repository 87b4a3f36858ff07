package io.koclip.search.eval;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * CSV {@code image,caption[,lang]} (RFC 4180: comma separated, fields with commas, quotes or line
 * breaks in double quotes, {@code ""} for a quote). A first row {@code image,caption[,lang]} is a
 * header and skipped. Images are keyed by the {@code image} field as written.
 */
final class CsvCaptions {
    private CsvCaptions() {}

    static void read(Path file, CaptionSetBuilder set) throws IOException {
        String source = file.getFileName().toString();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            int line = 1;
            boolean first = true;
            while (true) {
                int startLine = line;
                Row row = next(in, line);
                if (row == null) {
                    break;
                }
                line = row.nextLine();
                List<String> fields = row.fields();
                if (first && !fields.isEmpty()) {
                    fields.set(0, fields.get(0).replace("\uFEFF", ""));
                }
                String where = source + ": line " + startLine;
                if (first && isHeader(fields)) {
                    first = false;
                    continue;
                }
                first = false;
                if (fields.size() == 1 && fields.get(0).isBlank()) {
                    continue; // blank line
                }
                if (row.unterminated()) {
                    set.problem(where, "a quoted field is not closed before the end of the file");
                    break;
                }
                if (fields.size() < 2 || fields.size() > 3) {
                    set.problem(where, fields.size() + " fields, expected image,caption[,lang]");
                    continue;
                }
                String image = fields.get(0).strip();
                if (image.isEmpty()) {
                    set.problem(where, "empty image");
                    continue;
                }
                int index = set.image(image, image);
                set.caption(index, fields.get(1), fields.size() == 3 ? fields.get(2) : null, where);
            }
        }
    }

    private static boolean isHeader(List<String> fields) {
        return fields.size() >= 2
                && fields.get(0).strip().toLowerCase(Locale.ROOT).equals("image")
                && fields.get(1).strip().toLowerCase(Locale.ROOT).equals("caption");
    }

    /**
     * @param fields the row's fields
     * @param nextLine the line number after the row (quoted fields may span lines)
     * @param unterminated whether the file ended inside a quoted field
     */
    record Row(List<String> fields, int nextLine, boolean unterminated) {}

    /** The next row, or null at the end of input. */
    static @Nullable Row next(BufferedReader in, int line) throws IOException {
        String text = in.readLine();
        if (text == null) {
            return null;
        }
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        int i = 0;
        while (true) {
            if (i == text.length()) {
                if (!quoted) {
                    break;
                }
                String more = in.readLine();
                line++;
                if (more == null) {
                    fields.add(field.toString());
                    return new Row(fields, line, true);
                }
                field.append('\n');
                text = more;
                i = 0;
                continue;
            }
            char c = text.charAt(i++);
            if (quoted) {
                if (c == '"' && i < text.length() && text.charAt(i) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"' && field.isEmpty()) {
                quoted = true;
            } else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        fields.add(field.toString());
        return new Row(fields, line + 1, false);
    }
}
