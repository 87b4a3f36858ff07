package io.koclip.search.eval;

import static org.assertj.core.api.Assertions.assertThat;

import io.koclip.search.cli.RootCommand;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code eval} end to end with the embedded demo bundle on the held-out fixture
 * ({@code src/test/resources/eval}, made by {@code src/tools/demo-model/make_eval.py}): the figures
 * docs/evaluation.md quotes, the reports, the cache, and bad rows.
 */
class DemoFixtureEvalTest {
    static final Path FIXTURE = Path.of("src/test/resources/eval");
    static final Path CAPTIONS = FIXTURE.resolve("captions.json");

    @TempDir
    Path dir;

    record Run(int exit, List<JsonNode> lines, String err) {}

    static Run run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        int exit;
        try {
            System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
            exit = RootCommand.commandLine(new RootCommand()).execute(args);
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        JsonMapper json = JsonMapper.builder().build();
        List<JsonNode> lines = stdout.toString(StandardCharsets.UTF_8)
                .lines()
                .filter(l -> l.startsWith("{"))
                .map(json::readTree)
                .toList();
        return new Run(exit, lines, stderr.toString(StandardCharsets.UTF_8));
    }

    private static Map<String, JsonNode> bySetting(List<JsonNode> lines) {
        return lines.stream()
                .collect(Collectors.toMap(
                        l -> (l.get("templates").asBoolean() ? "on " : "off ")
                                + l.get("lang").asString(),
                        l -> l));
    }

    /** Recall@1, @5, @10 as counts out of the denominator, and the median rank. */
    private static void assertFigures(
            JsonNode line, int captions, int[] textToImage, int images, int[] imageToText, double median) {
        assertThat(line.get("images").asInt()).isEqualTo(images);
        assertThat(line.get("captions").asInt()).isEqualTo(captions);
        int[] ks = {1, 5, 10};
        for (int i = 0; i < ks.length; i++) {
            assertThat(line.get("textToImage").get("recall@" + ks[i]).asDouble())
                    .as("%s text to image R@%d", line, ks[i])
                    .isEqualTo((double) textToImage[i] / captions);
            assertThat(line.get("imageToText").get("recall@" + ks[i]).asDouble())
                    .as("%s image to text R@%d", line, ks[i])
                    .isEqualTo((double) imageToText[i] / images);
        }
        assertThat(line.get("medianRank").asDouble()).isEqualTo(median);
    }

    @Test
    void demoBundleFiguresOnTheHeldOutFixtureAndTheReports() throws IOException {
        Path cache = dir.resolve("cache");
        Path html = dir.resolve("report.html");
        Path out = dir.resolve("report.json");
        Run first = run(
                "eval",
                "--captions",
                CAPTIONS.toString(),
                "--images",
                FIXTURE.toString(),
                "--templates",
                "both",
                "--progress",
                "none",
                "--cache",
                cache.toString(),
                "--html",
                html.toString(),
                "--out",
                out.toString());
        assertThat(first.exit()).as(first.err()).isZero();
        assertThat(first.lines()).hasSize(4);
        Map<String, JsonNode> figures = bySetting(first.lines());
        // The demo table of docs/evaluation.md: exact fractions of 500 captions and 100 images per language.
        assertFigures(figures.get("on en"), 500, new int[] {94, 432, 500}, 100, new int[] {17, 68, 94}, 3.0);
        assertFigures(figures.get("on ko"), 500, new int[] {92, 428, 500}, 100, new int[] {18, 67, 91}, 3.0);
        assertFigures(figures.get("off en"), 500, new int[] {89, 430, 500}, 100, new int[] {15, 68, 89}, 3.0);
        assertFigures(figures.get("off ko"), 500, new int[] {90, 430, 500}, 100, new int[] {18, 63, 91}, 3.0);
        JsonNode line = figures.get("on ko");
        assertThat(line.get("model").asString()).isEqualTo("demo");
        assertThat(line.get("variant").asString()).isEqualTo("default");
        assertThat(line.get("target").asString()).isEqualTo("exact");
        assertThat(line.get("imagesEncoded").asInt()).isEqualTo(100);
        assertThat(line.get("imagesCached").asInt()).isZero();
        assertThat(first.err()).contains("T→I R@1").contains("images/s").contains("captions/s");

        String page = Files.readString(html);
        assertThat(page).startsWith("<!DOCTYPE html>").contains("<svg").contains("R@10");
        // Self-contained: no script, stylesheet, image or font is fetched.
        assertThat(page).doesNotContain("<script").doesNotContain("src=").doesNotContain("<link");
        assertThat(page.replace("xmlns=\"http://www.w3.org/2000/svg\"", "")).doesNotContain("http");
        JsonNode doc = JsonMapper.builder().build().readTree(out.toFile());
        assertThat(doc.get("results")).hasSize(4);

        // Second run: every image vector from the cache, the same figures.
        Run second = run(
                "eval",
                "--captions",
                CAPTIONS.toString(),
                "--images",
                FIXTURE.toString(),
                "--templates",
                "off",
                "--lang",
                "ko",
                "--progress",
                "none",
                "--cache",
                cache.toString());
        assertThat(second.exit()).as(second.err()).isZero();
        assertThat(second.lines()).hasSize(1);
        JsonNode cached = second.lines().get(0);
        assertThat(cached.get("imagesCached").asInt()).isEqualTo(100);
        assertThat(cached.get("imagesEncoded").asInt()).isZero();
        assertThat(cached.get("textToImage")).isEqualTo(figures.get("off ko").get("textToImage"));
        assertThat(cached.get("imageToText")).isEqualTo(figures.get("off ko").get("imageToText"));
    }

