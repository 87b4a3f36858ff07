package io.koclip.search.index.lucene;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.apache.lucene.analysis.ko.KoreanTokenizer.DecompoundMode;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.Directory;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextAnalysisTest {
    /** The boosts the measurements use; the suggested defaults in docs/operations.md. */
    static final Map<String, Float> BOOSTS = boosts();

    private static Map<String, Float> boosts() {
        Map<String, Float> b = new LinkedHashMap<>();
        b.put("title", 3f);
        b.put("keywords", 3f);
        b.put("caption", 2f);
        b.put("description", 2f);
        b.put("sidecar", 1.5f);
        b.put("pathWords", 1.5f);
        return b;
    }

    /** A small index of documents with an {@code id} and text fields, searched with one analysis. */
    private static final class Index implements AutoCloseable {
        final TextAnalysis analysis;
        final Directory directory = new ByteBuffersDirectory();
        final DirectoryReader reader;

        Index(TextAnalysis analysis, List<Map<String, String>> docs) throws IOException {
            this.analysis = analysis;
            try (IndexWriter writer = new IndexWriter(directory, new IndexWriterConfig(analysis.analyzer()))) {
                for (Map<String, String> fields : docs) {
                    Document doc = new Document();
                    fields.forEach((name, value) -> doc.add(
                            name.equals("id")
                                    ? new StringField(name, value, Field.Store.YES)
                                    : new TextField(name, value, Field.Store.NO)));
                    writer.addDocument(doc);
                }
            }
            reader = DirectoryReader.open(directory);
        }

        List<String> search(@Nullable Query query) throws IOException {
            if (query == null) {
                return List.of();
            }
            IndexSearcher searcher = new IndexSearcher(reader);
            TopDocs top = searcher.search(query, 20);
            List<String> ids = new ArrayList<>();
            for (ScoreDoc sd : top.scoreDocs) {
                ids.add(searcher.storedFields().document(sd.doc).get("id"));
            }
            return ids;
        }

        List<String> search(String text) throws IOException {
            return search(TextAnalysis.query(analysis.analyzer(), text, BOOSTS));
        }

        @Override
        public void close() throws IOException {
            reader.close();
            directory.close();
            analysis.close();
        }
    }

    private static Map<String, String> doc(String id, String... fieldsAndValues) {
        Map<String, String> doc = new LinkedHashMap<>();
        doc.put("id", id);
        for (int i = 0; i < fieldsAndValues.length; i += 2) {
            doc.put(fieldsAndValues[i], fieldsAndValues[i + 1]);
        }
        return doc;
    }

    private static Index index(Map<String, String>... docs) throws IOException {
        return new Index(new TextAnalysis(null), List.of(docs));
    }

    @Test
    void koreanWordsAreFoundThroughParticlesAndEndings() throws IOException {
        try (Index index = index(
                doc("photo", "description", "경복궁에서 찍은 사진"),
                doc("night", "title", "경복궁의 밤"),
                doc("other", "title", "창덕궁 후원의 가을"))) {
            // The palace of another name matches by the part 궁 only, so it comes last.
            assertThat(index.search("경복궁"))
                    .containsExactlyInAnyOrder("photo", "night", "other")
                    .last()
                    .isEqualTo("other");
            assertThat(index.search("경복궁 야경")).startsWith("night").contains("photo");
            assertThat(index.search("경복궁에서").subList(0, 2)).containsExactlyInAnyOrder("photo", "night");
            // With equal field weights the document with more of the query's words comes first.
            assertThat(index.search(TextAnalysis.query(
                            index.analysis.analyzer(), "경복궁을 찍은", Map.of("title", 1f, "description", 1f))))
                    .first()
                    .isEqualTo("photo");
            // A part typed alone finds the compounds that contain it (MIXED keeps the parts).
            assertThat(index.search("궁")).containsExactlyInAnyOrder("photo", "night", "other");
            assertThat(index.search("창덕궁")).first().isEqualTo("other");
            // Only punctuation: nothing to search for.
            assertThat(TextAnalysis.query(index.analysis.analyzer(), "?! … ~", BOOSTS))
                    .isNull();
        }
    }

    @Test
    void englishIsCaseInsensitiveAndPluralsMatch() throws IOException {
        try (Index index = index(
                doc("beach", "caption", "A dog running on the BEACH"),
                doc("seoul", "title", "Seoul at night", "keywords", "Namsan Tower"))) {
            assertThat(index.search("beaches")).containsExactly("beach");
            assertThat(index.search("seoul")).containsExactly("seoul");
            assertThat(index.search("namsan tower")).containsExactly("seoul");
            assertThat(index.search("dogs")).containsExactly("beach");
            assertThat(index.search("run")).containsExactly("beach");
        }
    }

    @Test
    void numbersAreSearchable() throws IOException {
        try (Index index = index(
                doc("phone", "keywords", "iPhone15 언박싱"),
                doc("trip", "pathWords", "2024 제주도 여행"),
                doc("code", "description", "제품 코드 A1234"))) {
            assertThat(index.search("2024")).containsExactly("trip");
            assertThat(index.search("iphone 15")).first().isEqualTo("phone");
            assertThat(index.search("15")).containsExactly("phone");
            assertThat(index.search("a1234")).containsExactly("code");
            assertThat(index.search("2024년 제주")).first().isEqualTo("trip");
        }
    }

    @Test
    void hanjaIsFoundByItsHangulReading() throws IOException {
        try (Index index = index(doc("hanja", "title", "景福宮"))) {
            assertThat(index.search("경복궁")).containsExactly("hanja");
        }
    }

    @Test
    void userDictionaryKeepsANameWhole(@TempDir Path dir) throws IOException {
        List<Map<String, String>> docs =
                List.of(doc("alley", "title", "해리단길 카페 골목"), doc("harry", "title", "해리포터 책 표지"));
        try (Index stock = new Index(new TextAnalysis(null), docs)) {
            // The stock dictionary cuts 해리단길 into 해리 + 길: the book cover matches too.
            assertThat(stock.search("해리단길")).contains("alley", "harry");
        }
        Path dictionary = Files.writeString(dir.resolve("user.txt"), "\uFEFF# places\n해리단길\n다랭이마을 다랭이 마을\n");
        try (Index custom = new Index(new TextAnalysis(dictionary), docs)) {
            assertThat(custom.search("해리단길")).containsExactly("alley");
            assertThat(TextAnalysis.terms(custom.analysis.analyzer(), "title", "남해 다랭이마을"))
                    .containsSubsequence("다랭이마을", "다랭이", "마을");
        }
    }

    @Test
    void badUserDictionaryAndBoostsAreArgumentErrorsNamingTheValue(@TempDir Path dir) {
        Path missing = dir.resolve("missing.txt");
        assertThatThrownBy(() -> new TextAnalysis(missing))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(missing.toString());
        try (TextAnalysis analysis = new TextAnalysis(null)) {
            assertThatThrownBy(() -> TextAnalysis.query(analysis.analyzer(), "서울", Map.of()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("no field");
            assertThatThrownBy(() -> TextAnalysis.query(analysis.analyzer(), "서울", Map.of("title", 0f)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("boost of field title: 0.0");
            assertThatThrownBy(
                            () -> TextAnalysis.combinedQuery(analysis.analyzer(), "서울", Map.of("title", Float.NaN), 1f))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("NaN");
        }
    }

    @Test
    void theQueryExposesItsTermsPerFieldForHighlighting() {
        try (TextAnalysis analysis = new TextAnalysis(null)) {
            Query query = TextAnalysis.query(analysis.analyzer(), "경복궁의 밤", Map.of("title", 2f, "sidecar", 1f));
            Set<org.apache.lucene.index.Term> terms = new java.util.HashSet<>();
            query.visit(org.apache.lucene.search.QueryVisitor.termCollector(terms));
            // What Lucene's highlighters collect from a query: the compound, its parts and the other word, in each
            // field.
            assertThat(terms)
                    .extracting(t -> t.field() + ":" + t.text())
                    .contains("title:경복궁", "title:경복", "title:궁", "title:밤", "sidecar:경복궁", "sidecar:밤");
        }
    }

    @Test
    void fieldBoostsOrderDocumentsThatMatchInDifferentFields() throws IOException {
        try (Index index =
                index(doc("path", "pathWords", "남산"), doc("title", "title", "남산"), doc("sidecar", "sidecar", "남산"))) {
            assertThat(index.search("남산")).containsExactly("title", "path", "sidecar");
        }
    }

    // ---- measurement: decompound modes and query shapes on a small corpus ----

    /** Relevance judgments: the documents a person would want for the query. */
    private record Judged(String query, Set<String> relevant) {}

    static final List<Map<String, String>> CORPUS = List.of(
            doc("d1", "title", "경복궁의 밤", "keywords", "경복궁\n야경", "pathWords", "2024\n서울"),
            doc("d2", "description", "경복궁에서 찍은 사진", "pathWords", "서울\n나들이"),
            doc("d3", "title", "창덕궁 후원", "description", "가을 단풍이 든 궁궐"),
            doc("d4", "sidecar", "제주도 여행 첫날 성산일출봉에서 본 일출", "pathWords", "2023\n제주도"),
            doc("d5", "pathWords", "2024\n제주도\n여행"),
            doc("d6", "caption", "a dog running on the beach"),
            doc("d7", "title", "Haeundae Beach", "keywords", "해운대\n부산\n해변"),
            doc("d8", "description", "엄마 생신 저녁 식사", "keywords", "가족"),
            doc("d9", "keywords", "iPhone 15", "title", "새 폰 언박싱"),
            doc("d10", "title", "남산", "sidecar", "서울 야경 명소 남산타워에서"),
            doc("d11", "pathWords", "경복궁\n산책"),
            doc("d12", "description", "경복궁 근처 카페에서 마신 커피와 케이크, 그리고 긴 산책 이야기", "keywords", "카페"),
            doc("d13", "title", "부산 광안대교 야경", "keywords", "광안리"),
            doc("d14", "caption", "아이들이 해변에서 모래성을 쌓는다"));

    static final List<Judged> JUDGED = List.of(
            new Judged("경복궁", Set.of("d1", "d2", "d11", "d12")),
            new Judged("경복궁 야경", Set.of("d1", "d2", "d11", "d12")),
            new Judged("경복궁에서 찍은 사진", Set.of("d2", "d1", "d11", "d12")),
            new Judged("창덕궁", Set.of("d3")),
            new Judged("궁궐", Set.of("d3")),
            new Judged("제주도 여행", Set.of("d4", "d5")),
            // Nori reads 제주도 in "제주도 여행" as 제주 + the particle 도: the query's compound must still find it.
            new Judged("제주도", Set.of("d4", "d5")),
            new Judged("제주", Set.of("d4", "d5")),
            new Judged("running dog", Set.of("d6")),
            new Judged("성산일출봉", Set.of("d4")),
            new Judged("일출봉", Set.of("d4")),
            new Judged("beach", Set.of("d6", "d7")),
            new Judged("beaches", Set.of("d6", "d7")),
            new Judged("해변", Set.of("d7", "d14")),
            new Judged("iphone", Set.of("d9")),
            new Judged("15", Set.of("d9")),
            new Judged("엄마 생신", Set.of("d8")),
            new Judged("남산 야경", Set.of("d10")),
            new Judged("남산타워", Set.of("d10")),
            new Judged("부산 야경", Set.of("d13", "d7")),
            new Judged("광안대교", Set.of("d13")),
            new Judged("2024 제주도", Set.of("d5", "d4")));

    /** Mean average precision and the share of queries whose first hit is relevant. */
    private record Score(double map, double successAt1, int irrelevantHits) {}

    private static Score measure(DecompoundMode mode, Function<TextAnalysis, Function<String, @Nullable Query>> shape)
            throws IOException {
        try (Index index = new Index(new TextAnalysis(null, mode), CORPUS)) {
            Function<String, @Nullable Query> queries = shape.apply(index.analysis);
            double apSum = 0;
            int firstRelevant = 0;
            int irrelevant = 0;
            for (Judged j : JUDGED) {
                List<String> hits = index.search(queries.apply(j.query()));
                double found = 0;
                double precisionSum = 0;
                for (int rank = 0; rank < hits.size(); rank++) {
                    if (j.relevant().contains(hits.get(rank))) {
                        found++;
                        precisionSum += found / (rank + 1);
                    } else {
                        irrelevant++;
                    }
                }
                apSum += precisionSum / j.relevant().size();
                if (Boolean.getBoolean("koclip.test.verbose")) {
                    System.out.printf(
                            Locale.ROOT,
                            "  %s %-12s AP %.3f %s%n",
                            mode,
                            j.query(),
                            precisionSum / j.relevant().size(),
                            hits);
                }
                if (!hits.isEmpty() && j.relevant().contains(hits.getFirst())) {
                    firstRelevant++;
                }
            }
            return new Score(apSum / JUDGED.size(), (double) firstRelevant / JUDGED.size(), irrelevant);
        }
    }

    @Test
    void rankingOfTheModesAndQueryShapes() throws IOException {
        Map<String, Function<TextAnalysis, Function<String, @Nullable Query>>> shapes = new LinkedHashMap<>();
        shapes.put("per-field, parts 0.5", a -> text -> TextAnalysis.perFieldQuery(a.analyzer(), text, BOOSTS, 0.5f));
        shapes.put("per-field, parts 1", a -> text -> TextAnalysis.perFieldQuery(a.analyzer(), text, BOOSTS, 1f));
        shapes.put("per-field graph", a -> text -> TextAnalysis.graphQuery(a.analyzer(), text, BOOSTS));
        shapes.put("BM25F, parts 0.5", a -> text -> TextAnalysis.query(a.analyzer(), text, BOOSTS));
        shapes.put("BM25F, parts 1", a -> text -> TextAnalysis.combinedQuery(a.analyzer(), text, BOOSTS, 1f));

        Map<String, Score> scores = new LinkedHashMap<>();
        for (DecompoundMode mode : DecompoundMode.values()) {
            for (var shape : shapes.entrySet()) {
                scores.put(mode + " / " + shape.getKey(), measure(mode, shape.getValue()));
            }
        }
        System.out.printf(Locale.ROOT, "%-32s %6s %8s %11s%n", "mode / query shape", "MAP", "success@1", "irrelevant");
        scores.forEach((name, s) -> System.out.printf(
                Locale.ROOT, "%-32s %6.3f %8.3f %11d%n", name, s.map(), s.successAt1(), s.irrelevantHits()));

        Score chosen = scores.get(TextAnalysis.DECOMPOUND + " / BM25F, parts 0.5");
        for (var e : scores.entrySet()) {
            assertThat(chosen.map())
                    .as("the chosen setup vs " + e.getKey())
                    .isGreaterThanOrEqualTo(e.getValue().map() - 1e-9);
        }
    }
}
