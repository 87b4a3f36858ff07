package io.koclip.search.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.koclip.search.image.DecodeOptions.Backend;
import io.koclip.search.image.DecodeOptions.Shrink;
import io.koclip.search.image.ImageRejectedException.Reason;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The libvips path: HEIC/AVIF (8-bit, 10-bit, irot), JPEG equal to the ImageIO path, shrink-on-load
 * equal to PIL's {@code draft}, and the same limits and hostile-file behaviour as the ImageIO path.
 * Fixtures: {@code src/test/resources/images/heif/make.sh} and {@code make_draft.py}.
 *
 * <p>Tests of the native path are skipped, saying so, where libvips is not installed (or is switched
 * off with {@code -Dkoclip.image.decoder=imageio}); the fallback tests run everywhere.
 */
class VipsDecoderTest {
    private static final String SKIP = "libvips not available: " + ImageDecoder.nativeStatus()
            + " (apt-get install libvips42 to run the native-path tests)";

    private static final ImageDecoder IMAGEIO = decoder(Backend.IMAGEIO, DecodeOptions.DEFAULT);

    @BeforeEach
    void logStatus() {
        System.out.println("native decoding: " + ImageDecoder.nativeStatus());
    }

    private static ImageDecoder decoder(Backend backend, DecodeOptions options) {
        return new ImageDecoder(
                ImageDecoder.DEFAULT_MAX_PIXELS, ImageDecoder.DEFAULT_BUDGET, options.withBackend(backend));
    }

    private static ImageDecoder vips() {
        assumeTrue(ImageDecoder.nativeAvailable(), SKIP);
        return decoder(Backend.LIBVIPS, DecodeOptions.DEFAULT);
    }

    private static byte[] fixture(String name) throws IOException {
        return PreprocessFidelityTest.readAll(name);
    }