    @Test
    void badRowsAndBrokenImagesAreReportedAndTheRestIsEvaluated() throws IOException {
        Path images = Files.createDirectories(dir.resolve("images"));
        for (String name : List.of("eval_001.jpg", "eval_002.jpg", "eval_003.jpg")) {
            Files.copy(FIXTURE.resolve("images").resolve(name), images.resolve(name));
        }
        Files.writeString(images.resolve("broken.jpg"), "not a jpeg at all");
        Path captions = dir.resolve("captions.json");
        Files.writeString(captions, """
                {"images": [{"id": 1, "file_name": "eval_001.jpg"}, {"id": 2, "file_name": "eval_002.jpg"},
                            {"id": 3, "file_name": "eval_003.jpg"}, {"id": 4, "file_name": "missing.jpg"},
                            {"id": 5, "file_name": "broken.jpg"}],
                 "annotations": [
                   {"image_id": 1, "caption": "초록색 삼각형 모양의 도형"},
                   {"image_id": 2, "caption": "이 사진에는 빨간 사각형이 있다."},
                   {"image_id": 3, "caption": "a picture of one red circle"},
                   {"image_id": 3, "caption": ""},
                   {"image_id": 77, "caption": "no such image"},
                   {"image_id": 2, "caption": ["wrong", "type"]},
                   {"image_id": 4, "caption": "a missing file"},
                   {"image_id": 5, "caption": "a broken file"}]}
                """);
        Run run = run("eval", "--captions", captions.toString(), "--images", images.toString(), "--progress", "none");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.err())
                .contains("captions.json: annotations[3]: empty caption; row left out")
                .contains("captions.json: annotations[4]: image_id 77 is not in 'images'; row left out")
                .contains("captions.json: annotations[5]: 'caption' is a array")
                .contains("image 4 (" + images.resolve("missing.jpg") + "): no such file; left out with its captions")
                .contains("image 5 (" + images.resolve("broken.jpg") + "):");
        Map<String, JsonNode> figures = bySetting(run.lines());
        assertThat(figures).containsOnlyKeys("on en", "on ko");
        assertThat(figures.get("on ko").get("images").asInt()).isEqualTo(2);
        assertThat(figures.get("on ko").get("captions").asInt()).isEqualTo(2);
        assertThat(figures.get("on en").get("images").asInt()).isEqualTo(1);
        assertThat(figures.get("on en").get("textToImage").get("recall@1").asDouble())
                .isEqualTo(1.0);
    }
}
