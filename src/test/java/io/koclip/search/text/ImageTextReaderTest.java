package io.koclip.search.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.koclip.search.eval.CaptionFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageTextReaderTest {
    @TempDir
    Path root;

    @Test
    void readsEverySourceIntoItsOwnComponent() throws IOException {
        Path folder = Files.createDirectories(root.resolve("2024-서울-나들이"));
        Path image = folder.resolve("IMG_0012.jpg");
        byte[] bytes = EmbeddedTextTest.fixture("windows-ko.jpg");
        Files.write(image, bytes);
        Files.writeString(folder.resolve("IMG_0012.txt"), "광화문 근처에서");
        Files.write(folder.resolve("IMG_0012.jpg.xmp"), SidecarsTest.resource("darktable.jpg.xmp"));
        Path captions = Files.writeString(root.resolve("captions.csv"), """
                image,caption
                2024-서울-나들이/IMG_0012.jpg,궁궐 앞의 가족
                2024-서울-나들이/IMG_0012.jpg,a family at the palace
                other.jpg,not this one
                """);
        ImageTextReader reader =
                new ImageTextReader(TextLimits.DEFAULT, CaptionLookup.read(captions, CaptionFormat.AUTO, root));

        ExtractedText read = reader.read("2024-서울-나들이/IMG_0012.jpg", image, bytes);

        ImageText text = read.text();
        assertThat(text.titles()).containsExactly("경복궁의 밤", "설악산 단풍");
        assertThat(text.keywords()).containsExactly("경복궁", "야경", "서울", "단풍", "autumn", "설악산");
        assertThat(text.descriptions()).contains("경복궁에서 찍은 사진", "울산바위가 보이는 가을 능선");
        assertThat(text.sidecar()).containsExactly("광화문 근처에서");
        assertThat(text.pathWords()).containsExactly("2024", "서울", "나들이");
        assertThat(text.captions()).containsExactly("궁궐 앞의 가족", "a family at the palace");
        assertThat(read.warnings()).isEmpty();

        assertThat(reader.embedded(bytes).text().titles()).containsExactly("경복궁의 밤");
        assertThat(reader.sidecars(image).text().sidecar()).containsExactly("광화문 근처에서");
        assertThat(ImageTextReader.sidecarFiles(image)).hasSize(2);
        assertThat(ImageTextReader.pathWords("2024-제주도-여행/IMG_0012.jpg")).containsExactly("2024", "제주도", "여행");
    }

    @Test
    void sourcesStampChangesWhenASidecarChangesOrAppears() throws IOException {
        Path image = Files.write(root.resolve("a.jpg"), EmbeddedTextTest.fixture("xmp.jpg"));
        ImageTextReader reader = ImageTextReader.withDefaults();
        String none = reader.sourcesStamp("a.jpg", image);
        assertThat(reader.sourcesStamp("a.jpg", image)).isEqualTo(none);

        Path sidecar = Files.writeString(root.resolve("a.txt"), "첫 메모");
        Files.setLastModifiedTime(sidecar, FileTime.fromMillis(1_700_000_000_000L));
        String one = reader.sourcesStamp("a.jpg", image);
        assertThat(one).isNotEqualTo(none).hasSize(32);

        Files.writeString(sidecar, "고친 메모");
        Files.setLastModifiedTime(sidecar, FileTime.fromMillis(1_700_000_000_000L));
        assertThat(reader.sourcesStamp("a.jpg", image)).as("size changed").isNotEqualTo(one);
    }

    @Test
    void sourcesStampFollowsTheCaptions() throws IOException {
        Path image = Files.write(root.resolve("a.jpg"), EmbeddedTextTest.fixture("xmp.jpg"));
        Path v1 = Files.writeString(root.resolve("v1.csv"), "a.jpg,바다\n");
        Path v2 = Files.writeString(root.resolve("v2.csv"), "a.jpg,노을 지는 바다\n");
        String s1 = new ImageTextReader(TextLimits.DEFAULT, CaptionLookup.read(v1, CaptionFormat.CSV, root))
                .sourcesStamp("a.jpg", image);
        String s2 = new ImageTextReader(TextLimits.DEFAULT, CaptionLookup.read(v2, CaptionFormat.CSV, root))
                .sourcesStamp("a.jpg", image);
        assertThat(s1).isNotEqualTo(s2);
    }

    @Test
    void captionLookupMapsRelativePathsAndReportsImagesOutsideTheSource() throws IOException {
        Path source = Files.createDirectories(root.resolve("source"));
        Path captions = Files.writeString(root.resolve("captions.jsonl"), """
                {"image": "sub/a.jpg", "caption": "빨간 우체통"}
                {"image": "../elsewhere.jpg", "caption": "outside"}
                {"image": "b.jpg", "caption": ""}
                """);
        CaptionLookup lookup = CaptionLookup.read(captions, CaptionFormat.AUTO, source);
        assertThat(lookup.captions("sub/a.jpg")).containsExactly("빨간 우체통");
        assertThat(lookup.captions("sub\\a.jpg")).containsExactly("빨간 우체통");
        assertThat(lookup.captions("elsewhere.jpg")).isEmpty();
        assertThat(lookup.images()).isEqualTo(1);
        assertThat(lookup.outside()).isEqualTo(1);
        assertThat(lookup.problems()).anySatisfy(p -> assertThat(p).contains("is outside the source"));
        assertThat(lookup.problems()).anySatisfy(p -> assertThat(p).contains("empty caption"));
    }

    @Test
    void aMissingCaptionsFileIsAnArgumentError() {
        assertThatThrownBy(() -> CaptionLookup.read(root.resolve("nope.csv"), CaptionFormat.AUTO, root))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nope.csv");
    }
}