    private static byte[] rgbBytes(BufferedImage image) {
        int[] rgb = RgbConverter.toRgb(image);
        byte[] out = new byte[rgb.length * 3];
        for (int i = 0; i < rgb.length; i++) {
            out[3 * i] = (byte) (rgb[i] >> 16);
            out[3 * i + 1] = (byte) (rgb[i] >> 8);
            out[3 * i + 2] = (byte) rgb[i];
        }
        return out;
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    /** Mean absolute difference per channel, in 8-bit levels. */
    private static double meanDiff(BufferedImage a, BufferedImage b) {
        int[] x = RgbConverter.toRgb(a);
        int[] y = RgbConverter.toRgb(b);
        assertThat(x).hasSameSizeAs(y);
        long sum = 0;
        for (int i = 0; i < x.length; i++) {
            for (int shift = 0; shift <= 16; shift += 8) {
                sum += Math.abs((x[i] >> shift & 0xFF) - (y[i] >> shift & 0xFF));
            }
        }
        return sum / (3.0 * x.length);
    }

    // ---- available everywhere ----

    @Test
    void statusSaysWhichDecoderRuns() {
        String described = new ImageDecoder(ImageDecoder.DEFAULT_MAX_PIXELS).describe();
        if (ImageDecoder.nativeAvailable()) {
            assertThat(ImageDecoder.nativeStatus()).startsWith("libvips 8.");
            assertThat(described).startsWith("libvips 8.").endsWith("(jpeg, heic, avif; shrink exact) + imageio");
        } else {
            assertThat(described).startsWith("imageio (native decoding ");
        }
        assertThat(IMAGEIO.describe()).isEqualTo("imageio (native decoding off by configuration)");
    }

    @Test
    void requiringLibvipsWhereItIsAbsentFailsAtConstruction() {
        assumeTrue(!ImageDecoder.nativeAvailable(), "libvips is installed here");
        assertThatThrownBy(() -> decoder(Backend.LIBVIPS, DecodeOptions.DEFAULT))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("image decoder backend libvips requested");
    }

    @Test
    void heifHeaderIsProbedInJavaBeforeAnyNativeCode() throws Exception {
        assertThat(IMAGEIO.probe(fixture("heif/photo.heic"))).isEqualTo(new ImageHeader(ImageFormat.HEIC, 320, 240));
        assertThat(IMAGEIO.probe(fixture("heif/photo.avif"))).isEqualTo(new ImageHeader(ImageFormat.AVIF, 320, 240));
        // Stored size: irot does not change the ispe.
        assertThat(IMAGEIO.probe(fixture("heif/rot90.heic"))).isEqualTo(new ImageHeader(ImageFormat.HEIC, 320, 240));
    }

    @Test
    void shrinkFactorKeepsTheShortSideAtLeastTheFloor() {
        DecodeOptions fast = DecodeOptions.fast(224); // floor 448
        assertThat(fast.jpegShrink(3000)).isEqualTo(4); // 750 >= 448; 1/8 would give 375
        assertThat(fast.jpegShrink(3584)).isEqualTo(8); // exactly 448
        assertThat(fast.jpegShrink(3583)).isEqualTo(8); // ceil(3583 / 8) = 448
        assertThat(fast.jpegShrink(3577)).isEqualTo(8); // ceil(3577 / 8) = 448
        assertThat(fast.jpegShrink(3576)).isEqualTo(4);
        assertThat(fast.jpegShrink(895)).isEqualTo(2); // ceil(895 / 2) = 448
        assertThat(fast.jpegShrink(894)).isEqualTo(1);
        assertThat(DecodeOptions.DEFAULT.jpegShrink(100_000)).isEqualTo(1);
        assertThatThrownBy(() -> new DecodeOptions(Backend.AUTO, Shrink.FAST, 0))
                .hasMessage("minShortSide: 0 must be >= 1 with shrink fast, >= 0 otherwise");
        assertThat(Shrink.parse("FAST")).isEqualTo(Shrink.FAST);
        assertThatThrownBy(() -> Shrink.parse("quick")).hasMessage("decode mode: 'quick' is not one of exact, fast");
    }

    @Test
    void productSurfacesBuildOptionsFromNames() {
        assertThat(Backend.parse("LibVips")).isEqualTo(Backend.LIBVIPS);
        assertThatThrownBy(() -> Backend.parse("pil"))
                .hasMessage("decoder: 'pil' is not one of auto, imageio, libvips");
        assertThat(DecodeOptions.of(Backend.IMAGEIO, Shrink.FAST, 224))
                .isEqualTo(new DecodeOptions(Backend.IMAGEIO, Shrink.FAST, 448));
        assertThat(DecodeOptions.of(Backend.AUTO, Shrink.EXACT, 224)).isEqualTo(DecodeOptions.DEFAULT);
        // Thumbnails of 640 px under fast: the floor rises to 640, never falls.
        assertThat(DecodeOptions.fast(224).keepingShortSide(640).minShortSide()).isEqualTo(640);
        assertThat(DecodeOptions.fast(224).keepingShortSide(320).minShortSide()).isEqualTo(448);
        assertThat(DecodeOptions.DEFAULT.keepingShortSide(640)).isSameAs(DecodeOptions.DEFAULT);
        ImageDecoder decoder = decoder(Backend.IMAGEIO, DecodeOptions.DEFAULT);
        assertThat(decoder.withOptions(DecodeOptions.DEFAULT.withBackend(Backend.IMAGEIO)))
                .isSameAs(decoder);
        ImageDecoder fast = decoder.withOptions(new DecodeOptions(Backend.IMAGEIO, Shrink.FAST, 10));
        assertThat(fast.options().shrink()).isEqualTo(Shrink.FAST);
        assertThat(fast.maxPixels()).isEqualTo(decoder.maxPixels());
        assertThat(fast.budget()).isEqualTo(decoder.budget());
    }

    @Test
    void heifBombIsRefusedFromItsHeader() throws Exception {
        byte[] bomb = fixture("heif/photo.heic");
        int ispe = indexOf(bomb, "ispe".getBytes(StandardCharsets.US_ASCII));
        // ispe: size(4) "ispe" version/flags(4) width(4) height(4): claim 60000 x 60000.
        writeU32(bomb, ispe + 8, 60_000);
        writeU32(bomb, ispe + 12, 60_000);
        ImageDecoder d = new ImageDecoder(100_000_000L);
        assertThat(d.probe(bomb).pixels()).isEqualTo(3_600_000_000L);
        if (ImageDecoder.nativeAvailable()) {
            assertThatThrownBy(() -> d.decode(bomb))
                    .isInstanceOf(ImageTooLargeException.class)
                    .hasMessage("image is 60000x60000 = 3600000000 pixels, over the cap of 100000000 pixels");
        } else {
            assertThatThrownBy(() -> d.decode(bomb))
                    .isInstanceOfSatisfying(
                            ImageRejectedException.class,
                            e -> assertThat(e.reason()).isEqualTo(Reason.UNSUPPORTED_FORMAT));
        }
    }

    @Test
    void truncatedHeifHeaderIsCorruptNamingTheBox() throws Exception {
        byte[] heic = fixture("heif/photo.heic");
        int meta = indexOf(heic, "meta".getBytes(StandardCharsets.US_ASCII)) - 4;
        assertThatThrownBy(() -> IMAGEIO.probe(Arrays.copyOf(heic, meta + 40)))
                .isInstanceOfSatisfying(
                        ImageRejectedException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.CORRUPT))
                .hasMessageStartingWith("corrupt heic: truncated: box 'meta' at byte " + meta + " declares");
    }

