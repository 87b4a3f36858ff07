package io.koclip.search.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.koclip.search.image.DecodeOptions.Backend;
import java.time.Duration;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * Coverage-guided fuzzing (Jazzer) of everything an untrusted image file reaches before the model:
 * the magic-byte sniffer, the container checks, the header probes and both decoder paths behind
 * {@link ImageDecoder}. The property is the decoder's contract: whatever the bytes, the only exception
 * that escapes is {@link ImageRejectedException} (its documented reasons), a decoded image has the
 * size it says and no more pixels than the cap, a decode returns within its time budget (plus a
 * grace for a loaded machine: the budget is cooperative, see {@link DecodeDeadline}), and nothing runs
 * out of memory or overflows the stack (those are {@link Error}s, which fail the test like any other
 * escape). A decode that never returns is libFuzzer's {@code -timeout} (docs/operations.md).
 *
 * <p>Memory stays bounded by a small pixel cap (4 MP: about 32 MiB per decode) rather than by luck.
 *
 * <p>Regression mode (every {@code ./mvnw verify}) runs the empty input and every file under
 * {@code src/test/resources/io/koclip/search/image/ImageFuzzTestInputs/<method>/}: the seed corpus of
 * {@code src/test/fuzz/make_image_seeds.py} (one tiny file per format and variant) and every crash a
 * campaign found, named {@code crash-*} or after the bug. {@code JAZZER_FUZZ=1} fuzzes one method
 * (docs/operations.md, "Fuzzing").
 */
class ImageFuzzTest {
    /** 4 megapixels: large enough for any seed, small enough that a hostile header cannot exhaust the heap. */
    private static final long MAX_PIXELS = 1L << 22;

    /** Per-decode budget. */
    private static final Duration BUDGET = Duration.ofSeconds(2);

    /**
     * How long past its budget a decode may return: the deadline is cooperative (checked between rows,
     * strips and reads), and the machine may be loaded; far more than any seed takes, far less than a hang.
     */
    private static final Duration GRACE = Duration.ofSeconds(20);

    private static final ImageDecoder IMAGEIO =
            new ImageDecoder(MAX_PIXELS, BUDGET, DecodeOptions.DEFAULT.withBackend(Backend.IMAGEIO));

    /** The libvips path, or null where libvips is not installed (that target is then skipped). */
    private static final ImageDecoder LIBVIPS = ImageDecoder.nativeAvailable()
            ? new ImageDecoder(MAX_PIXELS, BUDGET, DecodeOptions.DEFAULT.withBackend(Backend.LIBVIPS))
            : null;

    /** Sniffer, container checks and header probes: what ingest runs on every candidate file. */
    @FuzzTest
    void sniffAndProbe(byte[] bytes) {
        try {
            ImageFormat format = ImageFormat.detect(bytes);
            ContainerCheck.verify(format, bytes);
            if (format == ImageFormat.JPEG) {
                JpegLayout.scan(bytes);
            }
            ExifOrientation.read(format, bytes);
            ImageHeader header = IMAGEIO.probe(bytes);
            assertThat(header.format()).isEqualTo(format);
            assertThat(header.width()).isPositive();
            assertThat(header.height()).isPositive();
        } catch (ImageRejectedException expected) {
            assertThat(expected.reason()).isNotNull();
            assertThat(expected.getMessage()).isNotBlank();
        }
    }

    /** The ImageIO path for every format (HEIC/AVIF: refused as unsupported on this path). */
    @FuzzTest
    void decodeWithImageIo(byte[] bytes) {
        decodeAndCheck(IMAGEIO, bytes);
    }

    /** The libvips path: JPEG (gray, YCbCr, RGB), HEIC and AVIF natively, the rest through ImageIO. */
    // Disabled as a whole where libvips is absent or switched off: an assumption failing inside a fuzz
    // target is a finding to Jazzer, not a skip.
    @FuzzTest
    @EnabledIf("libvipsPresent")
    void decodeWithLibvips(byte[] bytes) {
        decodeAndCheck(LIBVIPS, bytes);
    }

    static boolean libvipsPresent() {
        return LIBVIPS != null;
    }

    private static void decodeAndCheck(ImageDecoder decoder, byte[] bytes) {
        DecodedImage image;
        ImageFormat format;
        long start = System.nanoTime();
        try {
            image = decoder.decode(bytes);
            format = ImageFormat.detect(bytes);
        } catch (ImageTooLargeException expected) {
            assertThat(expected.width() * expected.height()).isGreaterThan(MAX_PIXELS);
            return;
        } catch (ImageRejectedException expected) {
            assertThat(expected.reason()).isNotNull();
            assertThat(expected.getMessage()).isNotBlank();
            return;
        } finally {
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(took).as("decode time").isLessThan(BUDGET.plus(GRACE));
        }
        assertThat(image.width()).isPositive();
        assertThat(image.height()).isPositive();
        assertThat((long) image.width() * image.height()).isLessThanOrEqualTo(MAX_PIXELS);
        assertThat(image.rgb().getWidth()).isEqualTo(image.width());
        assertThat(image.rgb().getHeight()).isEqualTo(image.height());
        assertThat(image.format()).isEqualTo(format.id());
    }
}
