package io.koclip.search.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteOrder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Fixtures are written by src/test/resources/text/make_fixtures.py (segments built byte by byte). */
class EmbeddedTextTest {
    static byte[] fixture(String name) throws IOException {
        try (InputStream in = EmbeddedTextTest.class.getResourceAsStream("/text/" + name)) {
            if (in == null) {
                throw new IllegalStateException("no fixture " + name);
            }
            return in.readAllBytes();
        }
    }

    private record Read(ImageText text, List<String> warnings) {}

    private static Read read(String name) throws IOException {
        ImageText.Builder out = ImageText.builder();
        List<String> warnings = new ArrayList<>();
        EmbeddedText.read(fixture(name), out, warnings);
        return new Read(out.build(), warnings);
    }

    @Test
    void windowsExplorerFieldsAndAUnicodeUserCommentAreRead() throws IOException {
        Read r = read("windows-ko.jpg");
        assertThat(r.text().titles()).containsExactly("경복궁의 밤");
        assertThat(r.text().descriptions())
                .containsExactly("Gyeongbokgung at night", "엄마 생신 저녁", "서울 여행", "경복궁에서 찍은 사진");
        // XPKeywords is split on ';' and its NUL padding leaves no empty or NUL-carrying keyword.
        assertThat(r.text().keywords()).containsExactly("경복궁", "야경", "서울");
        assertThat(r.text().keywords()).allSatisfy(k -> assertThat(k).doesNotContain("\u0000"));
        assertThat(r.warnings()).isEmpty();
    }

    @Test
    void bigEndianUnicodeUserCommentWithoutBomIsReadInTheRightOrderAndBoilerplateIsDropped() throws IOException {
        Read r = read("usercomment-be.jpg");
        assertThat(EmbeddedText.tiffByteOrder(fixture("usercomment-be.jpg"))).isEqualTo(ByteOrder.BIG_ENDIAN);
        assertThat(r.text().descriptions()).containsExactly("남산타워 N Seoul Tower");
        assertThat(r.warnings()).isEmpty();
    }

    @Test
    void cp949ImageDescriptionIsDecodedAsKoreanWithAWarning() throws IOException {
        Read r = read("cp949-description.jpg");
        assertThat(r.text().descriptions()).containsExactly("제주도 성산일출봉");
        assertThat(r.warnings()).containsExactly("EXIF ImageDescription: not valid UTF-8; read as CP949 (EUC-KR)");
    }

    @Test
    void iptcDeclaredUtf8GivesTitlesCaptionAndKeywords() throws IOException {
        Read r = read("iptc-utf8.jpg");
        assertThat(r.text().titles()).containsExactly("Hallasan", "한라산 등반");
        assertThat(r.text().descriptions()).containsExactly("백록담까지 올라간 날");
        assertThat(r.text().keywords()).containsExactly("한라산", "등산", "hiking");
        assertThat(r.warnings()).isEmpty();
    }

    @Test
    void iptcWithoutCharacterSetInCp949IsDecodedAsKorean() throws IOException {
        Read r = read("iptc-cp949.jpg");
        assertThat(r.text().descriptions()).containsExactly("부산 광안대교 야경");
        assertThat(r.text().keywords()).containsExactly("광안리");
        assertThat(r.warnings()).hasSize(2).allSatisfy(w -> assertThat(w).contains("read as CP949"));
    }

    @Test
    void xmpTakesDefaultAndKoreanAlternativesOrElseTheFirstAndTheHierarchyLeaf() throws IOException {
        Read r = read("xmp.jpg");
        assertThat(r.text().titles()).containsExactly("Haeundae Beach", "해운대 해수욕장");
        assertThat(r.text().descriptions()).containsExactly("Sunset over the sea");
        assertThat(r.text().keywords()).containsExactly("해변", "beach", "부산", "해운대");
        assertThat(r.warnings()).isEmpty();
    }

    @Test
    void damagedExifSegmentIsAWarningAndTheOtherSegmentsStillCount() throws IOException {
        Read r = read("corrupt-exif.jpg");
        assertThat(r.text().titles()).containsExactly("살아남은 제목");
        assertThat(r.warnings()).isNotEmpty().anySatisfy(w -> assertThat(w).startsWith("damaged metadata (Exif"));
    }