    // ---- the native path ----

    @ParameterizedTest
    @ValueSource(strings = {"photo.heic", "photo.avif", "photo10.heic", "rot90.heic"})
    void heifDecodesExactlyAsLibheifDoes(String file) throws Exception {
        ImageDecoder vips = vips();
        // libheif.sha256: "<sha256 of RGB bytes> <file> <width>x<height>", from heif-convert.
        Map<String, String[]> expected = new String(fixture("heif/libheif.sha256"), StandardCharsets.US_ASCII)
                .lines()
                .map(line -> line.split(" "))
                .collect(Collectors.toMap(f -> f[1], f -> f));
        DecodedImage decoded = vips.decode(fixture("heif/" + file));
        assertThat(decoded.format()).isEqualTo(file.endsWith(".avif") ? "avif" : "heic");
        assertThat(decoded.width() + "x" + decoded.height()).isEqualTo(expected.get(file)[2]);
        assertThat(sha256(rgbBytes(decoded.rgb()))).as(file).isEqualTo(expected.get(file)[0]);
        assertThat(decoded.shrunk()).isFalse();
    }

    @Test
    void heifIsCloseToItsSourceAndRotatedByIrot() throws Exception {
        ImageDecoder vips = vips();
        BufferedImage source = ImageIO.read(new ByteArrayInputStream(fixture("heif/source.png")));
        for (String file : List.of("photo.heic", "photo.avif", "photo10.heic", "exif6.heic")) {
            double diff = meanDiff(vips.decode(fixture("heif/" + file)).rgb(), source);
            System.out.printf("heif %-13s mean |decoded - source| = %.2f levels%n", file, diff);
            assertThat(diff).as(file).isLessThan(4.0);
        }
        // rot90: irot 1 = 90 degrees anti-clockwise: the red top-left quadrant ends bottom-left.
        DecodedImage rotated = vips.decode(fixture("heif/rot90.heic"));
        assertThat(rotated.width()).isEqualTo(240);
        assertThat(rotated.height()).isEqualTo(320);
        assertThat(isRed(rotated.rgb().getRGB(60, 260))).isTrue();
        assertThat(isRed(rotated.rgb().getRGB(60, 60))).isFalse();
        // exif6: EXIF orientation in a HEIF is ignored (irot/imir rule, ISO/IEC 23008-12), as libheif does.
        DecodedImage exif = vips.decode(fixture("heif/exif6.heic"));
        assertThat(exif.width()).isEqualTo(320);
        assertThat(isRed(exif.rgb().getRGB(40, 40))).isTrue();
    }

