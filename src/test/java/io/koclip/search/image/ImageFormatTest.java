package io.koclip.search.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.koclip.search.image.ImageRejectedException.Reason;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ImageFormatTest {

    private static byte[] bytes(int... values) {
        byte[] b = new byte[Math.max(values.length, ImageFormat.SIGNATURE_BYTES)];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    @Test
    void sniffsEverySignature() {
        assertThat(ImageFormat.sniff(bytes(0xFF, 0xD8, 0xFF, 0xE0))).contains(ImageFormat.JPEG);
        assertThat(ImageFormat.sniff(bytes(0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)))
                .contains(ImageFormat.PNG);
        assertThat(ImageFormat.sniff("GIF87a".getBytes(StandardCharsets.US_ASCII)))
                .contains(ImageFormat.GIF);
        assertThat(ImageFormat.sniff("GIF89a".getBytes(StandardCharsets.US_ASCII)))
                .contains(ImageFormat.GIF);
        assertThat(ImageFormat.sniff(bytes('R', 'I', 'F', 'F', 1, 2, 3, 4, 'W', 'E', 'B', 'P')))
                .contains(ImageFormat.WEBP);
        assertThat(ImageFormat.sniff(bytes('I', 'I', 0x2A, 0x00))).contains(ImageFormat.TIFF);
        assertThat(ImageFormat.sniff(bytes('M', 'M', 0x00, 0x2A))).contains(ImageFormat.TIFF);
        byte[] bmp = bytes('B', 'M');
        bmp[14] = 40; // BITMAPINFOHEADER
        assertThat(ImageFormat.sniff(bmp)).contains(ImageFormat.BMP);
    }

    @Test
    void nearMissesAreNotImages() {
        assertThat(ImageFormat.sniff(bytes('R', 'I', 'F', 'F', 1, 2, 3, 4, 'W', 'A', 'V', 'E')))
                .isEmpty();
        assertThat(ImageFormat.sniff("GIF90a".getBytes(StandardCharsets.US_ASCII)))
                .isEmpty();
        assertThat(ImageFormat.sniff("BM is a text".getBytes(StandardCharsets.US_ASCII)))
                .isEmpty();
        assertThat(ImageFormat.sniff(bytes('I', 'I', 0x2B, 0x00))).isEmpty(); // BigTIFF: not supported
        assertThat(ImageFormat.sniff(new byte[] {(byte) 0xFF, (byte) 0xD8})).isEmpty(); // too short
        assertThat(ImageFormat.sniff(new byte[0])).isEmpty();
    }

    @Test
    void detectExplainsWhatItFound() throws Exception {
        assertThat(ImageFormat.detect(bytes(0xFF, 0xD8, 0xFF, 0xDB))).isEqualTo(ImageFormat.JPEG);
        assertThatThrownBy(() -> ImageFormat.detect(new byte[0]))
                .isInstanceOfSatisfying(
                        ImageRejectedException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.EMPTY))
                .hasMessage("empty file: 0 bytes");
        assertThatThrownBy(() -> ImageFormat.detect("<!DOCTYPE html>".getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOfSatisfying(
                        ImageRejectedException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.NOT_AN_IMAGE))
                .hasMessage("not an image: no known image signature (first bytes 3c 21 44 4f)");
        assertThatThrownBy(() -> ImageFormat.detect(new byte[] {0x42}))
                .hasMessage("not an image: no known image signature (first bytes 42)");
        byte[] jxl = Arrays.copyOf(new byte[] {0, 0, 0, 0x1C, 'f', 't', 'y', 'p', 'j', 'x', 'l', ' '}, 16);
        assertThatThrownBy(() -> ImageFormat.detect(jxl))
                .isInstanceOfSatisfying(
                        ImageRejectedException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.UNSUPPORTED_FORMAT))
                .hasMessage(
                        "unsupported image format: jpeg xl (supported: jpeg, png, gif, webp, bmp, tiff; heic, avif with libvips)");
    }

    @Test
    void heifBrandsAreHeicOrAvif() throws Exception {
        byte[] avif = Arrays.copyOf(new byte[] {0, 0, 0, 0x1C, 'f', 't', 'y', 'p', 'a', 'v', 'i', 'f'}, 16);
        assertThat(ImageFormat.detect(avif)).isEqualTo(ImageFormat.AVIF);
        byte[] heic = Arrays.copyOf(new byte[] {0, 0, 0, 0x18, 'f', 't', 'y', 'p', 'h', 'e', 'i', 'c'}, 16);
        assertThat(ImageFormat.detect(heic)).isEqualTo(ImageFormat.HEIC);
        // Generic HEIF major brand with an AVIF compatible brand: AVIF.
        byte[] mif1Avif = {
            0, 0, 0, 0x18, 'f', 't', 'y', 'p', 'm', 'i', 'f', '1', 0, 0, 0, 0, 'm', 'i', 'f', '1', 'a', 'v', 'i', 'f'
        };
        assertThat(ImageFormat.detect(mif1Avif)).isEqualTo(ImageFormat.AVIF);
        // An MP4 video is not an image.
        byte[] mp4 = Arrays.copyOf(new byte[] {0, 0, 0, 0x18, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm'}, 16);
        assertThat(ImageFormat.sniff(mp4)).isEmpty();
    }

    @Test
    void idsAreLowerCaseNames() {
        assertThat(Arrays.stream(ImageFormat.values()).map(ImageFormat::id))
                .containsExactly("jpeg", "png", "gif", "webp", "bmp", "tiff", "heic", "avif");
    }
}
