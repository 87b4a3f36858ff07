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
 * in vector, lexical and hybrid mode); once as they are (the plain fixture), once with a place name per
 * image in the indexed captions and the queries (the places fixture, {@link #splitWithPlaces}). Writes
 * {@code target/hybrid-eval/indexed.json}, {@code queries.json}, {@code places-indexed.json} and
 * {@code places-queries.json}, the inputs of the commands in the docs, and pins the tables the docs quote.
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

    /**
     * The places fixture: the same images and captions, each image also given one of {@link #PLACES}
     * (image id × 7 mod 25, so the 4 images of a place show different shapes and colours), written into
     * its indexed captions and, in another form with other particles, into every query caption, as
     * people write where a picture was taken. The demo model knows colours and shapes, not places
     * (the place words are unknown tokens to its vocabulary): only the text can tell apart the 5 or 6
     * images of one colour and shape.
     */
    static void splitWithPlaces(Path coco, Path indexed, Path queries) throws IOException {
        Path plain = OUT.resolve("plain-split.tmp.json");
        Path plainQueries = OUT.resolve("plain-queries.tmp.json");
        split(coco, plain, plainQueries);
        JsonMapper json = JsonMapper.builder().build();
        for (boolean isIndexed : List.of(true, false)) {
            ObjectNode doc = (ObjectNode) json.readTree((isIndexed ? plain : plainQueries).toFile());
            Map<Integer, Integer> seen = new HashMap<>();
            for (JsonNode a : doc.get("annotations")) {
                int image = a.get("image_id").asInt();
                String[] place = PLACES[(image * 7) % PLACES.length];
                String caption = a.get("caption").asString();
                boolean korean = HANGUL.matcher(caption).find();
                int form = isIndexed ? 0 : 1 + seen.merge(image * 2 + (korean ? 1 : 0), 1, Integer::sum) % 3;
                ((ObjectNode) a).put("caption", withPlace(caption, korean ? place[0] : place[1], korean, form));
            }
            Files.writeString(isIndexed ? indexed : queries, json.writeValueAsString(doc));
        }
        Files.delete(plain);
        Files.delete(plainQueries);
    }

    /** Korean name, English name. */
    static final String[][] PLACES = {
        {"경복궁", "Gyeongbokgung"},
        {"해운대", "Haeundae"},
        {"제주도", "Jeju"},
        {"북촌", "Bukchon"},
        {"광안리", "Gwangalli"},
        {"설악산", "Seoraksan"},
        {"전주", "Jeonju"},
        {"경주", "Gyeongju"},
        {"인사동", "Insadong"},
        {"명동", "Myeongdong"},
        {"속초", "Sokcho"},
        {"강릉", "Gangneung"},
        {"여수", "Yeosu"},
        {"안동", "Andong"},
        {"남이섬", "Nami Island"},
        {"한라산", "Hallasan"},
        {"부산", "Busan"},
        {"인천", "Incheon"},
        {"춘천", "Chuncheon"},
        {"담양", "Damyang"},
        {"통영", "Tongyeong"},
        {"순천", "Suncheon"},
        {"대구", "Daegu"},
        {"광주", "Gwangju"},
        {"목포", "Mokpo"}
    };

    /** Form 0 is the indexed caption's; queries use forms 1-3 (other particles, other word order). */
    static String withPlace(String caption, String place, boolean korean, int form) {
        if (korean) {
            return switch (form) {
                case 0 -> caption + " " + place + "에서 찍은 사진";
                case 1 -> place + "의 " + caption;
                case 2 -> place + "에서 본 " + caption;
                default -> caption + " (" + place + " 여행)";
            };
        }
        return switch (form) {
            case 0 -> caption + ", taken in " + place;
            case 1 -> caption + " in " + place;
            case 2 -> place + ": " + caption;
            default -> caption + " on a trip to " + place;
        };
    }

    @Test
    void withPlaceNamesInTheTextHybridBeatsVectorAndLexical() throws IOException {
        Files.createDirectories(OUT);
        Path indexed = OUT.resolve("places-indexed.json");
        Path queries = OUT.resolve("places-queries.json");
        splitWithPlaces(DemoFixtureEvalTest.CAPTIONS, indexed, queries);
        Map<String, JsonNode> rows = ingestAndEvaluate(indexed, queries);
        rows.forEach((k, v) -> System.out.println("places " + k + " " + v.get("textToImage")));

        // Recall@1/5/10 as counts of the 400 query captions per language (docs/evaluation.md, "Search modes").
        assertRecalls(rows.get("index:vector ko"), 75, 341, 400);
        assertRecalls(rows.get("index:vector en"), 71, 344, 400);
        assertRecalls(rows.get("index:lexical ko"), 173, 301, 367);
        assertRecalls(rows.get("index:lexical en"), 140, 271, 370);
        assertRecalls(rows.get("index:hybrid ko"), 197, 389, 400);
        assertRecalls(rows.get("index:hybrid en"), 233, 398, 400);
        // Where the words carry what the model cannot see, hybrid is at least as good as either side at every k.
        for (String lang : List.of("ko", "en")) {
            for (int k : new int[] {1, 5, 10}) {
                double hybrid = recall(rows.get("index:hybrid " + lang), k);
                assertThat(hybrid)
                        .as(lang + " R@" + k)
                        .isGreaterThanOrEqualTo(recall(rows.get("index:vector " + lang), k));
                assertThat(hybrid)
                        .as(lang + " R@" + k)
                        .isGreaterThanOrEqualTo(recall(rows.get("index:lexical " + lang), k));
            }
        }
    }

    @Test
    void vectorLexicalAndHybridThroughTheIndexWithOneIndexedCaptionPerLanguage() throws IOException {
        Files.createDirectories(OUT);
        Path indexed = OUT.resolve("indexed.json");
        Path queries = OUT.resolve("queries.json");
        split(DemoFixtureEvalTest.CAPTIONS, indexed, queries);
        Path index = ingest(indexed);
        Map<String, JsonNode> rows = evaluate(index, queries);
        rows.forEach((k, v) -> System.out.println("plain " + k + " " + v.get("textToImage")));

        // Recall@1/5/10 as counts of the 400 query captions per language (the docs/evaluation.md table).
        assertRecalls(rows.get("exact ko"), 74, 341, 400);
        assertRecalls(rows.get("exact en"), 75, 345, 400);
        // The index path with ANN gives the exact figures on 100 documents.
        assertRecalls(rows.get("index:vector ko"), 74, 341, 400);
        assertRecalls(rows.get("index:vector en"), 75, 345, 400);
        // The indexed text is the captions and the path words (images, eval, 001, ...), BM25F over both.
        assertRecalls(rows.get("index:lexical ko"), 18, 92, 171);
        assertRecalls(rows.get("index:lexical en"), 4, 44, 126);
        assertRecalls(rows.get("index:hybrid ko"), 54, 227, 313);
        assertRecalls(rows.get("index:hybrid en"), 38, 264, 393);
        // Measured, not hoped for: where the words only restate what the model sees, hybrid is below
        // vector; this is why vector stays the default (docs/evaluation.md).
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

    /** {@code eval --through-index} in the three modes; rows by "target lang". */
    static Map<String, JsonNode> evaluate(Path index, Path queries) {
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
        return rows;
    }

    /** Ingests the fixture's images with {@code indexed} as captions, then {@link #evaluate}s {@code queries}. */
    static Map<String, JsonNode> ingestAndEvaluate(Path indexed, Path queries) throws IOException {
        return evaluate(ingest(indexed), queries);
    }

    /** A new index of the fixture's images with {@code indexed} as captions. */
    static Path ingest(Path indexed) throws IOException {
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
        return index;
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
