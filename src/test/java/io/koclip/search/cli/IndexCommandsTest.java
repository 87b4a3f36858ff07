package io.koclip.search.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.koclip.search.index.DocumentIds;
import io.koclip.search.index.ImageDocument;
import io.koclip.search.index.IndexDamage;
import io.koclip.search.index.IndexOptions;
import io.koclip.search.index.IndexSpec;
import io.koclip.search.index.ModelIdentity;
import io.koclip.search.index.VectorIndex;
import io.koclip.search.index.lucene.LuceneBackend;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
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
            int start = out.indexOf('{');
            if (start < 0) {
                throw new AssertionError("no JSON on stdout: " + out + "\nstderr: " + err);
            }
            return JSON.readTree(out.substring(start));
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

    /** The model the demo tests use: the embedded demo, or a bundle folder given with -Dkoclip.test.model. */
    static final String MODEL = System.getProperty("koclip.test.model", "demo");

    /** The sample corpus: the repository's ingest/ folder, or another given with -Dkoclip.test.corpus. */
    static final Path CORPUS = Path.of(System.getProperty("koclip.test.corpus", "ingest"));

    static boolean demoBundlePresent() {
        return MODEL.equals("demo")
                ? IndexCommandsTest.class.getResource("/models/demo/model.json") != null
                : Files.isRegularFile(Path.of(MODEL, "model.json"));
    }

    @Test
    void checkReportsACleanIndexWithItsDocumentCount() throws IOException {
        Path index = tmp.resolve("index");
        ModelIdentity model = new ModelIdentity("test", "abc", 2);
        try (VectorIndex writer = new LuceneBackend(index).open(new IndexSpec(model, IndexOptions.defaults()))) {
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

        IndexDamage.corruptBiggestFile(index);
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
                "--model",
                MODEL,
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

    /** The whole loop on the demo model: ingest the sample corpus, search in Korean and English, re-run, check. */
    @Test
    void ingestThenSearchOnTheDemoModel() throws IOException {
        assumeTrue(demoBundlePresent(), "the demo bundle is not on the classpath yet");
        assumeTrue(Files.isDirectory(CORPUS), "the sample corpus " + CORPUS + " is not there yet");
        // A copy of the sample corpus (<colour>-<shape>-NNN images in subfolders) plus one bad file.
        Path source = tmp.resolve("corpus");
        long images;
        try (Stream<Path> files = Files.walk(CORPUS)) {
            List<Path> all = files.filter(Files::isRegularFile).toList();
            for (Path file : all) {
                Path copy = source.resolve(CORPUS.relativize(file).toString());
                Files.createDirectories(copy.getParent());
                Files.copy(file, copy);
            }
            images = all.size();
        }
        Files.createDirectories(source.resolve("red"));
        Files.writeString(source.resolve("red/notes.jpg"), "not an image");
        Path index = tmp.resolve("index");
        Path report = tmp.resolve("report.json");

        Run ingest = run(
                "ingest",
                "--model",
                MODEL,
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
        assertThat(r.get("scanned").asLong()).isEqualTo(images + 1);
        assertThat(r.get("indexed").asLong()).isEqualTo(images);
        assertThat(r.get("failed").asLong()).isOne();
        assertThat(r.get("failures").get(0).get("path").asString()).isEqualTo("red/notes.jpg");
        assertThat(r.get("failures").get(0).get("reason").asString()).isNotBlank();
        assertThat(r.get("timings").get("encode").asDouble()).isPositive();

        Run search = run("search", "--model", MODEL, "--index", index.toString(), "--k", "3", "빨간 원");
        assertThat(search.exit()).isZero();
        JsonNode hits = search.json().get("hits");
        assertThat(hits).hasSize(3);
        for (JsonNode hit : hits) {
            assertThat(hit.get("path").asString()).contains("red-circle");
        }
        String modelName = search.json().get("model").asString();
        assertThat(modelName).isNotBlank();

        Run english = run("search", "--model", MODEL, "--index", index.toString(), "--k", "1", "a blue square");
        assertThat(english.json().get("hits").get(0).get("path").asString()).contains("blue-square");
        JsonNode scores = english.json().get("hits").get(0).get("scores");
        assertThat(scores.get("vector").asDouble())
                .isEqualTo(english.json().get("hits").get(0).get("score").asDouble());
        assertThat(scores.get("lexical").isNull()).isTrue();
        assertThat(scores.get("fused").isNull()).isTrue();
        // no captions were ingested, but the path words are text: lexical mode finds the files named "blue"
        Run lexical = run("search", "--model", MODEL, "--index", index.toString(), "--mode", "lexical", "blue");
        assertThat(lexical.exit()).isZero();
        assertThat(lexical.json().get("hits")).isNotEmpty().allSatisfy(hit -> {
            assertThat(hit.get("path").asString()).contains("blue");
            assertThat(hit.get("snippet").get("html").asString()).contains("<mark>blue</mark>");
        });
        // a word no path or text has: nothing
        Run none = run("search", "--model", MODEL, "--index", index.toString(), "--mode", "lexical", "zebra");
        assertThat(none.exit()).isZero();
        assertThat(none.json().get("hits")).isEmpty();
        Run hybrid = run(
                "search",
                "--model",
                MODEL,
                "--index",
                index.toString(),
                "--mode",
                "hybrid",
                "--k",
                "1",
                "a blue square");
        assertThat(hybrid.json().get("hits").get(0).get("path").asString()).contains("blue-square");
        // first on the vector list and on the lexical list too (its path words say "blue square"): the RRF
        // score is 1/(60 + 1) plus 1/(60 + r) for its whole lexical rank r
        JsonNode fusedScores = hybrid.json().get("hits").get(0).get("scores");
        assertThat(fusedScores.get("lexical").isNull()).isFalse();
        double lexicalTerm = fusedScores.get("fused").asDouble() - 1.0 / 61;
        double lexicalRank = 1 / lexicalTerm - 60;
        assertThat(lexicalRank).isBetween(1.0, 100.0);
        assertThat(lexicalRank).isCloseTo(Math.rint(lexicalRank), org.assertj.core.api.Assertions.within(1e-3));
        assertThat(run("search", "--model", MODEL, "--index", index.toString(), "--mode", "fuzzy", "x")
                        .exit())
                .isEqualTo(2);

        Run again = run(
                "ingest",
                "--model",
                MODEL,
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
        assertThat(again.json().get("unchanged").asLong()).isEqualTo(images);

        Run check = run("check", "--index", index.toString());
        assertThat(check.exit()).isZero();
        assertThat(check.json().get("documents").asLong()).isEqualTo(images);
        assertThat(check.json().get("model").asString()).isEqualTo(modelName);
        assertThat(check.json().get("checkpoint").get("complete").asBoolean()).isTrue();
    }

    @Test
    void searchWithAnotherModelIsRefusedWithAReindexMessage() throws IOException {
        assumeTrue(demoBundlePresent(), "the demo bundle is not on the classpath yet");
        Path index = tmp.resolve("index");
        try (VectorIndex writer = new LuceneBackend(index)
                .open(new IndexSpec(new ModelIdentity("other", "123", 512), IndexOptions.defaults()))) {
            writer.commit(null);
        }
        Run run = run("search", "--model", MODEL, "--index", index.toString(), "빨간 원");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("'other'").contains("Reindex");
    }
}
