package io.koclip.search.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** bench-ingest on the demo bundle over a few generated JPEGs: counts and well-formed lines. */
class IngestBenchCommandTest {
    @TempDir
    Path source;

    @Test
    void ingestsEveryImageAndReportsTheBreakdown() throws Exception {
        DemoModelAvailable.assume();
        for (int i = 0; i < 6; i++) {
            BufferedImage image = new BufferedImage(300 + 40 * i, 200 + 30 * i, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = image.createGraphics();
            g.setColor(new Color(40 * i, 255 - 30 * i, 120));
            g.fillRect(0, 0, image.getWidth(), image.getHeight());
            g.setColor(Color.WHITE);
            g.fillOval(20, 20, 100 + 10 * i, 80);
            g.dispose();
            ImageIO.write(image, "jpg", source.resolve("image-" + i + ".jpg").toFile());
        }
        BenchCommands.Result result = BenchCommands.run(
                "bench-ingest",
                "--source",
                source.toString(),
                "--model",
                DemoModelAvailable.MODEL,
                "--subsample-drift",
                "2");
        assertThat(result.exit()).as(result.stdout()).isZero();
        assertThat(result.lines()).hasSize(2);
        JsonNode ingest = result.lines().get(0);
        assertThat(ingest.get("encoded").asInt()).isEqualTo(6);
        assertThat(ingest.get("failed").asInt()).isZero();
        assertThat(ingest.get("imagesPerSecond").asDouble()).isPositive();
        for (String field : new String[] {"decodeMsPerImage", "encodeMsPerImage", "indexMsPerImage"}) {
            assertThat(ingest.has(field)).as(field).isTrue();
        }
        JsonNode drift = result.lines().get(1);
        assertThat(drift.get("images").asInt()).isEqualTo(2);
        assertThat(drift.get("minCosine").asDouble()).isBetween(-1.0, 1.0 + 1e-6);
    }
}
