package io.koclip.search.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.koclip.search.image.PilResampler.Coefficients;
import io.koclip.search.image.PilResampler.Filter;
import org.junit.jupiter.api.Test;

/** Golden values from Pillow 9.4 {@code Image.resize} on a 13x7 pattern (see {@link #pattern()}). */
class PilResamplerTest {

    /** {@code a[y, x] = ((x*37 + y*11) % 256, (x*x*5 + y*29) % 256, 255 if (x+y) % 3 == 0 else (x*y*7) % 256)}. */
    static int[] pattern() {
        int[] rgb = new int[13 * 7];
        for (int y = 0; y < 7; y++) {
            for (int x = 0; x < 13; x++) {
                int r = (x * 37 + y * 11) % 256;
                int g = (x * x * 5 + y * 29) % 256;
                int b = (x + y) % 3 == 0 ? 255 : (x * y * 7) % 256;
                rgb[y * 13 + x] = r << 16 | g << 8 | b;
            }
        }
        return rgb;
    }

    private static int[] resize(int outWidth, int outHeight, Filter filter) {
        Coefficients h = outWidth == 13 ? null : Coefficients.compute(13, outWidth, 0, outWidth, filter);
        Coefficients v = outHeight == 7 ? null : Coefficients.compute(7, outHeight, 0, outHeight, filter);
        return PilResampler.resizeWindow(pattern(), 13, 7, outWidth, outHeight, 0, 0, outWidth, outHeight, h, v);
    }

    @Test
    void bicubicDownscaleMatchesPil() {
        assertThat(resize(5, 3, Filter.BICUBIC))
                .containsExactly(
                        0x281A55, 0x8D5460, 0x9A9C69, 0x3F7A74, 0xA48C87, 0x415C62, 0xA69984, 0x947BAD, 0x5880C0,
                        0xBD6FC1, 0x5AA270, 0xBFBBAC, 0x646AC3, 0x71848E, 0xD67CB7);
    }

    @Test
    void bicubicUpscaleMatchesPilIncludingOvershootClipping() {
        int[] out = resize(17, 9, Filter.BICUBIC);
        // First two rows of PIL's 17x9 result: overshoot clipped to 0x00 and 0xFF shows up in them.
        assertThat(java.util.Arrays.copyOf(out, 34))
                .containsExactly(
                        0x0000FF, 0x15015C, 0x330900, 0x50171A, 0x6C2AFF, 0x88444B, 0xA46300, 0xC6872D, 0xDDB3FF,
                        0x29FF36, 0x079700, 0x324241, 0x4E9AFF, 0x6AFC23, 0x879800, 0xA57852, 0xBDD5FF, 0x051252,
                        0x1D140F, 0x3B1C4A, 0x582ABE, 0x743D64, 0x905709, 0xAC7660, 0xCE9EBA, 0xE5C66B, 0x316F16,
                        0x0F4974, 0x3A69B6, 0x56A773, 0x726224, 0x8F5884, 0xAD9EAE, 0xC5FB7F);
        assertThat(out[out.length - 1]).isEqualTo(0xFF86FF);
    }

    @Test
    void bilinearMixedScaleMatchesPil() {
        // 13 -> 4 wide (downscale, support widened), 7 -> 6 tall (slight downscale).
        assertThat(resize(4, 6, Filter.BILINEAR))
                .containsExactly(
                        0x37165B, 0x956C59, 0x52975C, 0x899D68, 0x433753, 0xA18070, 0x5E7284, 0x957898, 0x505870,
                        0xAE8F86, 0x6B81AB, 0xA270C9, 0x5C7866, 0xA4999E, 0x6171C8, 0xAE7CBD, 0x699974, 0xA08EB4,
                        0x5D74A4, 0xBB8C9B, 0x75BA87, 0xAC9BC0, 0x69908F, 0xC768C7);
    }

    @Test
    void unchangedHeightSkipsTheVerticalPassLikePil() {
        int[] out = resize(6, 7, Filter.BICUBIC);
        assertThat(java.util.Arrays.copyOf(out, 12))
                .containsExactly(
                        0x170365, 0x642661, 0xBC824B, 0x42AF4B, 0x509D61, 0xA5A765, 0x22202E, 0x6F4365, 0xC79C79,
                        0x4D5E70, 0x5B6377, 0xB0989B);
        assertThat(out[out.length - 1]).isEqualTo(0xE74EDD);
    }

    @Test
    void windowEqualsCropOfTheFullResize() {
        int[] full = resize(5, 3, Filter.BICUBIC);
        Coefficients h = Coefficients.compute(13, 5, 1, 3, Filter.BICUBIC);
        Coefficients v = Coefficients.compute(7, 3, 1, 2, Filter.BICUBIC);
        int[] window = PilResampler.resizeWindow(pattern(), 13, 7, 5, 3, 1, 1, 3, 2, h, v);
        assertThat(window).containsExactly(full[6], full[7], full[8], full[11], full[12], full[13]);
    }

    @Test
    void coefficientsSumToOneInFixedPointAndWidenWhenDownscaling() {
        Coefficients down = Coefficients.compute(4000, 298, 0, 298, Filter.BICUBIC);
        // support 2 * (4000 / 298) = 26.8 input pixels each side: ceil * 2 + 1 taps at most.
        assertThat(down.ksize()).isEqualTo(55);
        for (int i = 0; i < down.count(); i++) {
            long sum = 0;
            for (int t = 0; t < down.taps()[i]; t++) {
                sum += down.weights()[i * down.ksize() + t];
            }
            assertThat(sum).isCloseTo(1L << PilResampler.PRECISION_BITS, org.assertj.core.data.Offset.offset(64L));
        }
        Coefficients up = Coefficients.compute(100, 224, 0, 224, Filter.BICUBIC);
        assertThat(up.ksize()).isEqualTo(5);
        assertThat(up.start()[0]).isZero();
        assertThat(up.start()[223] + up.taps()[223]).isEqualTo(100);
    }

    @Test
    void rejectsWindowsOutsideTheOutput() {
        assertThatThrownBy(() -> Coefficients.compute(10, 5, 3, 3, Filter.BILINEAR))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("window: [3, 6) is not inside [0, 5)");
        assertThatThrownBy(() -> PilResampler.resizeWindow(
                        pattern(), 13, 7, 5, 3, 0, 0, 5, 3, Coefficients.compute(13, 5, 0, 5, Filter.BICUBIC), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("vertical coefficients: none");
    }
}
