package io.koclip.search.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SidecarsTest {
    @TempDir
    Path dir;

    private Path image;

    @BeforeEach
    void image() throws IOException {
        image = dir.resolve("IMG_0012.jpg");
        Files.write(image, EmbeddedTextTest.fixture("windows-ko.jpg"));
    }

    private record Read(ImageText text, List<String> warnings) {}

    private Read read(TextLimits limits) {
        ImageText.Builder out = ImageText.builder();
        List<String> warnings = new ArrayList<>();
        Sidecars.read(image, limits, out, warnings);
        return new Read(out.build(), warnings);
    }

    private Read read() {
        return read(TextLimits.DEFAULT);
    }

    @Test
    void findsTextAndXmpSidecarsByNameWithAndWithoutExtension() throws IOException {
        Files.writeString(dir.resolve("IMG_0012.jpg.txt"), "a");
        Files.writeString(dir.resolve("IMG_0012.txt"), "b");
        Files.writeString(dir.resolve("IMG_0012.XMP"), "<x/>");
        Files.writeString(dir.resolve("IMG_0013.txt"), "another image's");
        Files.writeString(dir.resolve("IMG_0012.jpg.json"), "{}");
        assertThat(Sidecars.find(image))
                .extracting(p -> p.getFileName().toString())
                .containsExactly("IMG_0012.jpg.txt", "IMG_0012.txt", "IMG_0012.XMP");
    }

    @Test
    void utf8TextWithAndWithoutBom() throws IOException {
        Files.write(
                dir.resolve("IMG_0012.txt"),
                concat(
                        new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF},
                        "경복궁에서 찍은 사진\r\n\r\n둘째 줄".getBytes(StandardCharsets.UTF_8)));
        Files.writeString(dir.resolve("IMG_0012.jpg.txt"), "Gyeongbokgung, Seoul");
        Read r = read();
        assertThat(r.text().sidecar()).containsExactly("Gyeongbokgung, Seoul", "경복궁에서 찍은 사진\n둘째 줄");
        assertThat(r.warnings()).isEmpty();
    }

    @Test
    void cp949TextFromOldNotepadIsReadAsKoreanWithAWarning() throws IOException {
        Files.write(dir.resolve("IMG_0012.txt"), "엄마 생신 잔치".getBytes(Charset.forName("x-windows-949")));
        Read r = read();
        assertThat(r.text().sidecar()).containsExactly("엄마 생신 잔치");
        assertThat(r.warnings()).containsExactly("sidecar IMG_0012.txt: not valid UTF-8; read as CP949 (EUC-KR)");
    }

    @Test
    void utf16WithBomAsNotepadSavesUnicode() throws IOException {
        Files.write(
                dir.resolve("IMG_0012.txt"),
                concat(new byte[] {(byte) 0xFF, (byte) 0xFE}, "남산 N서울타워".getBytes(StandardCharsets.UTF_16LE)));
        Read r = read();
        assertThat(r.text().sidecar()).containsExactly("남산 N서울타워");
        assertThat(r.warnings()).isEmpty();
    }

    @Test
    void binarySidecarIsSkippedWithTheReason() throws IOException {
        // A JPEG: SOI, APP1 marker and length, then the XMP namespace URI ends in a NUL at byte 34.
        Files.write(dir.resolve("IMG_0012.txt"), EmbeddedTextTest.fixture("xmp.jpg"));
        byte[] controls = new byte[400];
        Arrays.fill(controls, (byte) 'a');
        for (int i = 0; i < 400; i += 50) {
            controls[i] = 0x01;
        }
        Files.write(dir.resolve("IMG_0012.jpg.txt"), controls);
        Read r = read();
        assertThat(r.text().isEmpty()).isTrue();
        assertThat(r.warnings())
                .containsExactly(
                        "sidecar IMG_0012.jpg.txt: looks binary (8 control bytes in 400); skipped",
                        "sidecar IMG_0012.txt: looks binary (NUL byte at offset 34); skipped");
    }

    @Test
    void oversizedSidecarIsReadUpToTheCapWithoutBreakingAUtf8Sequence() throws IOException {
        // 3-byte syllables: a 100-byte cap falls inside the 34th syllable, which must not become U+FFFD.
        Files.writeString(dir.resolve("IMG_0012.txt"), "가".repeat(1000));
        Read r = read(new TextLimits(4096, 16384, 100, 1024));
        assertThat(r.text().sidecar()).containsExactly("가".repeat(33));
        assertThat(r.warnings())
                .containsExactly(
                        "sidecar IMG_0012.txt: 3000 bytes, over the cap of 100; only the first 100 bytes read");
    }

    @Test
    void darktableSidecarNamedWithTheImageExtension() throws IOException {
        Files.write(dir.resolve("IMG_0012.jpg.xmp"), resource("darktable.jpg.xmp"));
        Read r = read();
        assertThat(r.text().titles()).containsExactly("설악산 단풍");
        assertThat(r.text().descriptions()).containsExactly("울산바위가 보이는 가을 능선");
        assertThat(r.text().keywords()).containsExactly("단풍", "autumn", "설악산");
        assertThat(r.warnings()).isEmpty();
    }

    @Test
    void lightroomSidecarNamedWithoutTheExtension() throws IOException {
        Files.write(dir.resolve("IMG_0012.xmp"), resource("lightroom.xmp"));
        Read r = read();
        assertThat(r.text().titles()).containsExactly("Busan Tower at dusk");
        assertThat(r.text().keywords()).containsExactly("용두산공원", "부산타워");
    }

    @Test
    void brokenOrOversizedXmpIsAWarning() throws IOException {
        Files.writeString(dir.resolve("IMG_0012.xmp"), "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF");
        Files.write(dir.resolve("IMG_0012.jpg.xmp"), new byte[2048]);
        Read r = read(new TextLimits(4096, 16384, 1024, 1024));
        assertThat(r.text().isEmpty()).isTrue();
        assertThat(r.warnings()).hasSize(2);
        assertThat(r.warnings().get(0))
                .isEqualTo("sidecar IMG_0012.jpg.xmp: 2048 bytes, over the XMP cap of 1024; skipped");
        assertThat(r.warnings().get(1)).startsWith("sidecar IMG_0012.xmp: not readable XMP");
    }

    @Test
    void xmpWithAnExternalEntityDoesNotReadTheReferencedFile() throws IOException {
        Path secret = Files.writeString(dir.resolve("secret.txt"), "TOPSECRET");
        Files.writeString(
                dir.resolve("IMG_0012.xmp"),
                "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \""
                        + secret.toUri() + "\">]><x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF"
                        + " xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\"><rdf:Description rdf:about=\"\""
                        + " xmlns:photoshop=\"http://ns.adobe.com/photoshop/1.0/\" photoshop:Headline=\"&e;\"/>"
                        + "</rdf:RDF></x:xmpmeta>");
        Read r = read();
        assertThat(r.text().titles()).noneSatisfy(t -> assertThat(t).contains("TOPSECRET"));
    }

    @Test
    void symbolicLinkSidecarsAreNotFollowed() throws IOException {
        Path elsewhere = Files.writeString(dir.resolve("elsewhere.txt"), "not for the index");
        Files.createSymbolicLink(dir.resolve("IMG_0012.txt"), elsewhere);
        assertThat(Sidecars.find(image)).isEmpty();
    }

    static byte[] resource(String name) throws IOException {
        try (InputStream in = SidecarsTest.class.getResourceAsStream("/text/" + name)) {
            if (in == null) {
                throw new IllegalStateException("no resource " + name);
            }
            return in.readAllBytes();
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
