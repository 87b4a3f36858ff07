package io.koclip.search.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.koclip.search.image.ImageRejectedException.Reason;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ImageDecoderTest {
    private final ImageDecoder decoder = new ImageDecoder(ImageDecoder.DEFAULT_MAX_PIXELS);

    @TempDir
    Path dir;

    private static byte[] fixture(String name) throws IOException {
        return PreprocessFidelityTest.readAll(name);
    }

    private static ImageRejectedException rejection(ThrowingCallable call) {
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(call);
        assertThat(thrown).isInstanceOf(ImageRejectedException.class);
        return (ImageRejectedException) thrown;
    }

    private static void assertRejected(ThrowingCallable call, Reason reason, String message) {
        ImageRejectedException e = rejection(call);
        assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason);
        assertThat(e.getMessage()).contains(message);
    }

    // ---- formats that decode ----

    @ParameterizedTest
    @ValueSource(
            strings = {
                "jpeg_baseline.jpg:jpeg:320x213",
                "jpeg_progressive.jpg:jpeg:250x333",
                "jpeg_cmyk.jpg:jpeg:260x180",
                "jpeg_ycck.jpg:jpeg:230x170",
                "jpeg_gray.jpg:jpeg:280x190",
                "png_palette.png:png:200x160",
                "png_gray16.png:png:120x100",
                "webp_lossy.webp:webp:300x210",
                "webp_lossless.webp:webp:180x130",
                "gif_animated.gif:gif:200x140",
                "bmp_rgb.bmp:bmp:150x110",
                "tiff_rgb.tif:tiff:170x120"
            })
    void decodesEveryFormatToIntRgb(String fixture) throws Exception {
        String[] parts = fixture.split(":");
        DecodedImage image = decoder.decode(fixture(parts[0]));
        assertThat(image.format()).isEqualTo(parts[1]);
        assertThat(image.width() + "x" + image.height()).isEqualTo(parts[2]);
        assertThat(image.rgb().getType()).isEqualTo(BufferedImage.TYPE_INT_RGB);
        assertThat(image.rgb().getWidth()).isEqualTo(image.width());
        assertThat(image.rgb().getHeight()).isEqualTo(image.height());
    }

    @Test
    void recognisesTheFormatFromContentNotTheFileName() throws Exception {
        Path misnamed = dir.resolve("photo.jpg");
        Files.write(misnamed, fixture("png_rgb.png"));
        assertThat(decoder.decode(misnamed).format()).isEqualTo("png");
    }

    @Test
    void sixteenBitSamplesAreScaledByTheirHighByteNotClipped() throws Exception {
        // 0x8040 would clip to 255 with PIL's convert("RGB") on mode I; the high byte is 0x80.
        byte[] gray = TestImages.png(2, 1, 16, 0, new int[] {0x8040, 0x01FF});
        assertThat(pixel(decoder.decode(gray), 0, 0)).isEqualTo(0x808080);
        assertThat(pixel(decoder.decode(gray), 1, 0)).isEqualTo(0x010101);
        byte[] rgb = TestImages.png(1, 1, 16, 2, new int[] {0xFFFF, 0x7FFF, 0x00FF});
        assertThat(pixel(decoder.decode(rgb), 0, 0)).isEqualTo(0xFF7F00);
    }

    @Test
    void alphaIsDroppedNotComposited() throws Exception {
        // Fully transparent pixels keep their colour, as PIL's convert("RGB") keeps it.
        byte[] rgba = TestImages.png(2, 1, 8, 6, new int[] {200, 100, 50, 0, 10, 20, 30, 128});
        DecodedImage image = decoder.decode(rgba);
        assertThat(pixel(image, 0, 0)).isEqualTo(0xC86432);
        assertThat(pixel(image, 1, 0)).isEqualTo(0x0A141E);
        byte[] grayAlpha = TestImages.png(1, 1, 8, 4, new int[] {77, 0});
        assertThat(pixel(decoder.decode(grayAlpha), 0, 0)).isEqualTo(0x4D4D4D);
    }

    @Test
    void grayIsReplicatedWithoutGamma() throws Exception {
        // Java's colour management would map gray 100 to about 0x9C9C9C (linear gray space).
        byte[] gray = TestImages.png(1, 1, 8, 0, new int[] {100});
        assertThat(pixel(decoder.decode(gray), 0, 0)).isEqualTo(0x646464);
    }

    @Test
    void paletteIsExpandedIncludingTheTransparentEntry() throws Exception {
        byte[] reds = {(byte) 255, 0, 12};
        byte[] greens = {0, (byte) 255, 34};
        byte[] blues = {0, 0, 56};
        IndexColorModel palette = new IndexColorModel(8, 3, reds, greens, blues, 2);
        BufferedImage indexed = new BufferedImage(3, 1, BufferedImage.TYPE_BYTE_INDEXED, palette);
        indexed.getRaster().setPixels(0, 0, 3, 1, new int[] {0, 1, 2});
        DecodedImage image = decoder.decode(TestImages.encode(indexed, "png"));
        assertThat(new int[] {pixel(image, 0, 0), pixel(image, 1, 0), pixel(image, 2, 0)})
                .containsExactly(0xFF0000, 0x00FF00, 0x0C2238);
    }

    @Test
    void gifFrameSmallerThanTheScreenIsPlacedOnItLikePil() throws Exception {
        GifLayout layout = GifLayout.read(fixture("gif_offset.gif"));
        assertThat(layout).isEqualTo(new GifLayout(160, 120, 25, 17, 120, 90, -1));
        int[] canvas = new GifLayout(4, 3, 1, 1, 2, 1, 5).compose(new int[] {7, 8}, 2, 1, 9);
        assertThat(canvas).containsExactly(9, 9, 9, 9, 9, 7, 8, 9, 9, 9, 9, 9);
        DecodedImage image = decoder.decode(fixture("gif_offset.gif"));
        assertThat(image.width() + "x" + image.height()).isEqualTo("160x120");
    }

    @Test
    void embeddedIccProfilesAreIgnoredLikePil() throws Exception {
        // A linear-RGB profile: Java's readers would convert to sRGB and brighten mid-tones a lot.
        byte[] icc = java.awt.color.ICC_Profile.getInstance(java.awt.color.ColorSpace.CS_LINEAR_RGB)
                .getData();
        byte[] jpeg = TestImages.jpeg(TestImages.noisy(64, 48, 5), 0.9f);
        byte[] marker = "ICC_PROFILE\0".getBytes(StandardCharsets.ISO_8859_1);
        int length = 2 + marker.length + 2 + icc.length;
        byte[] app2 = new byte[2 + length];
        app2[0] = (byte) 0xFF;
        app2[1] = (byte) 0xE2;
        app2[2] = (byte) (length >> 8);
        app2[3] = (byte) length;
        System.arraycopy(marker, 0, app2, 4, marker.length);
        app2[4 + marker.length] = 1; // sequence number
        app2[5 + marker.length] = 1; // of one segment
        System.arraycopy(icc, 0, app2, 6 + marker.length, icc.length);
        byte[] withIcc = new byte[jpeg.length + app2.length];
        System.arraycopy(jpeg, 0, withIcc, 0, 2);
        System.arraycopy(app2, 0, withIcc, 2, app2.length);
        System.arraycopy(jpeg, 2, withIcc, 2 + app2.length, jpeg.length - 2);
        assertThat(pixels(decoder.decode(withIcc))).containsExactly(pixels(decoder.decode(jpeg)));

        byte[] png = TestImages.encode(TestImages.noisy(32, 24, 6), "png");
        byte[] iccp = TestImages.chunk(
                "iCCP", concat("icc\0\0".getBytes(StandardCharsets.ISO_8859_1), TestImages.deflate(icc)));
        int idat = TestImages.findChunk(png, "IDAT");
        byte[] pngWithIcc = concat(Arrays.copyOf(png, idat), iccp, Arrays.copyOfRange(png, idat, png.length));
        assertThat(pixels(decoder.decode(pngWithIcc))).containsExactly(pixels(decoder.decode(png)));
    }

    @Test
    void cmykUsesPilsFormula() {
        // PIL: CMYK (212, 157, 19, 19) -> RGB (40, 91, 218).
        assertThat(RgbConverter.cmykToRgb(212, 157, 19, 19)).isEqualTo(40 << 16 | 91 << 8 | 218);
        assertThat(RgbConverter.cmykToRgb(0, 0, 0, 0)).isEqualTo(0xFFFFFF);
        assertThat(RgbConverter.cmykToRgb(255, 255, 255, 255)).isZero();
    }

    @Test
    void toleratesBadCrcInAncillaryChunkLikeLibpng() throws Exception {
        byte[] png = TestImages.png(1, 1, 8, 0, new int[] {9});
        byte[] text = TestImages.chunk("tEXt", "Comment\0hello".getBytes(StandardCharsets.ISO_8859_1));
        text[text.length - 1] ^= 1;
        int idat = TestImages.findChunk(png, "IDAT");
        byte[] withText = new byte[png.length + text.length];
        System.arraycopy(png, 0, withText, 0, idat);
        System.arraycopy(text, 0, withText, idat, text.length);
        System.arraycopy(png, idat, withText, idat + text.length, png.length - idat);
        assertThat(pixel(decoder.decode(withText), 0, 0)).isEqualTo(0x090909);
    }

    // ---- hostile and broken inputs ----

    @Test
    void emptyFileIsEmpty(@TempDir Path temp) throws IOException {
        Path empty = Files.write(temp.resolve("empty.png"), new byte[0]);
        assertRejected(() -> decoder.decode(empty), Reason.EMPTY, "empty file: 0 bytes");
    }

    @Test
    void textNamedJpgIsNotAnImage() throws IOException {
        Path html = Files.writeString(dir.resolve("photo.jpg"), "<!DOCTYPE html><html></html>");
        assertRejected(
                () -> decoder.decode(html),
                Reason.NOT_AN_IMAGE,
                "not an image: no known image signature (first bytes 3c 21 44 4f)");
    }

    @Test
    void heicWithoutLibvipsIsUnsupportedAndSaysWhatToInstall() throws Exception {
        ImageDecoder imageIo = new ImageDecoder(
                ImageDecoder.DEFAULT_MAX_PIXELS,
                ImageDecoder.DEFAULT_BUDGET,
                DecodeOptions.DEFAULT.withBackend(DecodeOptions.Backend.IMAGEIO));
        assertRejected(
                () -> imageIo.decode(fixture("heif/photo.heic")),
                Reason.UNSUPPORTED_FORMAT,
                "unsupported image format: heic needs libvips, and native decoding is off by configuration");
        if (!ImageDecoder.nativeAvailable()) {
            assertRejected(
                    () -> decoder.decode(fixture("heif/photo.avif")),
                    Reason.UNSUPPORTED_FORMAT,
                    "install it: apt-get install libvips42 (Debian/Ubuntu), brew install vips (macOS)");
        }
    }

    @Test
    void truncatedJpegIsCorrupt() throws Exception {
        byte[] jpeg = fixture("jpeg_baseline.jpg");
        // libvips (fail_on=truncated) and the JDK's libjpeg word it differently; both refuse.
        assertRejected(
                () -> decoder.decode(Arrays.copyOf(jpeg, jpeg.length / 2)),
                Reason.CORRUPT,
                ImageDecoder.nativeAvailable()
                        ? "corrupt jpeg: Premature end of input file"
                        : "corrupt jpeg: Truncated File - Missing EOI marker; Corrupt JPEG data: premature end of data segment");
        // Only the end-of-image marker missing: the JDK would return the image with a warning.
        assertRejected(
                () -> decoder.decode(Arrays.copyOf(jpeg, jpeg.length - 2)),
                Reason.CORRUPT,
                ImageDecoder.nativeAvailable()
                        ? "corrupt jpeg: "
                        : "corrupt jpeg: Truncated File - Missing EOI marker");
    }

    @Test
    void truncatedProgressiveJpegIsCorrupt() throws Exception {
        byte[] jpeg = fixture("jpeg_progressive.jpg");
        assertRejected(
                () -> decoder.decode(Arrays.copyOf(jpeg, jpeg.length * 3 / 4)), Reason.CORRUPT, "corrupt jpeg: ");
    }

    @Test
    void damagedHuffmanTableIsCorrupt() throws Exception {
        byte[] jpeg = fixture("jpeg_baseline.jpg");
        int dht = indexOf(jpeg, (byte) 0xFF, (byte) 0xC4);
        // Damage the first Huffman table's 16 code-length counts (at dht + 5) without changing their
        // sum: three 1-bit codes cannot exist, so the table is invalid but the segment still parses.
        int counts = dht + 5;
        int moved = 0;
        for (int i = 15; i >= 1 && moved < 3; i--) {
            int take = Math.min(jpeg[counts + i] & 0xFF, 3 - moved);
            jpeg[counts + i] -= (byte) take;
            moved += take;
        }
        jpeg[counts] += (byte) moved;
        assertRejected(() -> decoder.decode(jpeg), Reason.CORRUPT, "corrupt jpeg: Bogus Huffman table definition");
    }

    @Test
    void truncatedPngIsCorrupt() throws Exception {
        byte[] png = fixture("png_rgb.png");
        assertRejected(
                () -> decoder.decode(Arrays.copyOf(png, png.length / 2)),
                Reason.CORRUPT,
                "corrupt png: truncated in chunk IDAT: it declares");
        // Cut inside the IEND chunk: the JDK reader alone would accept this.
        assertRejected(
                () -> decoder.decode(Arrays.copyOf(png, png.length - 2)),
                Reason.CORRUPT,
                "corrupt png: truncated in chunk IEND");
    }

    @Test
    void randomBytesAfterPngSignatureAreCorrupt() {
        long seed = 20261127L;
        byte[] junk = new byte[4096];
        new Random(seed).nextBytes(junk);
        System.arraycopy(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A}, 0, junk, 0, 8);
        ImageRejectedException e = rejection(() -> decoder.decode(junk));
        assertThat(e.reason()).as("seed " + seed + ": " + e.getMessage()).isEqualTo(Reason.CORRUPT);
        assertThat(e.getMessage()).startsWith("corrupt png: ");
    }

    @Test
    void pngChunkCrcErrorIsCorrupt() throws Exception {
        byte[] png = fixture("png_rgb.png");
        int idat = TestImages.findChunk(png, "IDAT");
        png[idat + 8 + 100] ^= 0x01; // one bit inside the compressed pixel data
        assertRejected(
                () -> decoder.decode(png), Reason.CORRUPT, "corrupt png: CRC error in chunk IDAT at byte " + idat);
    }

    @Test
    void zeroWidthHeaderIsCorrupt() {
        byte[] png = TestImages.pngFromChunks(TestImages.ihdr(0, 5, 8, 0), TestImages.deflate(new byte[5]));
        ImageRejectedException e = rejection(() -> decoder.decode(png));
        assertThat(e.reason()).isEqualTo(Reason.CORRUPT);
        assertThat(e.getMessage()).startsWith("corrupt png: ");
    }

    @Test
    void hugeHeaderIsRefusedBeforeDecoding() {
        // 65535 x 65535 RGB would need 12.9 GB; refused from the header, without allocating.
        byte[] png = TestImages.pngFromChunks(TestImages.ihdr(65535, 65535, 8, 2), TestImages.deflate(new byte[64]));
        ImageTooLargeException e = assertTimeoutPreemptively(
                Duration.ofSeconds(5), () -> (ImageTooLargeException) rejection(() -> decoder.decode(png)));
        assertThat(e.reason()).isEqualTo(Reason.TOO_LARGE);
        assertThat(e.width()).isEqualTo(65535);
        assertThat(e.height()).isEqualTo(65535);
        assertThat(e.getMessage())
                .isEqualTo("image is 65535x65535 = 4294836225 pixels, over the cap of 100000000 pixels");
    }

    @Test
    void largestIntDimensionsDoNotOverflow() {
        byte[] png = TestImages.pngFromChunks(
                TestImages.ihdr(Integer.MAX_VALUE, Integer.MAX_VALUE, 8, 2), TestImages.deflate(new byte[64]));
        ImageRejectedException e = rejection(() -> new ImageDecoder(Long.MAX_VALUE).decode(png));
        assertThat(e).isInstanceOf(ImageTooLargeException.class);
        assertThat(e.getMessage()).contains("2147483647x2147483647 = 4611686014132420609 pixels");
    }

    @Test
    void realImageOverASmallCapIsTooLarge() throws Exception {
        ImageDecoder small = new ImageDecoder(1000);
        assertRejected(
                () -> small.decode(fixture("jpeg_baseline.jpg")),
                Reason.TOO_LARGE,
                "image is 320x213 = 68160 pixels, over the cap of 1000 pixels");
    }

    @Test
    void truncatedGifWebpTiffBmpAreCorrupt() throws Exception {
        byte[] gif = fixture("gif_animated.gif");
        assertRejected(
                () -> decoder.decode(Arrays.copyOf(gif, 1000)),
                Reason.CORRUPT,
                "corrupt gif: truncated in the first frame's image data");
        byte[] webp = fixture("webp_lossless.webp");
        assertRejected(
                () -> decoder.decode(Arrays.copyOf(webp, webp.length / 2)),
                Reason.CORRUPT,
                "corrupt webp: truncated: RIFF header declares " + webp.length + " bytes, the file has "
                        + webp.length / 2);
        byte[] tiff = fixture("tiff_rgb.tif");
        assertRejected(() -> decoder.decode(Arrays.copyOf(tiff, tiff.length / 2)), Reason.CORRUPT, "corrupt tiff: ");
        byte[] bmp = fixture("bmp_rgb.bmp");
        assertRejected(
                () -> decoder.decode(Arrays.copyOf(bmp, bmp.length / 2)),
                Reason.CORRUPT,
                "corrupt bmp: unexpected end of data");
    }

    /**
     * Seeded fuzzing: bit flips and truncations of every fixture either decode or are rejected with a
     * Reason; no exception of any other kind escapes. Prints the seed; replay with -Dfuzz.seed=N.
     */
    @Test
    void damagedFilesNeverEscapeAsOtherExceptions() throws Exception {
        long seed = Long.getLong("fuzz.seed", System.nanoTime());
        System.out.println("fuzz seed: " + seed + " (replay with -Dfuzz.seed=" + seed + ")");
        Random random = new Random(seed);
        // A small cap keeps flipped-up dimensions from allocating hundreds of megabytes.
        ImageDecoder capped = new ImageDecoder(2_000_000, Duration.ofSeconds(5));
        String[] fixtures = {
            "jpeg_baseline.jpg", "jpeg_progressive.jpg", "jpeg_cmyk.jpg", "png_rgb.png", "png_palette.png",
            "gif_animated.gif", "webp_lossy.webp", "webp_lossless.webp", "bmp_rgb.bmp", "tiff_rgb.tif"
        };
        int rejected = 0;
        int decoded = 0;
        for (String name : fixtures) {
            byte[] original = fixture(name);
            for (int round = 0; round < 30; round++) {
                byte[] damaged = original.clone();
                if (random.nextBoolean()) {
                    int flips = 1 + random.nextInt(8);
                    for (int f = 0; f < flips; f++) {
                        damaged[random.nextInt(damaged.length)] ^= (byte) (1 << random.nextInt(8));
                    }
                } else {
                    damaged = Arrays.copyOf(damaged, random.nextInt(damaged.length));
                }
                try {
                    capped.decode(damaged);
                    decoded++;
                } catch (ImageRejectedException e) {
                    assertThat(e.getMessage()).as("seed " + seed + ", " + name).isNotBlank();
                    rejected++;
                } catch (Throwable t) {
                    throw new AssertionError("seed " + seed + ", " + name + ", round " + round + ": escaped " + t, t);
                }
            }
        }
        System.out.println("fuzz: " + decoded + " decoded, " + rejected + " rejected");
    }

    // ---- time budget ----

    @Test
    void tinyBudgetOnABigImageTimesOut() {
        byte[] jpeg = BigImages.jpeg12MegaPixels();
        long start = System.nanoTime();
        assertRejected(
                () -> decoder.decode(jpeg, Duration.ofMillis(1)),
                Reason.TIMEOUT,
                "decoding this jpeg took longer than its time budget of 1 ms");
        System.out.printf(
                "timeout: 1 ms budget on a 12 MP JPEG returned after %.1f ms%n", (System.nanoTime() - start) / 1e6);
    }

    @Test
    void budgetRunningOutMidDecodeStopsTheDecoder() {
        byte[] jpeg = BigImages.jpeg12MegaPixels();
        long full = System.nanoTime();
        try {
            decoder.decode(jpeg);
        } catch (ImageRejectedException e) {
            throw new AssertionError(e);
        }
        full = System.nanoTime() - full;
        long start = System.nanoTime();
        assertRejected(() -> decoder.decode(jpeg, Duration.ofMillis(40)), Reason.TIMEOUT, "time budget of 40 ms");
        System.out.printf(
                "timeout: full 12 MP JPEG decode %.1f ms; with a 40 ms budget it stopped after %.1f ms%n",
                full / 1e6, (System.nanoTime() - start) / 1e6);
    }

    @Test
    void pngReaderHonoursTheBudget() {
        byte[] png = BigImages.png4MegaPixels();
        assertRejected(
                () -> decoder.decode(png, Duration.ofMillis(5)), Reason.TIMEOUT, "decoding this png took longer");
    }

    @Test
    void rejectsBadBudgetsAndCaps() {
        assertThatThrownBy(() -> new ImageDecoder(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxPixels: 0 must be >= 1");
        assertThatThrownBy(() -> new ImageDecoder(10, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("budget: PT0S must be positive");
        assertThatThrownBy(() -> decoder.decode(new byte[] {1}, Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("budget: PT-0.001S must be positive");
    }

    // ---- probe ----

    @Test
    void probeReadsTheHeaderOnly() throws Exception {
        byte[] png = TestImages.pngFromChunks(TestImages.ihdr(65535, 65535, 8, 2), TestImages.deflate(new byte[64]));
        assertThat(decoder.probe(png)).isEqualTo(new ImageHeader(ImageFormat.PNG, 65535, 65535));
        assertThat(decoder.probe(png).pixels()).isEqualTo(65535L * 65535L);
        // Stored size, before EXIF orientation: 6 rotates 240x320 into 320x240 on disk.
        Path jpeg = Files.write(dir.resolve("rotated.jpg"), fixture("jpeg_exif6.jpg"));
        assertThat(decoder.probe(Files.readAllBytes(jpeg))).isEqualTo(new ImageHeader(ImageFormat.JPEG, 320, 240));
        assertThat(decoder.decode(jpeg).width()).isEqualTo(240);
        assertRejected(() -> decoder.probe(new byte[0]), Reason.EMPTY, "empty file");
        assertRejected(
                () -> decoder.probe("GIF89a".getBytes(StandardCharsets.US_ASCII)), Reason.CORRUPT, "corrupt gif: ");
    }

    private static int pixel(DecodedImage image, int x, int y) {
        return image.rgb().getRGB(x, y) & 0xFFFFFF;
    }

    private static int[] pixels(DecodedImage image) {
        return image.rgb().getRGB(0, 0, image.width(), image.height(), null, 0, image.width());
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static int indexOf(byte[] bytes, byte first, byte second) {
        for (int i = 0; i + 1 < bytes.length; i++) {
            if (bytes[i] == first && bytes[i + 1] == second) {
                return i;
            }
        }
        throw new AssertionError("marker not found");
    }
}
