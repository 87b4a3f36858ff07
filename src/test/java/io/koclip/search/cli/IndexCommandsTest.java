package io.koclip.search.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.koclip.search.index.DocumentIds;
import io.koclip.search.index.ImageDocument;
import io.koclip.search.index.IndexOptions;
import io.koclip.search.index.LuceneIndexes;
import io.koclip.search.index.ModelIdentity;
import io.koclip.search.index.VectorIndex;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Polygon;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code ingest}, {@code search} and {@code check} through picocli, as a user runs them. */
class IndexCommandsTest {
    static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path tmp;

    record Run(int exit, String out, String err) {
        JsonNode json() {
            return JSON.readTree(out.lines()
                    .filter(l -> l.startsWith("{"))
                    .reduce((a, b) -> b)
                    .orElseThrow(() -> new AssertionError("no JSON on stdout: " + out + "\nstderr: " + err)));
        }
    }

    static Run run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream capturedOut = new ByteArrayOutputStream();
        ByteArrayOutputStream capturedErr = new ByteArrayOutputStream();
        int exit;
        try {
            System.setOut(new PrintStream(capturedOut, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(capturedErr, true, StandardCharsets.UTF_8));
            exit = RootCommand.commandLine(new RootCommand()).execute(args);
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        Run run = new Run(
                exit, capturedOut.toString(StandardCharsets.UTF_8), capturedErr.toString(StandardCharsets.UTF_8));
        System.out.println("$ " + String.join(" ", args) + "\n" + run.out() + run.err());
        return run;
    }

    static boolean demoBundlePresent() {
        return IndexCommandsTest.class.getResource("/models/demo/model.json") != null;
    }

    @Test
    void checkReportsACleanIndexWithItsDocumentCount() throws IOException {
        Path index = tmp.resolve("index");
        ModelIdentity model = new ModelIdentity("test", "abc", 2);
        try (VectorIndex writer = LuceneIndexes.open(index, IndexOptions.defaults(), model)) {
            for (int i = 0; i < 3; i++) {
                String path = "img-" + i + ".png";
                double angle = i;
                writer.upsert(new ImageDocument(
                        DocumentIds.forPath(path), path, "h" + i, 10, 10, 100, 1, "png", null, new float[] {
                            (float) Math.cos(angle), (float) Math.sin(angle)
                        }));
            }
        }
        Run run = run("check", "--index", index.toString());
        assertThat(run.exit()).isZero();
        JsonNode json = run.json();
        assertThat(json.get("clean").asBoolean()).isTrue();
        assertThat(json.get("documents").asLong()).isEqualTo(3);
        assertThat(json.get("model").asString()).isEqualTo("test");
        assertThat(json.get("vectors").asString()).isEqualTo("float32");

        corruptBiggestFile(index);
        Run broken = run("check", "--index", index.toString());
        assertThat(broken.exit()).isEqualTo(1);
        assertThat(broken.json().get("clean").asBoolean()).isFalse();
        assertThat(broken.json().get("problems")).isNotEmpty();
    }

    @Test
    void checkOfAMissingIndexFails() {
        Run run = run("check", "--index", tmp.resolve("none").toString());
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.json().get("clean").asBoolean()).isFalse();
        assertThat(run.json().get("documents").asLong()).isZero();
    }

    @Test
    void ingestOfAMissingSourceFailsWithAMessage() {
        Run run = run(
                "ingest",
                "--source",
                tmp.resolve("nope").toString(),
                "--index",
                tmp.resolve("i").toString());
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("is not a folder");
    }

    @Test
    void searchNeedsAQuery() {
        assertThat(run("search", "--index", tmp.toString()).exit()).isEqualTo(2);
        assertThat(run("search", "--index", tmp.toString(), "  ").exit()).isEqualTo(2);
    }