    private static boolean isRed(int rgb) {
        return (rgb >> 16 & 0xFF) > 180 && (rgb >> 8 & 0xFF) < 80 && (rgb & 0xFF) < 80;
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "jpeg_baseline.jpg",
                "jpeg_progressive.jpg",
                "jpeg_444.jpg",
                "jpeg_gray.jpg",
                "jpeg_exif3.jpg",
                "jpeg_exif6.jpg",
                "jpeg_exif8.jpg",
                "jpeg_cmyk.jpg",
                "jpeg_ycck.jpg"
            })
    void jpegExactEqualsTheImageIoPath(String file) throws Exception {
        ImageDecoder vips = vips();
        byte[] jpeg = fixture(file);
        DecodedImage a = vips.decode(jpeg);
        DecodedImage b = IMAGEIO.decode(jpeg);
        assertThat(a.width()).isEqualTo(b.width());
        assertThat(a.height()).isEqualTo(b.height());
        assertThat(RgbConverter.toRgb(a.rgb())).isEqualTo(RgbConverter.toRgb(b.rgb()));
    }

    @Test
    void fastShrinkEqualsPilDraft() throws Exception {
        assumeTrue(ImageDecoder.nativeAvailable(), SKIP);
        byte[] jpeg = fixture("heif/draft_source.jpg"); // 640x480
        DecodedImage half = decoder(Backend.LIBVIPS, new DecodeOptions(Backend.AUTO, Shrink.FAST, 240))
                .decode(jpeg);
        assertThat(half.width() + "x" + half.height()).isEqualTo("320x240");
        assertThat(half.originalWidth() + "x" + half.originalHeight()).isEqualTo("640x480");
        assertThat(half.shrunk()).isTrue();
        String expected = new String(fixture("heif/draft_source.pil_draft2.sha256"), StandardCharsets.US_ASCII).strip();
        assertThat(sha256(rgbBytes(half.rgb()))).isEqualTo(expected);

        DecodedImage quarter = decoder(Backend.LIBVIPS, new DecodeOptions(Backend.AUTO, Shrink.FAST, 120))
                .decode(jpeg);
        BufferedImage pil = ImageIO.read(new ByteArrayInputStream(fixture("heif/draft_source.pil_draft4.png")));
        assertThat(RgbConverter.toRgb(quarter.rgb())).isEqualTo(RgbConverter.toRgb(pil));

        // The floor is never crossed: 481 keeps a full-size decode.
        DecodedImage full = decoder(Backend.LIBVIPS, new DecodeOptions(Backend.AUTO, Shrink.FAST, 481))
                .decode(jpeg);
        assertThat(full.shrunk()).isFalse();
        // The ImageIO path ignores fast: it has no DCT scaling.
        assertThat(decoder(Backend.IMAGEIO, DecodeOptions.fast(60)).decode(jpeg).width())
                .isEqualTo(640);
    }

    @Test
    void fastShrinkKeepsTheUprightOriginalSize() throws Exception {
        assumeTrue(ImageDecoder.nativeAvailable(), SKIP);
        byte[] jpeg = fixture("jpeg_exif6.jpg");
        DecodedImage exact = IMAGEIO.decode(jpeg);
        int shortSide = Math.min(exact.width(), exact.height());
        DecodedImage fast = decoder(Backend.LIBVIPS, new DecodeOptions(Backend.AUTO, Shrink.FAST, shortSide / 2))
                .decode(jpeg);
        assertThat(fast.shrunk()).isTrue();
        assertThat(fast.originalWidth()).isEqualTo(exact.width());
        assertThat(fast.originalHeight()).isEqualTo(exact.height());
        assertThat(fast.width()).isEqualTo((exact.width() + 1) / 2);
    }

    @ParameterizedTest
    @EnumSource(
            value = Backend.class,
            names = {"IMAGEIO", "LIBVIPS"})
    void hostileFilesAreRejectedOnBothPaths(Backend backend) throws Exception {
        if (backend == Backend.LIBVIPS) {
            assumeTrue(ImageDecoder.nativeAvailable(), SKIP);
        }
        ImageDecoder d = decoder(backend, DecodeOptions.DEFAULT);
        byte[] jpeg = fixture("jpeg_progressive.jpg");
        assertReason(() -> d.decode(Arrays.copyOf(jpeg, jpeg.length * 3 / 4)), Reason.CORRUPT, "corrupt jpeg: ");
        byte[] garbage = Arrays.copyOf(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF}, 4096);
        for (int i = 3; i < garbage.length; i++) {
            garbage[i] = (byte) (i * 31 + 7);
        }
        assertReason(() -> d.decode(garbage), Reason.CORRUPT, "corrupt jpeg: ");
        byte[] small = TestImages.jpeg(TestImages.noisy(400, 300, 5), 0.9f);
        ImageDecoder capped =
                new ImageDecoder(100_000, ImageDecoder.DEFAULT_BUDGET, DecodeOptions.DEFAULT.withBackend(backend));
        assertThatThrownBy(() -> capped.decode(small)).isInstanceOf(ImageTooLargeException.class);
        byte[] big = BigImages.jpeg12MegaPixels();
        assertReason(
                () -> d.decode(big, Duration.ofMillis(1)),
                Reason.TIMEOUT,
                "decoding this jpeg took longer than its time budget of 1 ms");
        if (backend == Backend.LIBVIPS) {
            byte[] heic = fixture("heif/photo.heic");
            assertReason(() -> d.decode(Arrays.copyOf(heic, heic.length - 200)), Reason.CORRUPT, "corrupt heic: ");
            byte[] scrambled = heic.clone();
            for (int i = scrambled.length - 1500; i < scrambled.length; i++) {
                scrambled[i] = (byte) (i * 131);
            }
            Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> d.decode(scrambled));
            // HEVC may conceal damage and decode: then it must still be a whole image.
            if (thrown != null) {
                assertThat(thrown).isInstanceOf(ImageRejectedException.class);
                System.out.println("scrambled heic: " + thrown.getMessage());
            }
        }
    }

    @Test
    void budgetRunningOutMidDecodeStopsLibvips() {
        assumeTrue(ImageDecoder.nativeAvailable(), SKIP);
        ImageDecoder d = vips();
        byte[] big = BigImages.jpeg12MegaPixels();
        long start = System.nanoTime();
        assertReason(() -> d.decode(big, Duration.ofMillis(30)), Reason.TIMEOUT, "time budget of 30 ms");
        // Printed, not asserted (no timed assertions): how soon vips_image_set_kill stopped it.
        System.out.printf(
                "libvips timeout: 30 ms budget on a 12 MP JPEG returned after %.1f ms%n",
                (System.nanoTime() - start) / 1e6);
    }

    @Test
    void concurrentDecodesGiveTheSameImages() throws Exception {
        ImageDecoder d = vips();
        List<byte[]> files = List.of(
                fixture("jpeg_baseline.jpg"),
                fixture("heif/photo.heic"),
                fixture("heif/photo.avif"),
                fixture("jpeg_progressive.jpg"));
        List<String> expected = new ArrayList<>();
        for (byte[] f : files) {
            expected.add(sha256(rgbBytes(d.decode(f).rgb())));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                int k = i % files.size();
                results.add(pool.submit(() -> {
                    // Interleave failures, so the global error buffer is exercised under contention.
                    if (k == 0) {
                        try {
                            d.decode(Arrays.copyOf(files.get(0), 900));
                        } catch (ImageRejectedException expectedFailure) {
                            assertThat(expectedFailure.getMessage()).startsWith("corrupt jpeg: ");
                        }
                    }
                    return k + ":" + sha256(rgbBytes(d.decode(files.get(k)).rgb()));
                }));
            }
            for (int i = 0; i < results.size(); i++) {
                assertThat(results.get(i).get()).isEqualTo(i % files.size() + ":" + expected.get(i % files.size()));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static void assertReason(
            org.assertj.core.api.ThrowableAssert.ThrowingCallable call, Reason reason, String message) {
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(call);
        assertThat(thrown).isInstanceOf(ImageRejectedException.class);
        ImageRejectedException e = (ImageRejectedException) thrown;
        assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason);
        assertThat(e.getMessage()).contains(message);
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found: " + new String(needle, StandardCharsets.US_ASCII));
    }

    private static void writeU32(byte[] b, int pos, long value) {
        b[pos] = (byte) (value >> 24);
        b[pos + 1] = (byte) (value >> 16);
        b[pos + 2] = (byte) (value >> 8);
        b[pos + 3] = (byte) value;
    }
}
