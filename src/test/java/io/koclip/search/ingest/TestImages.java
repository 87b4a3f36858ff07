package io.koclip.search.ingest;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.ImageIO;

/** Small generated images for ingest tests: every seed gives different pixels. */
final class TestImages {
    private TestImages() {}

    /** A {@code size}×{@code size} image: a background colour and a few random rectangles. */
    static BufferedImage image(long seed, int size) {
        Random random = new Random(seed);
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(random.nextInt(0x1000000)));
        g.fillRect(0, 0, size, size);
        for (int i = 0; i < 4; i++) {
            g.setColor(new Color(random.nextInt(0x1000000)));
            g.fillRect(random.nextInt(size), random.nextInt(size), 1 + random.nextInt(size), 1 + random.nextInt(size));
        }
        g.dispose();
        return image;
    }

    static byte[] encode(BufferedImage image, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalStateException("no ImageIO writer for " + format);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static byte[] png(long seed) {
        return encode(image(seed, 32), "png");
    }

    static byte[] jpeg(long seed) {
        return encode(image(seed, 32), "jpg");
    }

    /** Writes a generated image at {@code folder/relative}, creating folders; the format follows the extension. */
    static Path write(Path folder, String relative, long seed) throws IOException {
        String format = relative.endsWith(".png") ? "png" : "jpg";
        return write(folder, relative, encode(image(seed, 32), format));
    }

    static Path write(Path folder, String relative, byte[] bytes) throws IOException {
        Path file = folder.resolve(relative);
        Files.createDirectories(file.getParent());
        return Files.write(file, bytes);
    }
}
