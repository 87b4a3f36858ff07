package io.koclip.search.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The readable report: one row per setting, recalls in percent with two decimals (the JSON lines have
 * the exact shares).
 *
 * <p>Thread-safe: stateless.
 */
public final class TextTable {
    private TextTable() {}

    public static String render(List<EvalResult> results, List<Integer> ks) {
        List<String> header =
                new ArrayList<>(List.of("model", "variant", "templates", "lang", "target", "images", "captions"));
        ks.forEach(k -> header.add("T→I R@" + k));
        ks.forEach(k -> header.add("I→T R@" + k));
        header.add("medR");
        header.add("seconds");
        List<List<String>> rows = new ArrayList<>();
        rows.add(header);
        for (EvalResult r : results) {
            RetrievalMetrics m = r.metrics();
            List<String> row = new ArrayList<>(List.of(
                    r.model(),
                    r.variant(),
                    r.templates() ? "on" : "off",
                    r.lang(),
                    r.target(),
                    Integer.toString(m.images()),
                    Integer.toString(m.captions())));
            ks.forEach(k -> row.add(percent(m.textToImage().get(k))));
            ks.forEach(k -> row.add(
                    m.imageToText() == null ? "-" : percent(m.imageToText().get(k))));
            row.add(Double.isFinite(m.medianRank()) ? String.format(Locale.ROOT, "%.1f", m.medianRank()) : "-");
            row.add(String.format(Locale.ROOT, "%.2f", r.seconds()));
            rows.add(row);
        }
        int[] width = new int[header.size()];
        for (List<String> row : rows) {
            for (int c = 0; c < row.size(); c++) {
                width[c] = Math.max(width[c], row.get(c).length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (int r = 0; r < rows.size(); r++) {
            List<String> row = rows.get(r);
            for (int c = 0; c < row.size(); c++) {
                String cell = row.get(c);
                // Text columns left-aligned, figures right-aligned.
                String padded = c < 5 ? pad(cell, width[c], false) : pad(cell, width[c], true);
                out.append(c == 0 ? "" : "  ").append(padded);
            }
            out.append('\n');
            if (r == 0) {
                int total = 0;
                for (int w : width) {
                    total += w + 2;
                }
                out.append("-".repeat(total - 2)).append('\n');
            }
        }
        return out.toString();
    }

    private static String percent(Double share) {
        return share == null ? "-" : String.format(Locale.ROOT, "%.2f", 100 * share);
    }

    private static String pad(String s, int width, boolean right) {
        String fill = " ".repeat(Math.max(0, width - s.length()));
        return right ? fill + s : s + fill;
    }
}