    /** The whole loop on the demo model: ingest shapes, search in Korean and English, re-run, check. */
    @Test
    void ingestThenSearchOnTheDemoModel() throws IOException {
        assumeTrue(demoBundlePresent(), "the demo bundle is not on the classpath yet");
        Path source = tmp.resolve("shapes");
        Random random = new Random(7);
        for (String colour : List.of("red", "blue", "green", "yellow")) {
            for (String shape : List.of("circle", "square", "triangle")) {
                for (int i = 0; i < 3; i++) {
                    write(
                            source.resolve(colour + "/" + colour + "-" + shape + "-" + i + ".png"),
                            shape(colour, shape, random));
                }
            }
        }
        Files.writeString(source.resolve("red/notes.jpg"), "not an image");
        Path index = tmp.resolve("index");
        Path report = tmp.resolve("report.json");

        Run ingest = run(
                "ingest",
                "--source",
                source.toString(),
                "--index",
                index.toString(),
                "--report",
                report.toString(),
                "--progress",
                "log");
        assertThat(ingest.exit()).isZero();
        JsonNode r = JSON.readTree(Files.readString(report));
        for (String field : List.of(
                "scanned",
                "indexed",
                "unchanged",
                "duplicates",
                "failed",
                "documents",
                "seconds",
                "imagesPerSecond",
                "timings",
                "failures")) {
            assertThat(r.has(field)).as(field).isTrue();
        }
        assertThat(r.get("scanned").asLong()).isEqualTo(37);
        assertThat(r.get("indexed").asLong()).isEqualTo(36);
        assertThat(r.get("failed").asLong()).isOne();
        assertThat(r.get("failures").get(0).get("path").asString()).isEqualTo("red/notes.jpg");
        assertThat(r.get("failures").get(0).get("reason").asString()).isNotBlank();
        assertThat(r.get("timings").get("encode").asDouble()).isPositive();

        Run search = run("search", "--index", index.toString(), "--k", "3", "빨간 원");
        assertThat(search.exit()).isZero();
        JsonNode hits = search.json().get("hits");
        assertThat(hits).hasSize(3);
        assertThat(hits.get(0).get("path").asString()).contains("red-circle");
        assertThat(search.json().get("model").asString()).isEqualTo("demo");

        Run english = run("search", "--index", index.toString(), "--k", "1", "a blue square");
        assertThat(english.json().get("hits").get(0).get("path").asString()).contains("blue-square");

        Run again = run(
                "ingest",
                "--source",
                source.toString(),
                "--index",
                index.toString(),
                "--report",
                "-",
                "--progress",
                "none");
        assertThat(again.exit()).isZero();
        assertThat(again.json().get("indexed").asLong()).isZero();
        assertThat(again.json().get("unchanged").asLong()).isEqualTo(36);

        Run check = run("check", "--index", index.toString());
        assertThat(check.exit()).isZero();
        assertThat(check.json().get("documents").asLong()).isEqualTo(36);
        assertThat(check.json().get("model").asString()).isEqualTo("demo");
    }

    @Test
    void searchWithAnotherModelIsRefusedWithAReindexMessage() throws IOException {
        assumeTrue(demoBundlePresent(), "the demo bundle is not on the classpath yet");
        Path index = tmp.resolve("index");
        try (VectorIndex writer =
                LuceneIndexes.open(index, IndexOptions.defaults(), new ModelIdentity("other", "123", 512))) {
            writer.commit(Map.of());
        }
        Run run = run("search", "--index", index.toString(), "빨간 원");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("'other'").contains("Reindex");
    }

    static BufferedImage shape(String colour, String shape, Random random) {
        Color fill = switch (colour) {
            case "red" -> new Color(220, 30, 30);
            case "blue" -> new Color(30, 60, 220);
            case "green" -> new Color(30, 170, 50);
            default -> new Color(240, 210, 30);
        };
        int size = 224;
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, size, size);
        g.setColor(fill);
        int s = 100 + random.nextInt(40);
        int x = 20 + random.nextInt(size - s - 40);
        int y = 20 + random.nextInt(size - s - 40);
        switch (shape) {
            case "circle" -> g.fillOval(x, y, s, s);
            case "square" -> g.fillRect(x, y, s, s);
            default -> g.fillPolygon(new Polygon(new int[] {x, x + s / 2, x + s}, new int[] {y + s, y, y + s}, 3));
        }
        g.setStroke(new BasicStroke(1));
        g.dispose();
        return image;
    }

    static void write(Path file, BufferedImage image) throws IOException {
        Files.createDirectories(file.getParent());
        ImageIO.write(image, "png", file.toFile());
    }

    static void corruptBiggestFile(Path index) throws IOException {
        Path biggest;
        try (Stream<Path> files = Files.list(index)) {
            biggest = files.filter(p -> !p.getFileName().toString().startsWith("segments"))
                    .filter(p -> !p.getFileName().toString().equals("write.lock"))
                    .max(Comparator.comparingLong(p -> p.toFile().length()))
                    .orElseThrow();
        }
        try (RandomAccessFile file = new RandomAccessFile(biggest.toFile(), "rw")) {
            long at = file.length() / 2;
            file.seek(at);
            int b = file.read();
            file.seek(at);
            file.write(b ^ 0xFF);
        }
    }
}
