package io.koclip.search.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.koclip.search.index.Hit;
import io.koclip.search.index.IndexModelMismatchException;
import io.koclip.search.index.IndexOptions;
import io.koclip.search.index.IndexSpec;
import io.koclip.search.index.ModelIdentity;
import io.koclip.search.index.SearchFilter;
import io.koclip.search.index.VectorFormat;
import io.koclip.search.index.VectorIndex;
import io.koclip.search.index.VectorQuery;
import io.koclip.search.index.lucene.LuceneBackend;
import io.koclip.search.model.ClipModel;
import io.koclip.search.model.ModelOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The job with the real demo model and decoder on the sample corpus, in every vector format. */
class DemoModelIngestTest {
    static final String MODEL = System.getProperty("koclip.test.model", "demo");
    static final Path CORPUS = Path.of(System.getProperty("koclip.test.corpus", "ingest"));

    static ClipModel clip;

    @TempDir
    Path tmp;

    @BeforeAll
    static void openModel() {
        boolean present = MODEL.equals("demo")
                ? DemoModelIngestTest.class.getResource("/models/demo/model.json") != null
                : Files.isRegularFile(Path.of(MODEL, "model.json"));
        assumeTrue(present, "the demo bundle is not there yet");
        assumeTrue(Files.isDirectory(CORPUS), "the sample corpus is not there yet");
        clip = ClipModel.open(MODEL, ModelOptions.defaults());
    }

    @AfterAll
    static void closeModel() {
        if (clip != null) {
            clip.close();
        }
    }

    @ParameterizedTest
    @EnumSource(VectorFormat.class)
    void redCirclesComeFirstForTheKoreanQuery(VectorFormat format) throws IOException {
        long images;
        try (Stream<Path> files = Files.walk(CORPUS)) {
            images = files.filter(Files::isRegularFile).count();
        }
        try (VectorIndex index = new LuceneBackend(tmp.resolve("index"))
                .open(new IndexSpec(
                        ModelIdentity.of(clip.bundle()), IndexOptions.defaults().withVectors(format)))) {
            IngestReport report = new IngestJob(clip, index, IngestOptions.defaults(CORPUS)).run();
            System.out.println(format + ": " + report);
            assertThat(report.failed()).isZero();
            assertThat(report.indexed()).isEqualTo(images);
            assertThat(report.imagesPerSecond()).isPositive();

            float[] query = clip.texts().encodePrompts(List.of(clip.templates().prompts("빨간 원")))[0];
            List<Hit> hits = index.search(new VectorQuery(query, 5, 100, SearchFilter.NONE));
            assertThat(hits).hasSize(5);
            assertThat(hits).allSatisfy(h -> assertThat(h.document().path()).contains("red-circle"));
        }
    }

    @Test
    void aJobRefusesAnIndexRecordedForAnotherModel() throws IOException {
        try (VectorIndex other = new LuceneBackend(tmp.resolve("other"))
                .open(new IndexSpec(
                        new ModelIdentity("other", "0", clip.bundle().embeddingDim()), IndexOptions.defaults()))) {
            IngestJob job = new IngestJob(clip, other, IngestOptions.defaults(CORPUS));
            assertThatThrownBy(job::run)
                    .isInstanceOf(IndexModelMismatchException.class)
                    .hasMessageContaining("'other'")
                    .hasMessageContaining("Reindex");
        }
    }
}
