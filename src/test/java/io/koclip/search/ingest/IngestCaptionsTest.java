package io.koclip.search.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.koclip.search.eval.CaptionFormat;
import io.koclip.search.index.DocumentIds;
import io.koclip.search.index.Hit;
import io.koclip.search.index.ImageDocument;
import io.koclip.search.index.IndexOptions;
import io.koclip.search.index.IndexSpec;
import io.koclip.search.index.LexicalQuery;
import io.koclip.search.index.SearchFilter;
import io.koclip.search.index.VectorIndex;
import io.koclip.search.index.lucene.LuceneBackend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ingest --captions}: caption sets become the documents' searchable text, without re-encoding. */
class IngestCaptionsTest {
    @TempDir
    Path tmp;

    Path source;
    VectorIndex index;

    @BeforeEach
    void setUp() throws IOException {
        source = Files.createDirectories(tmp.resolve("source"));
        index = new LuceneBackend(tmp.resolve("index"))
                .open(new IndexSpec(IngestJobTest.MODEL, IndexOptions.defaults()));
        TestImages.write(source, "palace.png", 1);
        TestImages.write(source, "trip/beach.jpg", 2);
        TestImages.write(source, "plain.png", 3);
    }

    @AfterEach
    void tearDown() throws IOException {
        index.close();
    }

    IngestReport ingest(FakeEmbedder embedder, Path captions) throws IOException {
        IngestOptions options = IngestOptions.defaults(source)
                .withWorkers(2)
                .withBatchSize(4)
                .withCaptions(ImageCaptions.read(captions, CaptionFormat.AUTO, source));
        return new IngestJob(embedder, new ImageIoDecoder(), ContentReader.FILES, index, options).run();
    }

    List<String> lexical(String words) throws IOException {
        return index.search(new LexicalQuery(words, 10, SearchFilter.NONE)).stream()
                .map(Hit::document)
                .map(ImageDocument::path)
                .toList();
    }

    Path jsonl(String name, String... lines) throws IOException {
        return Files.writeString(tmp.resolve(name), String.join("\n", lines) + "\n");
    }

    @Test
    void captionsAreFoundByAKoreanWordWithoutItsParticleAndByEnglish() throws IOException {
        Path captions = jsonl(
                "captions.jsonl",
                "{\"image\": \"palace.png\", \"caption\": \"경복궁에서 찍은 사진\", \"lang\": \"ko\"}",
                "{\"image\": \"palace.png\", \"caption\": \"a gate of the palace at night\", \"lang\": \"en\"}",
                "{\"image\": \"trip/beach.jpg\", \"caption\": \"제주도 바닷가의 일몰\", \"lang\": \"ko\"}");
        IngestReport report = ingest(new FakeEmbedder(), captions);
        assertThat(report.indexed()).isEqualTo(3);

        assertThat(lexical("경복궁")).containsExactly("palace.png");
        assertThat(lexical("palace")).containsExactly("palace.png");
        assertThat(lexical("바닷가")).containsExactly("trip/beach.jpg");
        assertThat(lexical("제주도")).containsExactly("trip/beach.jpg");
        assertThat(index.get(DocumentIds.forPath("palace.png")).orElseThrow().caption())
                .isEqualTo("경복궁에서 찍은 사진\na gate of the palace at night");
        assertThat(index.get(DocumentIds.forPath("plain.png")).orElseThrow().caption())
                .isNull();
    }

    @Test
    void aChangedCaptionsFileReindexesTheTextWithoutReEncodingTheImage() throws IOException {
        ingest(new FakeEmbedder(), jsonl("v1.jsonl", "{\"image\": \"palace.png\", \"caption\": \"경복궁의 밤\"}"));
        float[] before =
                index.get(DocumentIds.forPath("palace.png")).orElseThrow().vector();

        FakeEmbedder second = new FakeEmbedder();
        IngestReport report =
                ingest(second, jsonl("v2.jsonl", "{\"image\": \"plain.png\", \"caption\": \"남산타워에서 본 서울\"}"));

        assertThat(second.preprocessed.get()).isZero();
        assertThat(second.encoded.get()).isZero();
        // palace.png lost its caption, plain.png gained one: two re-captioned documents, one untouched
        assertThat(report.indexed()).isEqualTo(2);
        assertThat(report.unchanged()).isOne();
        assertThat(lexical("경복궁")).isEmpty();
        assertThat(lexical("남산타워")).containsExactly("plain.png");
        assertThat(index.get(DocumentIds.forPath("palace.png")).orElseThrow().vector())
                .containsExactly(before);
    }

    @Test
    void captionsAreJoinedOnceEachAndCapped() {
        assertThat(ImageCaptions.join(List.of(" a ", "b", "a", " "))).isEqualTo("a\nb");
        String capped = ImageCaptions.join(List.of("가".repeat(ImageCaptions.MAX_CHARS + 10)));
        assertThat(capped).hasSize(ImageCaptions.MAX_CHARS);
        assertThat(ImageCaptions.of(Map.of("x/y.png", List.of("t"))).forPath("x/y.png"))
                .isEqualTo("t");
    }
}
