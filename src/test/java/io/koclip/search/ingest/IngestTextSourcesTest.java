package io.koclip.search.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.koclip.search.index.DocumentIds;
import io.koclip.search.index.Hit;
import io.koclip.search.index.ImageDocument;
import io.koclip.search.index.IndexOptions;
import io.koclip.search.index.IndexSpec;
import io.koclip.search.index.LexicalQuery;
import io.koclip.search.index.SearchFilter;
import io.koclip.search.index.VectorIndex;
import io.koclip.search.index.lucene.LuceneBackend;
import io.koclip.search.search.CandidatePolicy;
import io.koclip.search.search.HybridRetriever;
import io.koclip.search.search.LexicalRetriever;
import io.koclip.search.search.RetrievalQuery;
import io.koclip.search.search.RetrievedHit;
import io.koclip.search.search.VectorRetriever;
import io.koclip.search.text.TextSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every text source reaches the index in its own field and is found by its words, lexically and in
 * hybrid search: the Windows XP tags of a JPEG, a {@code .txt} and an {@code .xmp} sidecar, a folder
 * name, a captions file. A changed sidecar re-indexes the text without encoding the image.
 */
class IngestTextSourcesTest {
    static final Path WINDOWS_JPEG = Path.of("src/test/resources/text/windows-ko.jpg");
    static final String XMP = """
            <x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
            <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">
            <dc:title><rdf:Alt><rdf:li xml:lang="x-default">Bukchon Hanok Village</rdf:li></rdf:Alt></dc:title>
            </rdf:Description></rdf:RDF></x:xmpmeta>
            """;

    @TempDir
    Path tmp;

    Path source;
    VectorIndex index;

    @BeforeEach
    void setUp() throws IOException {
        source = Files.createDirectories(tmp.resolve("source"));
        index = new LuceneBackend(tmp.resolve("index"))
                .open(new IndexSpec(IngestJobTest.MODEL, IndexOptions.defaults()));
        // XP tags only: title 경복궁의 밤, keywords 경복궁;야경;서울, comments with 경복궁에서 찍은 사진
        Files.copy(WINDOWS_JPEG, source.resolve("DSC_0001.jpg"));
        TestImages.write(source, "IMG_0002.png", 2);
        Files.writeString(source.resolve("IMG_0002.png.txt"), "해운대 해수욕장에서 수영했다");
        TestImages.write(source, "IMG_0003.png", 3);
        Files.writeString(source.resolve("IMG_0003.xmp"), XMP);
        TestImages.write(source, "2024-제주도-여행/IMG_0012.jpg", 4);
        TestImages.write(source, "IMG_0005.png", 5);
        TestImages.write(source, "IMG_0006.png", 6);
    }

    @AfterEach
    void tearDown() throws IOException {
        index.close();
    }

    IngestReport ingest(FakeEmbedder embedder, ImageCaptions captions) throws IOException {
        IngestOptions options =
                IngestOptions.defaults(source).withWorkers(2).withBatchSize(4).withCaptions(captions);
        return new IngestJob(embedder, new ImageIoDecoder(), ContentReader.FILES, index, options).run();
    }

    ImageCaptions captions() {
        return ImageCaptions.of(Map.of("IMG_0005.png", List.of("남산타워에서 본 서울의 야경", "Namsan Tower at dusk")));
    }

    List<Hit> lexicalHits(String words) throws IOException {
        return index.search(new LexicalQuery(words, 10, SearchFilter.NONE));
    }

    List<String> lexical(String words) throws IOException {
        return lexicalHits(words).stream()
                .map(Hit::document)
                .map(ImageDocument::path)
                .toList();
    }

    /** Hybrid over this index: the vector side's query is the plain image's vector, which matches no word. */
    List<RetrievedHit> hybrid(String words) throws IOException {
        float[] plain =
                index.get(DocumentIds.forPath("IMG_0006.png")).orElseThrow().vector();
        HybridRetriever hybrid =
                new HybridRetriever(new VectorRetriever(new CandidatePolicy(10)), new LexicalRetriever());
        return hybrid.retrieve(index, new RetrievalQuery(plain, words, SearchFilter.NONE), 6);
    }

