package io.koclip.search.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The job in a JVM with {@code -Xmx1g} over 12-megapixel JPEGs with 8 workers: the decode memory
 * budget keeps it from running out of heap (without it, 8 concurrent decodes of ~96 MiB each plus
 * the file bytes come close to the whole heap).
 */
class BoundedMemoryTest {
    static final int IMAGES = 8;

    @TempDir
    Path tmp;

    @Test
    void twelveMegapixelJpegsIngestWithinOneGigabyteOfHeap() throws Exception {
        Path source = Files.createDirectories(tmp.resolve("source"));
        Random random = new Random(12);
        for (int i = 0; i < IMAGES; i++) {
            Files.write(source.resolve("big-" + i + ".jpg"), TestImages.encode(photo(random, 4000, 3000), "jpg"));
        }
        Path log = tmp.resolve("child.log");
        List<String> command = List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "-Xmx1g",
                "-cp",
                System.getProperty("java.class.path"),
                CrashableIngestMain.class.getName(),
                source.toString(),
                tmp.resolve("index").toString(),
                "1000",
                "0",
                "8");
        Process child = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        assertThat(child.waitFor(5, TimeUnit.MINUTES)).isTrue();
        String output = Files.readString(log);
        assertThat(child.exitValue()).as(output).isZero();
        String reportLine = output.lines()
                .filter(l -> l.startsWith("{"))
                .reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError(output));
        JsonNode report = JsonMapper.builder().build().readTree(reportLine);
        System.out.println(reportLine);
        assertThat(report.path("failed").asLong()).as(reportLine).isZero();
        assertThat(report.path("indexed").asLong()).isEqualTo(IMAGES);
    }

    /** Noisy enough that the JPEG is photo-sized (a few MB), not a few kB of flat colour. */
    static BufferedImage photo(Random random, int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        for (int i = 0; i < 400; i++) {
            g.setColor(new Color(random.nextInt(0x1000000)));
            g.fillOval(
                    random.nextInt(width), random.nextInt(height), 50 + random.nextInt(800), 50 + random.nextInt(800));
        }
        g.dispose();
        int[] row = new int[width];
        for (int y = 0; y < height; y++) {
            image.getRGB(0, y, width, 1, row, 0, width);
            for (int x = 0; x < width; x++) {
                row[x] ^= random.nextInt(0x20) * 0x010101; // grain
            }
            image.setRGB(0, y, width, 1, row, 0, width);
        }
        return image;
    }
}
