package io.koclip.search.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Point;
import java.awt.image.BandedSampleModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.PixelInterleavedSampleModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The one-pass YCbCr conversion over interleaved byte rasters (what the JDK's JPEG reader returns)
 * against the per-pixel libjpeg formula, including rasters that are windows into a larger buffer
 * and layouts that must take the general path.
 */
class JpegColorTest {
    private static final int WIDTH = 37;
    private static final int HEIGHT = 23;

    @Test
    void interleavedBytesMatchPerPixelFormula() {
        WritableRaster raster = interleaved(WIDTH, HEIGHT, new int[] {0, 1, 2}, 1);
        assertThat(JpegColor.toRgb(raster, JpegLayout.ColorSpace.YCBCR)).containsExactly(perPixel(raster));
    }

    @Test
    void windowIntoLargerRasterReadsOnlyItsOwnPixels() {
        WritableRaster parent = interleaved(WIDTH + 11, HEIGHT + 7, new int[] {0, 1, 2}, 2);
        // A child at (5, 3) with its own origin: stride, offsets and translation all matter.
        Raster window = parent.createChild(5, 3, WIDTH, HEIGHT, 100, 200, null);

        int[] rgb = JpegColor.toRgb(window, JpegLayout.ColorSpace.YCBCR);

        assertThat(rgb).hasSize(WIDTH * HEIGHT).containsExactly(perPixel(window));
        int[] corner = window.getPixel(100, 200, (int[]) null);
        assertThat(rgb[0]).isEqualTo(JpegColor.yccToRgb(corner[0], corner[1], corner[2]));
    }

    @Test
    void otherLayoutsTakeTheGeneralPathWithTheSameResult() {
        WritableRaster interleaved = interleaved(WIDTH, HEIGHT, new int[] {0, 1, 2}, 3);
        WritableRaster reordered = interleaved(WIDTH, HEIGHT, new int[] {2, 1, 0}, 3);
        WritableRaster banded = Raster.createWritableRaster(
                new BandedSampleModel(DataBuffer.TYPE_BYTE, WIDTH, HEIGHT, 3), new Point(0, 0));
        int[] samples = interleaved.getPixels(0, 0, WIDTH, HEIGHT, (int[]) null);
        reordered.setPixels(0, 0, WIDTH, HEIGHT, samples);
        banded.setPixels(0, 0, WIDTH, HEIGHT, samples);

        int[] expected = perPixel(interleaved);
        assertThat(JpegColor.toRgb(reordered, JpegLayout.ColorSpace.YCBCR)).containsExactly(expected);
        assertThat(JpegColor.toRgb(banded, JpegLayout.ColorSpace.YCBCR)).containsExactly(expected);
    }

    @Test
    void extremesClipLikeLibjpeg() {
        // Full-scale chroma drives R and B past [0, 255]: they are clipped, not wrapped; G is in range.
        assertThat(JpegColor.yccToRgb(255, 255, 255)).isEqualTo(255 << 16 | 121 << 8 | 255);
        assertThat(JpegColor.yccToRgb(0, 0, 0)).isEqualTo(135 << 8);
    }

    /** Random Y Cb Cr samples, stored with the given band offsets in one byte array. */
    private static WritableRaster interleaved(int width, int height, int[] bandOffsets, long seed) {
        var model = new PixelInterleavedSampleModel(DataBuffer.TYPE_BYTE, width, height, 3, width * 3, bandOffsets);
        byte[] data = new byte[width * height * 3];
        new Random(seed).nextBytes(data);
        return Raster.createWritableRaster(model, new DataBufferByte(data, data.length), new Point(0, 0));
    }

    private static int[] perPixel(Raster raster) {
        int[] out = new int[raster.getWidth() * raster.getHeight()];
        int[] pixel = new int[3];
        for (int y = 0; y < raster.getHeight(); y++) {
            for (int x = 0; x < raster.getWidth(); x++) {
                raster.getPixel(raster.getMinX() + x, raster.getMinY() + y, pixel);
                out[y * raster.getWidth() + x] = JpegColor.yccToRgb(pixel[0], pixel[1], pixel[2]);
            }
        }
        return out;
    }
}
