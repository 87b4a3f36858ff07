package io.koclip.search.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every EXIF orientation, on a stored image of four flat quadrants (red | green over blue | white),
 * 64 wide and 32 tall. Expected corners follow PIL's {@code exif_transpose}.
 */
class ExifOrientationTest {
    private static final int RED = 0xFF0000;
    private static final int GREEN = 0x00FF00;
    private static final int BLUE = 0x0000FF;
    private static final int WHITE = 0xFFFFFF;

    private final ImageDecoder decoder = new ImageDecoder(ImageDecoder.DEFAULT_MAX_PIXELS);

    @ParameterizedTest(name = "orientation {0}")
    @CsvSource({
        // orientation, upright width, height, then top-left, top-right, bottom-left, bottom-right
        "1, 64, 32, RED, GREEN, BLUE, WHITE",
        "2, 64, 32, GREEN, RED, WHITE, BLUE", // mirror left-right
        "3, 64, 32, WHITE, BLUE, GREEN, RED", // rotate 180
        "4, 64, 32, BLUE, WHITE, RED, GREEN", // mirror top-bottom
        "5, 32, 64, RED, BLUE, GREEN, WHITE", // transpose
        "6, 32, 64, BLUE, RED, WHITE, GREEN", // rotate 90 clockwise
        "7, 32, 64, WHITE, GREEN, BLUE, RED", // transverse
        "8, 32, 64, GREEN, WHITE, RED, BLUE" // rotate 90 counter-clockwise
    })
    void jpegOrientation(int orientation, int width, int height, String tl, String tr, String bl, String br)
            throws Exception {
        byte[] jpeg = TestImages.withExifOrientation(TestImages.jpeg(TestImages.quadrants(64, 32), 0.95f), orientation);
        DecodedImage image = decoder.decode(jpeg);
        assertThat(image.width()).isEqualTo(width);
        assertThat(image.height()).isEqualTo(height);
        assertCorners(image.rgb(), tl, tr, bl, br, 12); // JPEG: a few levels of ringing allowed
    }

    @ParameterizedTest(name = "orientation {0}")
    @CsvSource({"6, 32, 64, BLUE, RED, WHITE, GREEN", "7, 32, 64, WHITE, GREEN, BLUE, RED"})
    void pngExifChunkIsHonouredExactly(
            int orientation, int width, int height, String tl, String tr, String bl, String br) throws Exception {
        byte[] png =
                TestImages.pngWithExifOrientation(TestImages.encode(TestImages.quadrants(64, 32), "png"), orientation);
        DecodedImage image = decoder.decode(png);
        assertThat(image.width()).isEqualTo(width);
        assertThat(image.height()).isEqualTo(height);
        assertCorners(image.rgb(), tl, tr, bl, br, 0);
    }

    @Test
    void outOfRangeOrDamagedExifMeansUpright() throws Exception {
        byte[] jpeg = TestImages.jpeg(TestImages.quadrants(64, 32), 0.95f);
        assertThat(decoder.decode(TestImages.withExifOrientation(jpeg, 9)).width())
                .isEqualTo(64);
        byte[] damaged = TestImages.withExifOrientation(jpeg, 6);
        damaged[2 + 10] = 'X'; // "MM" byte-order mark -> "XM": unreadable TIFF header
        DecodedImage image = decoder.decode(damaged);
        assertThat(image.width()).isEqualTo(64);
        assertCorners(image.rgb(), "RED", "GREEN", "BLUE", "WHITE", 12);
    }

    @Test
    void applyIsExactOnAThreeByTwoImage() {
        // a b c
        // d e f
        int[] in = {1, 2, 3, 4, 5, 6};
        assertThat(ExifOrientation.apply(in, 3, 2, 1)).isSameAs(in);
        assertThat(ExifOrientation.apply(in, 3, 2, 2)).containsExactly(3, 2, 1, 6, 5, 4);
        assertThat(ExifOrientation.apply(in, 3, 2, 3)).containsExactly(6, 5, 4, 3, 2, 1);
        assertThat(ExifOrientation.apply(in, 3, 2, 4)).containsExactly(4, 5, 6, 1, 2, 3);
        assertThat(ExifOrientation.apply(in, 3, 2, 5)).containsExactly(1, 4, 2, 5, 3, 6);
        assertThat(ExifOrientation.apply(in, 3, 2, 6)).containsExactly(4, 1, 5, 2, 6, 3);
        assertThat(ExifOrientation.apply(in, 3, 2, 7)).containsExactly(6, 3, 5, 2, 4, 1);
        assertThat(ExifOrientation.apply(in, 3, 2, 8)).containsExactly(3, 6, 2, 5, 1, 4);
        assertThatThrownBy(() -> ExifOrientation.apply(in, 3, 2, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("orientation: 0 is not in [1, 8]");
        assertThatThrownBy(() -> ExifOrientation.apply(in, 4, 2, 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("rgb: 6 pixels, expected 4x2 = 8");
    }

    private static void assertCorners(BufferedImage image, String tl, String tr, String bl, String br, int tolerance) {
        int w = image.getWidth();
        int h = image.getHeight();
        // Sample a few pixels in from each corner, away from the quadrant edges.
        assertColour(image, 4, 4, tl, tolerance);
        assertColour(image, w - 5, 4, tr, tolerance);
        assertColour(image, 4, h - 5, bl, tolerance);
        assertColour(image, w - 5, h - 5, br, tolerance);
    }

    private static void assertColour(BufferedImage image, int x, int y, String name, int tolerance) {
        int expected = switch (name) {
            case "RED" -> RED;
            case "GREEN" -> GREEN;
            case "BLUE" -> BLUE;
            case "WHITE" -> WHITE;
            default -> throw new IllegalArgumentException(name);
        };
        int actual = image.getRGB(x, y) & 0xFFFFFF;
        for (int shift = 0; shift <= 16; shift += 8) {
            int a = (actual >> shift) & 0xFF;
            int e = (expected >> shift) & 0xFF;
            assertThat(Math.abs(a - e))
                    .as("pixel (%d, %d) = %06x, expected %s", x, y, actual, name)
                    .isLessThanOrEqualTo(tolerance);
        }
    }
}