    @Test
    void pngTextChunksGiveTitleAndDescription() throws IOException {
        Read r = read("text-chunks.png");
        assertThat(r.text().titles()).containsExactly("남해 다랭이마을");
        assertThat(r.text().descriptions()).containsExactly("Rice terraces by the sea");
    }

    @Test
    void bytesThatAreNoImageOrATruncatedJpegGiveNoTextAndNeverThrow() throws IOException {
        ImageText.Builder out = ImageText.builder();
        List<String> warnings = new ArrayList<>();
        EmbeddedText.read("just some text".getBytes(StandardCharsets.UTF_8), out, warnings);
        assertThat(out.isEmpty()).isTrue();
        assertThat(warnings).isEmpty();

        byte[] jpeg = fixture("windows-ko.jpg");
        for (int cut : new int[] {3, 10, 40, 120, 300}) {
            EmbeddedText.read(Arrays.copyOf(jpeg, cut), ImageText.builder(), new ArrayList<>());
        }
        byte[] scrambled = jpeg.clone();
        for (int i = 30; i < scrambled.length; i += 7) {
            scrambled[i] ^= 0x5A;
        }
        List<String> scrambledWarnings = new ArrayList<>();
        EmbeddedText.read(scrambled, ImageText.builder(), scrambledWarnings);
        assertThat(scrambledWarnings).allSatisfy(w -> assertThat(w).isNotBlank());
    }

    @Test
    void userCommentCharacterCodes() {
        byte[] ascii =
                concat("ASCII\0\0\0".getBytes(StandardCharsets.US_ASCII), "Seoul".getBytes(StandardCharsets.US_ASCII));
        assertThat(UserComment.decode(ascii, null).text()).isEqualTo("Seoul");
        // Korean tools write UTF-8 under the ASCII code.
        byte[] utf8 = concat("ASCII\0\0\0".getBytes(StandardCharsets.US_ASCII), "남산".getBytes(StandardCharsets.UTF_8));
        assertThat(UserComment.decode(utf8, null).text()).isEqualTo("남산");
        byte[] undefined = concat(new byte[8], "인사동".getBytes(Charset.forName("x-windows-949")));
        assertThat(UserComment.decode(undefined, null).text()).isEqualTo("인사동");
        byte[] jis = concat(
                "JIS\0\0\0\0\0".getBytes(StandardCharsets.US_ASCII), "東京".getBytes(Charset.forName("Shift_JIS")));
        assertThat(UserComment.decode(jis, null).text()).isEqualTo("東京");
        byte[] bom = concat(
                "UNICODE\0".getBytes(StandardCharsets.US_ASCII),
                new byte[] {(byte) 0xFE, (byte) 0xFF},
                "한강".getBytes(StandardCharsets.UTF_16BE));
        assertThat(UserComment.decode(bom, ByteOrder.LITTLE_ENDIAN).text()).isEqualTo("한강");
        // All Hangul, no BOM: both orders give syllables, so the TIFF header's order decides.
        byte[] hangulBe =
                concat("UNICODE\0".getBytes(StandardCharsets.US_ASCII), "한강".getBytes(StandardCharsets.UTF_16BE));
        assertThat(UserComment.decode(hangulBe, ByteOrder.BIG_ENDIAN).text()).isEqualTo("한강");
        byte[] hangulLe =
                concat("UNICODE\0".getBytes(StandardCharsets.US_ASCII), "한강".getBytes(StandardCharsets.UTF_16LE));
        assertThat(UserComment.decode(hangulLe, null).text()).isEqualTo("한강");
        // With a space, the plausible order wins against a contradicting TIFF header.
        byte[] spacedLe =
                concat("UNICODE\0".getBytes(StandardCharsets.US_ASCII), "한강 공원".getBytes(StandardCharsets.UTF_16LE));
        assertThat(UserComment.decode(spacedLe, ByteOrder.BIG_ENDIAN).text()).isEqualTo("한강 공원");
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