    @Test
    void eachSourceIsItsOwnFieldAndItsWordsFindThePictureInLexicalAndHybridModes() throws IOException {
        IngestReport report = ingest(new FakeEmbedder(), captions());
        assertThat(report.indexed()).isEqualTo(6);
        assertThat(report.warned()).as(report.warnings().toString()).isZero();

        Map<TextSource, String> xp =
                index.get(DocumentIds.forPath("DSC_0001.jpg")).orElseThrow().text();
        assertThat(xp.get(TextSource.TITLE)).isEqualTo("경복궁의 밤");
        assertThat(xp.get(TextSource.KEYWORDS)).isEqualTo("경복궁\n야경\n서울");
        assertThat(xp).doesNotContainKey(TextSource.PATH_WORDS); // DSC_0001 is a camera name
        assertThat(index.get(DocumentIds.forPath("IMG_0002.png")).orElseThrow().text())
                .containsExactly(Map.entry(TextSource.SIDECAR, "해운대 해수욕장에서 수영했다"));
        assertThat(index.get(DocumentIds.forPath("IMG_0003.png")).orElseThrow().text())
                .containsExactly(Map.entry(TextSource.TITLE, "Bukchon Hanok Village"));
        assertThat(index.get(DocumentIds.forPath("2024-제주도-여행/IMG_0012.jpg"))
                        .orElseThrow()
                        .text())
                .containsExactly(Map.entry(TextSource.PATH_WORDS, "2024\n제주도\n여행"));
        assertThat(index.get(DocumentIds.forPath("IMG_0006.png")).orElseThrow().text())
                .isEmpty();

        Map<String, String> wordToPicture = Map.of(
                "경복궁", "DSC_0001.jpg", // XP title and keywords, with and without particles
                "해운대", "IMG_0002.png", // .txt sidecar
                "hanok", "IMG_0003.png", // .xmp sidecar, English, any case
                "제주도", "2024-제주도-여행/IMG_0012.jpg", // folder name
                "2024", "2024-제주도-여행/IMG_0012.jpg", // a number
                "남산타워", "IMG_0005.png", // captions file, particle 에서 removed
                "tower", "IMG_0005.png");
        for (Map.Entry<String, String> e : wordToPicture.entrySet()) {
            assertThat(lexical(e.getKey())).as(e.getKey()).containsExactly(e.getValue());
            List<RetrievedHit> fused = hybrid(e.getKey());
            assertThat(fused.get(0).document().path())
                    .as("hybrid " + e.getKey())
                    .isEqualTo(e.getValue());
            assertThat(fused.get(0).snippet())
                    .as("hybrid snippet " + e.getKey())
                    .isNotNull();
        }
        // A sentence with particles and endings around the name finds it; "경복궁 야경" finds "경복궁의 밤" first.
        assertThat(lexical("경복궁에서 찍은 사진")).first().isEqualTo("DSC_0001.jpg");
        assertThat(lexical("경복궁 야경")).first().isEqualTo("DSC_0001.jpg");
        assertThat(lexical("서울 야경")).containsExactlyInAnyOrder("DSC_0001.jpg", "IMG_0005.png");
    }

