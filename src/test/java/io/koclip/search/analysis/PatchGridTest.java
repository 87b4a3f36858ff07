package io.koclip.search.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.koclip.search.search.InvalidRequestException;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PatchGridTest {
    @Test
    void gridWithoutOverlapTilesTheImage() {
        List<PatchGrid.Box> boxes = PatchGrid.boxes(100, 60, 2, 3, 0);
        assertThat(boxes).hasSize(6);
        assertThat(boxes.get(0)).isEqualTo(new PatchGrid.Box(0, 0, 0, 0, 33, 30));
        assertThat(boxes.get(2)).isEqualTo(new PatchGrid.Box(0, 2, 67, 0, 33, 30));
        assertThat(boxes.get(5)).isEqualTo(new PatchGrid.Box(1, 2, 67, 30, 33, 30));
        long area = boxes.stream().mapToLong(b -> (long) b.width() * b.height()).sum();
        assertThat(area).isEqualTo(100 * 60);
    }

    @Test
    void overlapWidensPatchesAndKeepsTheSpan() {
        List<PatchGrid.Box> boxes = PatchGrid.boxes(100, 100, 1, 2, 0.5);
        // side = 100 / (1 + 0.5) = 66.7, stride 33.3
        assertThat(boxes.get(0)).isEqualTo(new PatchGrid.Box(0, 0, 0, 0, 67, 100));
        assertThat(boxes.get(1)).isEqualTo(new PatchGrid.Box(0, 1, 33, 0, 67, 100));
    }

    @Test
    void randomGridsStayInsideTheImage() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        for (int i = 0; i < 500; i++) {
            int w = 8 + random.nextInt(3000);
            int h = 8 + random.nextInt(3000);
            int rows = 1 + random.nextInt(8);
            int cols = 1 + random.nextInt(8);
            double overlap = random.nextDouble() * 0.75;
            for (PatchGrid.Box b : PatchGrid.boxes(w, h, rows, cols, overlap)) {
                String where =
                        "seed " + seed + ": " + w + "x" + h + " " + rows + "x" + cols + " o=" + overlap + " " + b;
                assertThat(b.x()).as(where).isBetween(0, w - 1);
                assertThat(b.y()).as(where).isBetween(0, h - 1);
                assertThat(b.width()).as(where).isPositive();
                assertThat(b.height()).as(where).isPositive();
                assertThat(b.x() + b.width()).as(where).isLessThanOrEqualTo(w);
                assertThat(b.y() + b.height()).as(where).isLessThanOrEqualTo(h);
            }
        }
    }

    @Test
    void gridLargerThanTheImageIsRefused() {
        assertThatThrownBy(() -> PatchGrid.boxes(4, 4, 8, 8, 0))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("does not fit a 4x4 image");
    }
}
