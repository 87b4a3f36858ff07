package io.koclip.search.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.koclip.search.analysis.Patch;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class HeatmapTest {
    @Test
    void rampGoesFromBlueToRed() {
        assertThat(Heatmap.ramp(0f)).isEqualTo(0x313695);
        assertThat(Heatmap.ramp(1f)).isEqualTo(0xd73027);
        assertThat(Heatmap.ramp(0.5f)).isEqualTo(0xfee090);
        assertThat(Heatmap.ramp(-3f)).isEqualTo(Heatmap.ramp(0f));
    }

    @Test
    void largeImagesAreScaledDownAndEncodedAsPng() throws Exception {
        BufferedImage image = new BufferedImage(2000, 1000, BufferedImage.TYPE_INT_RGB);
        List<Patch> patches =
                List.of(new Patch(0, 0, 0, 0, 1000, 1000, 0.1f), new Patch(0, 1, 1000, 0, 1000, 1000, 0.2f));
        BufferedImage png = ImageIO.read(new ByteArrayInputStream(Heatmap.png(image, patches, 1024)));
        assertThat(png.getWidth()).isEqualTo(1024);
        assertThat(png.getHeight()).isEqualTo(512);
        assertThat((png.getRGB(900, 200) >> 16) & 0xff).isGreaterThan((png.getRGB(100, 200) >> 16) & 0xff);
    }
}
