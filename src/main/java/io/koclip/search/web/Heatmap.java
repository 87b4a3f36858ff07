package io.koclip.search.web;

import io.koclip.search.analysis.Patch;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Draws patch scores over the image as a heatmap: each pixel takes the mean score of the patches
 * covering it, scores are stretched from the lowest to the highest patch, coloured on a blue → yellow
 * → red ramp and blended over the image, more opaque where the score is higher so the best region
 * glows and the rest stays visible. The best patch is outlined. Images larger than {@code maxSide}
 * are scaled down first. Thread-safe: stateless.
 */
final class Heatmap {
    /** Opacity of the colour layer at the lowest and at the highest score. */
    private static final float MIN_ALPHA = 0.2f;

    private static final float MAX_ALPHA = 0.7f;

    /** Colour stops of the ramp, evenly spaced from 0 to 1 (ColorBrewer RdYlBu, reversed). */
    private static final int[] STOPS = {0x313695, 0x4575b4, 0xfee090, 0xf46d43, 0xd73027};

    private Heatmap() {}

    /** The overlay as PNG bytes. */
    static byte[] png(BufferedImage image, List<Patch> patches, int maxSide) {
        BufferedImage overlay = render(image, patches, maxSide);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(overlay, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException("PNG encoding failed: " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    /** The overlay image, at most {@code maxSide} pixels on its longest side. */
    static BufferedImage render(BufferedImage image, List<Patch> patches, int maxSide) {
        int w = image.getWidth();
        int h = image.getHeight();
        double scale = Math.min(1.0, (double) maxSide / Math.max(w, h));
        int ow = Math.max(1, (int) Math.round(w * scale));
        int oh = Math.max(1, (int) Math.round(h * scale));
        BufferedImage out = new BufferedImage(ow, oh, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.drawImage(image, 0, 0, ow, oh, null);
        } finally {
            g.dispose();
        }
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (Patch p : patches) {
            min = Math.min(min, p.score());
            max = Math.max(max, p.score());
        }
        float range = max - min;
        // Per output pixel: sum and count of the covering patches' normalized scores.
        float[] sum = new float[ow * oh];
        int[] count = new int[ow * oh];
        for (Patch p : patches) {
            float v = range > 0 ? (p.score() - min) / range : 0.5f;
            int x0 = (int) Math.floor(p.x() * scale);
            int y0 = (int) Math.floor(p.y() * scale);
            int x1 = Math.min(ow, (int) Math.ceil((p.x() + p.width()) * scale));
            int y1 = Math.min(oh, (int) Math.ceil((p.y() + p.height()) * scale));
            for (int y = y0; y < y1; y++) {
                for (int x = x0; x < x1; x++) {
                    sum[y * ow + x] += v;
                    count[y * ow + x]++;
                }
            }
        }
        for (int y = 0; y < oh; y++) {
            for (int x = 0; x < ow; x++) {
                int i = y * ow + x;
                if (count[i] == 0) {
                    continue;
                }
                float v = sum[i] / count[i];
                int base = out.getRGB(x, y);
                out.setRGB(x, y, blend(base, ramp(v), MIN_ALPHA + (MAX_ALPHA - MIN_ALPHA) * v));
            }
        }
        Graphics2D lines = out.createGraphics();
        try {
            lines.setColor(new Color(255, 255, 255, 90));
            lines.setStroke(new BasicStroke(1f));
            Patch best = null;
            for (Patch p : patches) {
                outline(lines, p, scale);
                if (best == null || p.score() > best.score()) {
                    best = p;
                }
            }
            if (best != null) {
                lines.setColor(Color.WHITE);
                lines.setStroke(new BasicStroke(Math.max(2f, Math.min(ow, oh) / 150f)));
                outline(lines, best, scale);
            }
        } finally {
            lines.dispose();
        }
        return out;
    }

    private static void outline(Graphics2D g, Patch p, double scale) {
        g.drawRect(
                (int) Math.round(p.x() * scale),
                (int) Math.round(p.y() * scale),
                Math.max(1, (int) Math.round(p.width() * scale) - 1),
                Math.max(1, (int) Math.round(p.height() * scale) - 1));
    }

    /** Blue (0) → light blue → yellow → orange → red (1), as packed RGB. */
    static int ramp(float v) {
        float t = Math.max(0f, Math.min(1f, v)) * (STOPS.length - 1);
        int i = Math.min((int) t, STOPS.length - 2);
        float f = t - i;
        int a = STOPS[i];
        int b = STOPS[i + 1];
        int r = Math.round(((a >> 16) & 0xff) * (1 - f) + ((b >> 16) & 0xff) * f);
        int g = Math.round(((a >> 8) & 0xff) * (1 - f) + ((b >> 8) & 0xff) * f);
        int bl = Math.round((a & 0xff) * (1 - f) + (b & 0xff) * f);
        return (r << 16) | (g << 8) | bl;
    }

    private static int blend(int base, int over, float alpha) {
        int r = Math.round(((base >> 16) & 0xff) * (1 - alpha) + ((over >> 16) & 0xff) * alpha);
        int g = Math.round(((base >> 8) & 0xff) * (1 - alpha) + ((over >> 8) & 0xff) * alpha);
        int b = Math.round((base & 0xff) * (1 - alpha) + (over & 0xff) * alpha);
        return (r << 16) | (g << 8) | b;
    }
}
