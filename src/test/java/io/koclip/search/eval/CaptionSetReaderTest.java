package io.koclip.search.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CaptionSetReaderTest {
    @TempDir
    Path dir;

    private Path write(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return file;
    }

    private static List<String> texts(CaptionSet set) {
        return set.captions().stream().map(Caption::text).toList();
    }

    private static List<String> langs(CaptionSet set) {
        return set.captions().stream().map(Caption::lang).toList();
    }

    @Test
    void cocoCaptionsResolveAgainstTheImagesFolderAndDetectTheLanguage() throws IOException {
        Path file = write("captions.json", """
                {"info": {}, "images": [{"id": 7, "file_name": "a.jpg"}, {"id": 9, "file_name": "sub/b.jpg"}],
                 "annotations": [
                   {"id": 1, "image_id": 9, "caption": "  빨간 원  "},
                   {"id": 2, "image_id": 7, "caption": "a blue square"},
                   {"id": 3, "image_id": 9, "caption": "red circle", "lang": "EN"}]}
                """);
        Path images = Files.createDirectories(dir.resolve("pictures"));
        CaptionSet set = CaptionSetReader.read(file, CaptionFormat.AUTO, images);
        assertThat(set.images()).extracting(EvalImage::key).containsExactly("7", "9");
        assertThat(set.images().get(1).file()).isEqualTo(images.resolve("sub/b.jpg"));
        assertThat(texts(set)).containsExactly("빨간 원", "a blue square", "red circle");
        assertThat(langs(set)).containsExactly("ko", "en", "en");
        assertThat(set.captions()).extracting(Caption::image).containsExactly(1, 0, 1);
        assertThat(set.problems()).isEmpty();
        assertThat(set.languages()).containsExactly("en", "ko");
    }

    @Test
    void badCocoRowsAreReportedOneByOneAndTheRestIsRead() throws IOException {
        Path file = write("bad.json", """
                {"images": [{"id": 1, "file_name": "a.jpg"}, {"id": 2, "file_name": 5}, {"id": 3, "file_name": "c.jpg"},
                            "oops", {"id": 1, "file_name": "again.jpg"}, {"id": 4.5, "file_name": "d.jpg"}],
                 "annotations": [
                   {"image_id": 1, "caption": "a red circle"},
                   {"image_id": 999, "caption": "unknown image"},
                   {"image_id": 1, "caption": "   "},
                   {"image_id": 1, "caption": 42},
                   {"image_id": 1},
                   {"image_id": "1", "caption": "string id works"},
                   {"image_id": 1, "caption": "x", "lang": 3},
                   17]}
                """);
        CaptionSet set = CaptionSetReader.read(file, CaptionFormat.COCO, null);
        assertThat(texts(set)).containsExactly("a red circle", "string id works");
        assertThat(set.images()).extracting(EvalImage::key).containsExactly("1");
        assertThat(set.problems())
                .containsExactly(
                        "bad.json: images[1]: 'file_name' is a number (5), expected a string; row left out",
                        "bad.json: images[3]: is a string (\"oops\"), expected an object; row left out",
                        "bad.json: images[4]: id 1 appears twice; row left out",
                        "bad.json: images[5]: 'id' is a number (4.5), expected an integer or a string; row left out",
                        "bad.json: annotations[1]: image_id 999 is not in 'images'; row left out",
                        "bad.json: annotations[2]: empty caption; row left out",
                        "bad.json: annotations[3]: 'caption' is a number (42), expected a string; row left out",
                        "bad.json: annotations[4]: no 'caption'; row left out",
                        "bad.json: annotations[6]: 'lang' is a number (3), expected a string such as \"ko\"; row left out",
                        "bad.json: annotations[7]: is a number (17), expected an object; row left out",
                        "bad.json: image 3 has no usable caption; left out");
    }

    @Test
    void aihubListGivesEnglishAndKoreanCaptionsPerImage() throws IOException {
        Path file = write("MSCOCO_train_val_Korean.json", """
                [{"file_path": "val2014/COCO_val2014_000000000042.jpg", "id": 42,
                  "captions": ["A man riding a horse.", "A horse and rider."],
                  "caption_ko": ["말을 탄 남자.", "말과 기수."]},
                 {"file_path": "val2014/COCO_val2014_000000000073.jpg", "captions": ["A dog."], "caption_ko": "개"},
                 {"captions": ["no path"]},
                 {"file_path": "val2014/x.jpg", "captions": [null, "A cat."]}]
                """);
        CaptionSet set = CaptionSetReader.read(file, CaptionFormat.AUTO, dir);
        assertThat(set.images())
                .extracting(EvalImage::key)
                .containsExactly(
                        "val2014/COCO_val2014_000000000042.jpg",
                        "val2014/COCO_val2014_000000000073.jpg",
                        "val2014/x.jpg");
        assertThat(texts(set))
                .containsExactly(
                        "A man riding a horse.", "A horse and rider.", "말을 탄 남자.", "말과 기수.", "A dog.", "A cat.");
        assertThat(langs(set)).containsExactly("en", "en", "ko", "ko", "en", "en");
        assertThat(set.problems())
                .containsExactly(
                        "MSCOCO_train_val_Korean.json: [1].caption_ko: is a string (\"개\"), expected an array of strings; row left out",
                        "MSCOCO_train_val_Korean.json: [2]: no 'file_path'; row left out",
                        "MSCOCO_train_val_Korean.json: [3].captions[0]: is a null (null), expected a string; row left out");
    }

    @Test
    void xtdReadsEveryLanguageFromTheNamesFileOrOneFromACaptionFile() throws IOException {
        Path names = write(
                "xtd/test_image_names.txt", "COCO_train2014_1.jpg\nCOCO_train2014_2.jpg\n\nCOCO_train2014_4.jpg\n");
        write("xtd/test_1kcaptions_ko.txt", "\uFEFF빨간 원\n파란 네모\n무시됨\n\n");
        write("xtd/test_1kcaptions_en.txt", "a red circle\na blue square\nignored\na square\nextra line\n");
        CaptionSet all = CaptionSetReader.read(names, CaptionFormat.AUTO, dir);
        assertThat(all.images())
                .extracting(EvalImage::key)
                .containsExactly("COCO_train2014_1.jpg", "COCO_train2014_2.jpg", "COCO_train2014_4.jpg");
        assertThat(texts(all)).containsExactly("a red circle", "a blue square", "a square", "빨간 원", "파란 네모");
        assertThat(langs(all)).containsExactly("en", "en", "en", "ko", "ko");
        assertThat(all.problems())
                .containsExactly(
                        "test_image_names.txt: line 3: empty image name; row left out",
                        "test_1kcaptions_en.txt: 5 caption lines for 4 image names; only aligned lines are used",
                        "test_1kcaptions_ko.txt: line 4: empty caption; row left out");

        CaptionSet korean = CaptionSetReader.read(dir.resolve("xtd/test_1kcaptions_ko.txt"), CaptionFormat.XTD, dir);
        assertThat(texts(korean)).containsExactly("빨간 원", "파란 네모");
        assertThat(korean.languages()).containsExactly("ko");
    }

    @Test
    void csvWithHeaderQuotesAndLanguageColumn() throws IOException {
        Path file = write("captions.csv", """
                image,caption,lang
                a.jpg,"a red, round circle",en
                a.jpg,"he said ""hi""
                on two lines"
                b.jpg,빨간 원
                ,missing image
                c.jpg
                d.jpg,x,en,extra

                b.jpg,   ,ko
                """);
        CaptionSet set = CaptionSetReader.read(file, CaptionFormat.AUTO, dir);
        assertThat(texts(set)).containsExactly("a red, round circle", "he said \"hi\"\non two lines", "빨간 원");
        assertThat(langs(set)).containsExactly("en", "en", "ko");
        assertThat(set.images()).extracting(EvalImage::key).containsExactly("a.jpg", "b.jpg");
        assertThat(set.problems())
                .containsExactly(
                        "captions.csv: line 6: empty image; row left out",
                        "captions.csv: line 7: 1 fields, expected image,caption[,lang]; row left out",
                        "captions.csv: line 8: 4 fields, expected image,caption[,lang]; row left out",
                        "captions.csv: line 10: empty caption; row left out");
    }

    @Test
    void jsonLines() throws IOException {
        Path file = write("captions.jsonl", """
                {"image": "a.jpg", "caption": "a red circle"}
                {"image": "a.jpg", "caption": "빨간 원", "lang": "ko"}

                {"image": "b.jpg", "caption": ["not", "a string"]}
                not json
                {"caption": "no image"}
                {"image": "b.jpg", "caption": "파란 네모"}
                """);
        assertThat(CaptionFormat.detect(file)).isEqualTo(CaptionFormat.JSONL);
        CaptionSet set = CaptionSetReader.read(file, CaptionFormat.AUTO, dir);
        assertThat(texts(set)).containsExactly("a red circle", "빨간 원", "파란 네모");
        assertThat(langs(set)).containsExactly("en", "ko", "ko");
        assertThat(set.problems()).hasSize(3);
        assertThat(set.problems().get(0))
                .isEqualTo(
                        "captions.jsonl: line 4: 'caption' is a array ([\"not\",\"a string\"]), expected a string; row left out");
        assertThat(set.problems().get(1)).startsWith("captions.jsonl: line 5: not valid JSON");
        assertThat(set.problems().get(2)).isEqualTo("captions.jsonl: line 6: no 'image'; row left out");
    }

    @Test
    void autoDetectionByNameAndFirstCharacter() throws IOException {
        assertThat(CaptionFormat.detect(write("x.json", "\uFEFF  {\"images\": [], \"annotations\": []}")))
                .isEqualTo(CaptionFormat.COCO);
        assertThat(CaptionFormat.detect(write("y.json", "{\n \"images\": [],\n \"annotations\": []\n}")))
                .isEqualTo(CaptionFormat.COCO);
        assertThat(CaptionFormat.detect(write("z.json", "[{\"file_path\": \"a.jpg\"}]")))
                .isEqualTo(CaptionFormat.AIHUB);
        assertThat(CaptionFormat.detect(write("w.json", "{\"image\": \"a.jpg\", \"caption\": \"c\"}\n")))
                .isEqualTo(CaptionFormat.JSONL);
        assertThat(CaptionFormat.detect(write("v.csv", "image,caption\n"))).isEqualTo(CaptionFormat.CSV);
        assertThat(CaptionFormat.detect(write("u.txt", "a.jpg\n"))).isEqualTo(CaptionFormat.XTD);
        assertThatThrownBy(() -> CaptionFormat.detect(write("t.dat", "hello")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("give --format");
    }

    @Test
    void aFileOfTheWrongShapeIsOneClearError() throws IOException {
        Path file = write("list.json", "[1, 2]");
        assertThatThrownBy(() -> CaptionSetReader.read(file, CaptionFormat.COCO, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a COCO captions file");
        assertThatThrownBy(() -> CaptionSetReader.read(dir.resolve("nothing.json"), CaptionFormat.AUTO, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not a file");
    }

    @Test
    void languageSubsetKeepsImagesInSetOrder() throws IOException {
        Path file = write("mixed.csv", "b.jpg,파란 네모\na.jpg,a red circle\nc.jpg,빨간 원\na.jpg,빨간 동그라미\n");
        CaptionSet set = CaptionSetReader.read(file, CaptionFormat.CSV, dir);
        LanguageSubset korean = set.language("ko");
        assertThat(korean.images()).containsExactly(0, 1, 2); // b, a, c in file order
        assertThat(korean.captions()).extracting(Caption::text).containsExactly("파란 네모", "빨간 원", "빨간 동그라미");
        assertThat(korean.captionImages()).containsExactly(0, 2, 1);
        LanguageSubset english = set.language("en");
        assertThat(english.images()).containsExactly(1);
        assertThat(english.captionImages()).containsExactly(0);
        assertThat(set.limit(2).images()).extracting(EvalImage::key).containsExactly("b.jpg", "a.jpg");
        assertThat(set.limit(2).captions()).hasSize(3);
    }
}
