package io.koclip.search.eval;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;

/**
 * A self-contained HTML report: the inputs, a Recall@K chart per direction (inline SVG: horizontal
 * bars, one group per setting, one bar per K) and the full table. No scripts, fonts or images are
 * fetched; the file opens offline.
 *
 * <p>Thread-safe: stateless.
 */
public final class HtmlReport {
    /** One colour per K, in order (colour-blind-safe Okabe–Ito hues). */
    private static final String[] COLOURS = {"#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00"};

    private static final int LABEL_WIDTH = 300;
    private static final int PLOT_WIDTH = 480;
    private static final int BAR = 12;
    private static final int GAP = 10;

    private HtmlReport() {}

    /**
     * @param inputs what was evaluated (caption file, image folder, …), shown as a list
     */
    public static String render(Map<String, String> inputs, List<EvalResult> results, List<Integer> ks) {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<title>koclip-search eval</title>\n<style>\n")
                .append("body{font-family:system-ui,sans-serif;margin:2em;color:#222}")
                .append("table{border-collapse:collapse;font-variant-numeric:tabular-nums}")
                .append("th,td{padding:.25em .6em;border-bottom:1px solid #ddd;text-align:right}")
                .append("th:nth-child(-n+4),td:nth-child(-n+4){text-align:left}")
                .append("svg text{font-size:12px;font-family:system-ui,sans-serif}")
                .append("\n</style>\n</head>\n<body>\n<h1>Text–image retrieval</h1>\n<ul>\n");
        inputs.forEach((k, v) -> h.append("<li><b>")
                .append(escape(k))
                .append("</b>: ")
                .append(escape(v))
                .append("</li>\n"));
        h.append("</ul>\n<p>Recall@K in percent: text→image is the share of captions whose image is in the"
                + " top K images; image→text the share of images with at least one of their captions in the"
                + " top K captions (exact scores over all pairs, ties in file order).</p>\n");
        h.append("<h2>Text → image</h2>\n")
                .append(chart(results, ks, true))
                .append("<h2>Image → text</h2>\n")
                .append(chart(results, ks, false));
        h.append("<h2>All figures</h2>\n<table>\n<tr><th>model</th><th>variant</th><th>templates</th><th>lang</th>")
                .append("<th>images</th><th>captions</th>");
        ks.forEach(k -> h.append("<th>T→I R@").append(k).append("</th>"));
        ks.forEach(k -> h.append("<th>I→T R@").append(k).append("</th>"));
        h.append("<th>median rank</th><th>seconds</th></tr>\n");
        for (EvalResult r : results) {
            RetrievalMetrics m = r.metrics();
            h.append("<tr><td>")
                    .append(escape(r.model()))
                    .append("</td><td>")
                    .append(escape(r.variant()))
                    .append("</td><td>")
                    .append(r.templates() ? "on" : "off")
                    .append("</td><td>")
                    .append(escape(r.lang()))
                    .append("</td><td>")
                    .append(m.images())
                    .append("</td><td>")
                    .append(m.captions())
                    .append("</td>");
            ks.forEach(k ->
                    h.append("<td>").append(percent(m.textToImage().get(k))).append("</td>"));
            ks.forEach(k -> h.append("<td>")
                    .append(
                            m.imageToText() == null
                                    ? "–"
                                    : percent(m.imageToText().get(k)))
                    .append("</td>"));
            h.append("<td>")
                    .append(Double.isFinite(m.medianRank()) ? format(m.medianRank()) : "–")
                    .append("</td><td>")
                    .append(String.format(Locale.ROOT, "%.2f", r.seconds()))
                    .append("</td></tr>\n");
        }
        h.append("</table>\n</body>\n</html>\n");
        return h.toString();
    }

    /** Horizontal grouped bars: a group per setting, a bar per K, an axis from 0 to 100 %. */
    static String chart(List<EvalResult> results, List<Integer> ks, boolean textToImage) {
        int group = ks.size() * BAR + GAP;
        int top = 24;
        int height = top + results.size() * group + 24;
        int width = LABEL_WIDTH + PLOT_WIDTH + 60;
        StringBuilder s = new StringBuilder();
        s.append("<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"")
                .append(width)
                .append("\" height=\"")
                .append(height)
                .append("\" viewBox=\"0 0 ")
                .append(width)
                .append(' ')
                .append(height)
                .append("\">\n<title>")
                .append(textToImage ? "Text to image" : "Image to text")
                .append(" Recall@K per setting</title>\n");
        for (int tick = 0; tick <= 100; tick += 25) {
            double x = LABEL_WIDTH + PLOT_WIDTH * tick / 100.0;
            s.append("<line x1=\"")
                    .append(format(x))
                    .append("\" y1=\"")
                    .append(top - 4)
                    .append("\" x2=\"")
                    .append(format(x))
                    .append("\" y2=\"")
                    .append(height - 20)
                    .append("\" stroke=\"#ddd\"/>")
                    .append("<text x=\"")
                    .append(format(x))
                    .append("\" y=\"")
                    .append(height - 6)
                    .append("\" text-anchor=\"middle\">")
                    .append(tick)
                    .append("%</text>\n");
        }
        for (int k = 0; k < ks.size(); k++) {
            int x = LABEL_WIDTH + k * 90;
            s.append("<rect x=\"")
                    .append(x)
                    .append("\" y=\"4\" width=\"12\" height=\"12\" fill=\"")
                    .append(COLOURS[k % COLOURS.length])
                    .append("\"/><text x=\"")
                    .append(x + 16)
                    .append("\" y=\"14\">R@")
                    .append(ks.get(k))
                    .append("</text>\n");
        }
        for (int r = 0; r < results.size(); r++) {
            EvalResult result = results.get(r);
            SortedMap<Integer, Double> recalls = textToImage
                    ? result.metrics().textToImage()
                    : result.metrics().imageToText();
            int y0 = top + r * group;
            s.append("<text x=\"")
                    .append(LABEL_WIDTH - 8)
                    .append("\" y=\"")
                    .append(y0 + ks.size() * BAR / 2 + 4)
                    .append("\" text-anchor=\"end\">")
                    .append(escape(result.label()))
                    .append("</text>\n");
            for (int k = 0; k < ks.size(); k++) {
                Double share = recalls == null ? null : recalls.get(ks.get(k));
                int y = y0 + k * BAR;
                if (share == null) {
                    s.append("<text x=\"")
                            .append(LABEL_WIDTH + 4)
                            .append("\" y=\"")
                            .append(y + BAR - 2)
                            .append("\">n/a</text>\n");
                    continue;
                }
                double w = PLOT_WIDTH * share;
                s.append("<rect x=\"")
                        .append(LABEL_WIDTH)
                        .append("\" y=\"")
                        .append(y)
                        .append("\" width=\"")
                        .append(format(w))
                        .append("\" height=\"")
                        .append(BAR - 2)
                        .append("\" fill=\"")
                        .append(COLOURS[k % COLOURS.length])
                        .append("\"><title>")
                        .append(escape(result.label()))
                        .append(" R@")
                        .append(ks.get(k))
                        .append(": ")
                        .append(percent(share))
                        .append("%</title></rect><text x=\"")
                        .append(format(LABEL_WIDTH + w + 4))
                        .append("\" y=\"")
                        .append(y + BAR - 2)
                        .append("\" font-size=\"10\">")
                        .append(percent(share))
                        .append("</text>\n");
            }
        }
        return s.append("</svg>\n").toString();
    }

    private static String percent(Double share) {
        return share == null ? "–" : String.format(Locale.ROOT, "%.2f", 100 * share);
    }

    private static String format(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
