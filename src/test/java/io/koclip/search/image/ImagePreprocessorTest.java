package io.koclip.search.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.koclip.search.image.PreprocessSpec.Interpolation;
import io.koclip.search.image.PreprocessSpec.Resize;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class ImagePreprocessorTest {
    static final float[] CLIP_MEAN = {0.48145466f, 0.4578275f, 0.40821073f};
    static final float[] CLIP_STD = {0.26862954f, 0.26130258f, 0.27577711f};

    static PreprocessSpec clip(int size) {
        return new PreprocessSpec(size, Resize.SHORTEST_EDGE, Interpolation.BICUBIC, true, CLIP_MEAN, CLIP_STD);
    }

    @Test
    void centreCropRoundsHalfToEvenLikePython() {
        assertThat(ImagePreprocessor.cropOffset(225, 224)).isZero(); // round(0.5) == 0
        assertThat(ImagePreprocessor.cropOffset(226, 224)).isEqualTo(1);
        assertThat(ImagePreprocessor.cropOffset(227, 224)).isEqualTo(2); // round(1.5) == 2
        assertThat(ImagePreprocessor.cropOffset(229, 224)).isEqualTo(2); // round(2.5) == 2
        assertThat(ImagePreprocessor.cropOffset(224, 224)).isZero();
    }

    @Test
    void flatImageGivesTheNormalizedLevelEverywhere() {
        int[] rgb = new int[300 * 200];
        Arrays.fill(rgb, 200 << 16 | 100 << 8 | 50);
        float[] tensor = new ImagePreprocessor(clip(224)).toTensor(ImageDecoder.intRgbImage(rgb, 300, 200));
        assertThat(tensor).hasSize(3 * 224 * 224);
        int plane = 224 * 224;
        assertThat(tensor[0]).isEqualTo((200 / 255f - CLIP_MEAN[0]) / CLIP_STD[0]);
        assertThat(tensor[plane + 1000]).isEqualTo((100 / 255f - CLIP_MEAN[1]) / CLIP_STD[1]);
        assertThat(tensor[2 * plane + plane - 1]).isEqualTo((50 / 255f - CLIP_MEAN[2]) / CLIP_STD[2]);
    }

    @Test
    void batchSlotEqualsSingleTensor() {
        BufferedImage image = TestImages.noisy(97, 131, 7);
        ImagePreprocessor preprocessor = new ImagePreprocessor(clip(32));
        float[] single = preprocessor.toTensor(image);
        float[] batch = new float[2 * single.length];
        preprocessor.toTensor(image, batch, single.length);
        assertThat(Arrays.copyOfRange(batch, single.length, batch.length)).containsExactly(single);
        assertThat(Arrays.copyOf(batch, single.length)).containsOnly(0f);
        assertThatThrownBy(() -> preprocessor.toTensor(image, batch, single.length + 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("offset: " + (single.length + 1));
    }

    @Test
    void grayAndBgrImagesGiveTheSameTensorAsTheirIntRgbCopy() {
        BufferedImage gray = new BufferedImage(90, 60, BufferedImage.TYPE_BYTE_GRAY);
        BufferedImage bgr = new BufferedImage(90, 60, BufferedImage.TYPE_3BYTE_BGR);
        int[] grayRgb = new int[90 * 60];
        int[] bgrRgb = new int[90 * 60];
        for (int y = 0; y < 60; y++) {
            for (int x = 0; x < 90; x++) {
                int v = (x * 3 + y) % 256;
                gray.getRaster().setSample(x, y, 0, v);
                grayRgb[y * 90 + x] = v << 16 | v << 8 | v;
                int p = (x * 2) << 16 | (y * 4) << 8 | (x + y);
                bgr.getRaster().setPixel(x, y, new int[] {p >> 16 & 0xFF, p >> 8 & 0xFF, p & 0xFF});
                bgrRgb[y * 90 + x] = p;
            }
        }
        ImagePreprocessor preprocessor = new ImagePreprocessor(clip(40));
        // Raw gray levels, no gamma: Java's getRGB on TYPE_BYTE_GRAY would brighten mid-greys.
        assertThat(preprocessor.toTensor(gray))
                .containsExactly(preprocessor.toTensor(ImageDecoder.intRgbImage(grayRgb, 90, 60)));
        assertThat(preprocessor.toTensor(bgr))
                .containsExactly(preprocessor.toTensor(ImageDecoder.intRgbImage(bgrRgb, 90, 60)));
    }

    @Test
    void squashUsesTheWholeImage() {
        PreprocessSpec squash =
                new PreprocessSpec(8, Resize.SQUASH, Interpolation.BILINEAR, false, CLIP_MEAN, CLIP_STD);
        int[] rgb = new int[16 * 4];
        for (int i = 0; i < rgb.length; i++) {
            rgb[i] = (i % 16) < 8 ? 0x000000 : 0xFFFFFF; // left half black, right half white
        }
        int[] out = new ImagePreprocessor(squash).resizeAndCrop(ImageDecoder.intRgbImage(rgb, 16, 4));
        assertThat(out).hasSize(64);
        assertThat(out[0]).isEqualTo(0x000000);
        assertThat(out[7]).isEqualTo(0xFFFFFF); // both edges kept: nothing cropped
    }

    @Test
    void refusesShortestEdgeWithoutCrop() {
        PreprocessSpec spec =
                new PreprocessSpec(224, Resize.SHORTEST_EDGE, Interpolation.BICUBIC, false, CLIP_MEAN, CLIP_STD);
        assertThatThrownBy(() -> new ImagePreprocessor(spec))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("SHORTEST_EDGE without centerCrop");
    }

    @Test
    void extremeAspectRatioOnlyResamplesTheCrop() {
        // 2 x 3000: the resized long side would be 336000 pixels; only 224 x 224 are computed.
        BufferedImage sliver = TestImages.noisy(2, 3000, 3);
        float[] tensor = new ImagePreprocessor(clip(224)).toTensor(sliver);
        assertThat(tensor).hasSize(3 * 224 * 224);
    }

    /** Prints decode and preprocessing times of a 12-megapixel JPEG; asserts nothing about time. */
    @Test
    void twelveMegapixelTiming() throws Exception {
        byte[] jpeg = BigImages.jpeg12MegaPixels();
        ImageDecoder decoder = new ImageDecoder(ImageDecoder.DEFAULT_MAX_PIXELS);
        long start = System.nanoTime();
        DecodedImage photo = decoder.decode(jpeg);
        long decode = System.nanoTime() - start;
        ImagePreprocessor preprocessor = new ImagePreprocessor(clip(224));
        // Thread CPU time too: on a shared 2-core machine the wall time mostly measures the neighbours.
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        float[] tensor = null;
        long bestWall = Long.MAX_VALUE;
        long bestCpu = Long.MAX_VALUE;
        for (int i = 0; i < 8; i++) {
            long cpu = threads.getCurrentThreadCpuTime();
            start = System.nanoTime();
            tensor = preprocessor.toTensor(photo.rgb());
            bestWall = Math.min(bestWall, System.nanoTime() - start);
            bestCpu = Math.min(bestCpu, threads.getCurrentThreadCpuTime() - cpu);
        }
        assertThat(tensor).hasSize(3 * 224 * 224);
        System.out.printf(
                Locale.ROOT,
                "timing: 12 MP JPEG (4000x3000, %d KB): decode %.1f ms (first, cold); preprocess to [3, 224, 224]"
                        + " best of 8: %.1f ms wall, %.1f ms CPU%n",
                jpeg.length / 1024,
                decode / 1e6,
                bestWall / 1e6,
                bestCpu / 1e6);
    }
}
