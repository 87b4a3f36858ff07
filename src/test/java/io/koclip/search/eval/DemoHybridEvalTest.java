package io.koclip.search.eval;

import static org.assertj.core.api.Assertions.assertThat;

import io.koclip.search.eval.DemoFixtureEvalTest.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The measured benefit of the search modes (docs/evaluation.md, "Search modes"): on the held-out
 * fixture, the first Korean and the first English caption of each image are indexed as its text
 * ({@code ingest --captions}) and the other 8 captions are the queries ({@code eval --through-index}
 * in vector, lexical and hybrid mode). Writes {@code target/hybrid-eval/indexed.json} and
 * {@code queries.json}, the inputs of the commands in the docs, and pins the table the docs quote.
 */
class DemoHybridEvalTest {
    static final Path OUT = Path.of("target/hybrid-eval");
    static final Pattern HANGUL = Pattern.compile("[\\uac00-\\ud7a3\\u1100-\\u11ff\\u3130-\\u318f]");

    /** Splits the fixture: the first caption per image and language indexed, the rest queries. */
    static void split(Path coco, Path indexed, Path queries) throws IOException {
        JsonMapper json = JsonMapper.builder().build();
        JsonNode doc = json.readTree(coco.toFile());
        Map<String, Integer> first = new HashMap<>();
        for (JsonNode a : doc.get("annotations")) {
            String lang = HANGUL.matcher(a.get("caption").asString()).find() ? "ko" : "en";
            first.putIfAbsent(
                    a.get("image_id").asInt() + "/" + lang, a.get("id").asInt());
        }
        Set<Integer> indexedIds = new HashSet<>(first.values());
        for (boolean wantIndexed : List.of(true, false)) {
            ObjectNode out = json.createObjectNode();
            out.set("images", doc.get("images"));
            ArrayNode annotations = out.putArray("annotations");
            for (JsonNode a : doc.get("annotations")) {
                if (indexedIds.contains(a.get("id").asInt()) == wantIndexed) {
                    annotations.add(a);
                }
            }
            Files.writeString(wantIndexed ? indexed : queries, json.writeValueAsString(out));
        }
    }

    @Test
    void vectorLexicalAndHybridThroughTheIndexWithOneIndexedCaptionPerLanguage() throws IOException {
        Files.createDirectories(OUT);
        Path indexed = OUT.resolve("indexed.json");
        Path queries = OUT.resolve("queries.json");
        split(DemoFixtureEvalTest.CAPTIONS, indexed, queries);
        Path index = Files.createTempDirectory(OUT, "index-");

        Run ingest = DemoFixtureEvalTest.run(
                "ingest",
                "--model",
                "demo",
                "--source",
                DemoFixtureEvalTest.FIXTURE.toString(),
                "--index",
                index.toString(),
                "--captions",
                indexed.toString(),
                "--progress",
                "none");
        assertThat(ingest.exit()).as(ingest.err()).isZero();
        assertThat(ingest.err()).contains("captions of 100 images");

        Run eval = DemoFixtureEvalTest.run(
                "eval",
                "--captions",
                queries.toString(),
                "--images",
                DemoFixtureEvalTest.FIXTURE.toString(),
                "--through-index",
                index.toString(),
                "--mode",
                "vector",
                "--mode",
                "lexical",
                "--mode",
                "hybrid",
                "--progress",
                "none");
        assertThat(eval.exit()).as(eval.err()).isZero();
        Map<String, JsonNode> rows = new HashMap<>();
        eval.lines()
                .forEach(l -> rows.put(
                        l.get("target").asString() + " " + l.get("lang").asString(), l));
        assertThat(rows).hasSize(8);

        // Recall@1/5/10 as counts of the 400 query captions per language (the docs/evaluation.md table).
        assertRecalls(rows.get("exact ko"), 74, 341, 400);
        assertRecalls(rows.get("exact en"), 75, 345, 400);
        // The index path with ANN gives the exact figures on 100 documents.
        assertRecalls(rows.get("index:vector ko"), 74, 341, 400);
        assertRecalls(rows.get("index:vector en"), 75, 345, 400);
        assertRecalls(rows.get("index:lexical ko"), 13, 77, 143);
        assertRecalls(rows.get("index:lexical en"), 2, 33, 114);
        assertRecalls(rows.get("index:hybrid ko"), 49, 222, 298);
        assertRecalls(rows.get("index:hybrid en"), 37, 250, 392);
        // Measured, not hoped for: on this fixture hybrid is below vector, so vector stays the default.
        for (String lang : List.of("ko", "en")) {
            assertThat(recall(rows.get("index:hybrid " + lang), 10))
                    .isLessThan(recall(rows.get("index:vector " + lang), 10));
        }
        assertThat(rows.get("index:hybrid ko").get("imageToText").isNull()).isTrue();

        // A bare --through-index searches the index the index options name (here --index; --backend solr
        // --solr URL --collection NAME likewise): the same figures.
        Run viaOptions = DemoFixtureEvalTest.run(
                "eval",
                "--captions",
                queries.toString(),
                "--images",
                DemoFixtureEvalTest.FIXTURE.toString(),
                "--through-index",
                "--index",
                index.toString(),
                "--mode",
                "vector",
                "--progress",
                "none");
        assertThat(viaOptions.exit()).as(viaOptions.err()).isZero();
        Map<String, JsonNode> optionRows = new HashMap<>();
        viaOptions
                .lines()
                .forEach(l -> optionRows.put(
                        l.get("target").asString() + " " + l.get("lang").asString(), l));
        assertRecalls(optionRows.get("index:vector ko"), 74, 341, 400);
        assertRecalls(optionRows.get("index:vector en"), 75, 345, 400);
        // a folder and a backend at once is ambiguous
        Run both = DemoFixtureEvalTest.run(
                "eval",
                "--captions",
                queries.toString(),
                "--images",
                DemoFixtureEvalTest.FIXTURE.toString(),
                "--through-index",
                index.toString(),
                "--backend",
                "solr",
                "--progress",
                "none");
        assertThat(both.exit()).isNotZero();
        assertThat(both.err()).contains("names a Lucene folder");
    }

    private static double recall(JsonNode row, int k) {
        return row.get("textToImage").get("recall@" + k).asDouble();
    }

    private static void assertRecalls(JsonNode row, int at1, int at5, int at10) {
        assertThat(row.get("captions").asInt()).isEqualTo(400);
        assertThat(row.get("images").asInt()).isEqualTo(100);
        assertThat(new double[] {recall(row, 1), recall(row, 5), recall(row, 10)})
                .as(row.toString())
                .containsExactly(at1 / 400.0, at5 / 400.0, at10 / 400.0);
    }
}