    @Test
    void hitsCarryASnippetOfTheBestMatchingFieldHtmlEscapedWithMarks() throws IOException {
        Files.writeString(source.resolve("IMG_0006.png.txt"), "<b>해운대</b> & 광안리 \"야경\"");
        ingest(new FakeEmbedder(), captions());

        Hit xp = lexicalHits("경복궁").get(0);
        assertThat(xp.snippet()).isNotNull();
        assertThat(xp.snippet().field()).isEqualTo("title"); // title and keywords matched; title is shown
        assertThat(xp.snippet().html()).isEqualTo("<mark>경복궁</mark>의 밤");

        Hit escaped = lexicalHits("광안리").get(0);
        assertThat(escaped.snippet().field()).isEqualTo("sidecar");
        assertThat(escaped.snippet().html())
                .isEqualTo("&lt;b&gt;해운대&lt;&#x2F;b&gt; &amp; <mark>광안리</mark> &quot;야경&quot;");

        Hit folder = lexicalHits("제주도 여행").get(0);
        assertThat(folder.snippet().field()).isEqualTo("pathWords");
        // Nori reads 제주도 in this line as 제주 + the particle 도: the stem is what matched and is marked
        assertThat(folder.snippet().html()).isEqualTo("2024\n<mark>제주</mark>도\n<mark>여행</mark>");
    }

    @Test
    void aChangedSidecarOrCaptionReindexesTheTextWithoutEncodingTheImage() throws IOException {
        ingest(new FakeEmbedder(), captions());
        float[] before =
                index.get(DocumentIds.forPath("IMG_0002.png")).orElseThrow().vector();

        FakeEmbedder unchanged = new FakeEmbedder();
        IngestReport again = ingest(unchanged, captions());
        assertThat(again.unchanged()).isEqualTo(6);
        assertThat(again.textUpdated()).isZero();

        Path sidecar = source.resolve("IMG_0002.png.txt");
        Files.writeString(sidecar, "광안리 야경");
        Files.setLastModifiedTime(
                sidecar, FileTime.fromMillis(Files.getLastModifiedTime(sidecar).toMillis() + 2000));
        Files.writeString(source.resolve("IMG_0006.png.txt"), "북촌 한옥마을");
        FakeEmbedder second = new FakeEmbedder();
        IngestReport report = ingest(second, ImageCaptions.of(Map.of("IMG_0005.png", List.of("잠실 호수공원의 불꽃놀이"))));

        assertThat(second.preprocessed.get()).isZero();
        assertThat(second.encoded.get()).isZero();
        assertThat(report.encoded()).isZero();
        assertThat(report.textUpdated()).isEqualTo(3); // edited sidecar, new sidecar, changed caption
        assertThat(report.indexed()).isEqualTo(3);
        assertThat(report.unchanged()).isEqualTo(3);
        assertThat(lexical("해운대")).isEmpty();
        assertThat(lexical("광안리")).containsExactly("IMG_0002.png");
        assertThat(lexical("한옥마을")).containsExactly("IMG_0006.png");
        assertThat(lexical("남산타워")).isEmpty();
        assertThat(lexical("불꽃놀이")).containsExactly("IMG_0005.png");
        assertThat(index.get(DocumentIds.forPath("IMG_0002.png")).orElseThrow().vector())
                .containsExactly(before);
        // the embedded text stays with the re-texted document
        assertThat(lexical("경복궁")).containsExactly("DSC_0001.jpg");
    }

    @Test
    void badSidecarsAreReportWarningsAndTheImageIsStillIndexed() throws IOException {
        byte[] binary = new byte[512];
        for (int i = 0; i < binary.length; i++) {
            binary[i] = (byte) (i % 7 == 0 ? 0 : i);
        }
        Files.write(source.resolve("IMG_0005.png.txt"), binary);
        Files.write(source.resolve("IMG_0006.xmp"), "<x:xmpmeta><unclosed".getBytes(StandardCharsets.UTF_8));
        IngestReport report = ingest(new FakeEmbedder(), ImageCaptions.NONE);
        assertThat(report.failed()).isZero();
        assertThat(report.indexed()).isEqualTo(6);
        assertThat(report.warnings())
                .extracting(IngestWarning::path)
                .containsOnly("IMG_0005.png", "IMG_0006.png")
                .contains("IMG_0005.png", "IMG_0006.png");
        assertThat(report.warned()).isEqualTo(report.warnings().size());
        assertThat(report.warnings()).allSatisfy(w -> assertThat(w.reason()).isNotBlank());
    }
}
