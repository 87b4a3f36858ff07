package io.koclip.search.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.koclip.search.image.ImageDecoder;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Immich-shaped NLLB test bundle ({@code src/tools/immich/make_test_bundle.py}): static batch 1,
 * int32 {@code text} [1, 64] from config.json's context_length, external data beside both graphs,
 * normalized outputs, and a text tower that reads the FLORES language token after [CLS]. Its graphs
 * are the demo model's, so the engine must reproduce the demo's embeddings exactly when it puts the
 * right language token in front of the text.
 */
class ImmichNllbBundleTest {
    static final Path BUNDLE = Path.of("src/test/resources/bundles/immich-nllb");

    static ClipModel immich;
    static ClipModel demo;

    @TempDir
    Path dir;

    @BeforeAll
    static void open() {
        immich = ClipModel.open(BUNDLE.toString(), ModelOptions.defaults());
        demo = ClipModel.open("demo", ModelOptions.defaults());
    }

    @AfterAll
    static void close() {
        immich.close();
        demo.close();
    }

    @Test
    void theBundleIsReadAsAnImmichNllbSiglipExport() {
        ModelBundle bundle = immich.bundle();
        assertThat(bundle.name()).isEqualTo("immich-nllb");
        assertThat(bundle.image().input()).isEqualTo("image");
        assertThat(bundle.image().output()).isEqualTo("embedding");
        assertThat(bundle.text().inputIds()).isEqualTo("text");
        assertThat(bundle.text().attentionMask()).isNull();
        assertThat(bundle.text().fixedLength()).isEqualTo(64);
        assertThat(bundle.text().maxLength()).isEqualTo(64);
        assertThat(bundle.text().languageTokens())
                .containsEntry("ko", "kor_Hang")
                .containsEntry("en", "eng_Latn");
        assertThat(bundle.zeroShot().loss()).isEqualTo(ModelBundle.Loss.SIGMOID);
        assertThat(bundle.zeroShot().logitBias()).isNull();
        assertThat(bundle.zeroShot().sigmoidScoring()).isFalse();
    }

    @Test
    void theLanguageTokenFollowsTheQuerysLanguage() {
        // tokenizer.json: the demo's 283 tokens, then eng_Latn = 283 and kor_Hang = 284
        long[] korean = immich.texts().tokenize("빨간 원");
        long[] english = immich.texts().tokenize("red circle");
        assertThat(korean[1]).isEqualTo(284);
        assertThat(english[1]).isEqualTo(283);
        assertThat(immich.texts().tokenize("파란 square")[1])
                .as("any Hangul makes it Korean")
                .isEqualTo(284);
        long[] demoIds = demo.texts().tokenize("빨간 원");
        assertThat(korean).hasSize(demoIds.length + 1);
        assertThat(korean[0]).isEqualTo(demoIds[0]);
    }

    @Test
    void textEmbeddingsAreTheDemosWhenThePrefixIsThere() {
        List<String> texts = List.of("빨간 원", "파란색 네모가 있는 그림", "a photo of a green triangle", "yellow circle");
        // Four texts through a graph with a static batch of 1: the encoder runs it once per text.
        float[][] batch = immich.texts().encode(texts);
        for (int i = 0; i < texts.size(); i++) {
            float[] want = demo.texts().encode(texts.get(i));
            assertThat(Embeddings.dot(batch[i], want)).as(texts.get(i)).isGreaterThan(0.9999f);
            assertThat(Embeddings.dot(immich.texts().encode(texts.get(i)), batch[i]))
                    .isGreaterThan(0.99999f);
        }
    }

    @Test
    void imageEmbeddingsAreTheDemosOneAtATime() throws Exception {
        ImageDecoder decoder = new ImageDecoder(ImageDecoder.DEFAULT_MAX_PIXELS);
        List<float[]> tensors = new ArrayList<>();
        List<BufferedImage> images = new ArrayList<>();
        for (String name : List.of("red-circle-133.jpg", "blue-square-134.png", "green-triangle-147.png")) {
            BufferedImage rgb = decoder.decode(Path.of("ingest/misc", name)).rgb();
            images.add(rgb);
            tensors.add(immich.images().preprocessor().toTensor(rgb));
        }
        float[][] batch = immich.images().encodeTensors(tensors);
        for (int i = 0; i < images.size(); i++) {
            assertThat(Embeddings.dot(batch[i], demo.images().encode(images.get(i))))
                    .isGreaterThan(0.9999f);
        }
    }

    @Test
    void koreanAndEnglishQueriesRankTheirShapesFirst() throws Exception {
        ImageDecoder decoder = new ImageDecoder(ImageDecoder.DEFAULT_MAX_PIXELS);
        List<Path> files;
        try (Stream<Path> list = Files.list(Path.of("ingest/misc"))) {
            files = list.sorted().toList();
        }
        float[][] vectors = new float[files.size()][];
        for (int i = 0; i < files.size(); i++) {
            vectors[i] = immich.images().encode(decoder.decode(files.get(i)).rgb());
        }
        for (List<String> pair : List.of(
                List.of("빨간 원", "red-circle"),
                List.of("파란 네모", "blue-square"),
                List.of("yellow triangle", "yellow-triangle"),
                List.of("black circle", "black-circle"))) {
            float[] query =
                    immich.texts().encodePrompts(List.of(immich.templates().prompts(pair.get(0))))[0];
            int best = 0;
            for (int i = 1; i < vectors.length; i++) {
                if (Embeddings.dot(query, vectors[i]) > Embeddings.dot(query, vectors[best])) {
                    best = i;
                }
            }
            assertThat(files.get(best).getFileName().toString()).as(pair.get(0)).startsWith(pair.get(1));
        }
    }

    @Test
    void withoutTheNllbMarkTheFirstWordIsLost() throws Exception {
        // The same folder whose config no longer names the NLLB tokenizer: no prefix, so the graph
        // drops the first real token and "빨간 원" is read as "원".
        copy(BUNDLE, dir);
        Path config = dir.resolve("config.json");
        Files.writeString(config, Files.readString(config).replace("facebook/nllb-200-distilled-600M", "demo"));
        try (ClipModel plain = ClipModel.open(dir.toString(), ModelOptions.defaults())) {
            assertThat(plain.bundle().text().languageTokens()).isEmpty();
            float[] unprefixed = plain.texts().encode("빨간 원");
            assertThat(Embeddings.dot(unprefixed, demo.texts().encode("원"))).isGreaterThan(0.9999f);
            assertThat(Embeddings.dot(unprefixed, demo.texts().encode("빨간 원"))).isLessThan(0.99f);
        }
    }

    @Test
    void anNllbExportWhoseTokenizerLacksTheCodesIsRefused() throws Exception {
        copy(BUNDLE, dir);
        Path tokenizer = dir.resolve("textual/tokenizer.json");
        Files.writeString(tokenizer, Files.readString(tokenizer).replace("kor_Hang", "kor_Kore"));
        assertThatThrownBy(() -> BundleLoader.load(dir))
                .isInstanceOf(BundleException.class)
                .hasMessageContaining("textual/tokenizer.json")
                .hasMessageContaining("kor_Hang");
    }

    static void copy(Path from, Path to) throws Exception {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path source : walk.toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        }
    }
}
