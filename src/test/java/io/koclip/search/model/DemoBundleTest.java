package io.koclip.search.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.koclip.search.image.ImageDecoder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The embedded demo bundle against the PyTorch reference (src/tools/demo-model writes
 * src/test/resources/demo/reference.json) and its retrieval quality on held-out renders.
 */
class DemoBundleTest {
    static final Path RESOURCES = Path.of("src/test/resources/demo");
    static ClipModel clip;

    @BeforeAll
    static void open() {
        clip = ClipModel.open("demo", ModelOptions.defaults());
    }

    @AfterAll
    static void close() {
        clip.close();
    }

    static float[] floats(JsonNode array) {
        float[] v = new float[array.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) array.get(i).asDouble();
        }
        return v;
    }

    @Test
    void tokenizerMatchesThePythonTokenizer() throws Exception {
        JsonNode reference = JsonMapper.builder()
                .build()
                .readTree(RESOURCES.resolve("reference.json").toFile());
        for (JsonNode text : reference.get("texts")) {
            long[] expected = new long[text.get("ids").size()];
            for (int i = 0; i < expected.length; i++) {
                expected[i] = text.get("ids").get(i).asLong();
            }
            assertThat(clip.texts().tokenize(text.get("text").asString()))
                    .as("token ids of '%s'", text.get("text").asString())
                    .containsExactly(expected);
        }
    }

    @Test
    void textEmbeddingsMatchPyTorch() throws Exception {
        JsonNode reference = JsonMapper.builder()
                .build()
                .readTree(RESOURCES.resolve("reference.json").toFile());
        List<String> texts = new ArrayList<>();
        reference.get("texts").forEach(t -> texts.add(t.get("text").asString()));
        // Encoded as one padded batch, so padding and attention masks are exercised too.
        float[][] vectors = clip.texts().encode(texts);
        for (int i = 0; i < texts.size(); i++) {
            float cosine = Embeddings.dot(
                    vectors[i], floats(reference.get("texts").get(i).get("embedding")));
            System.out.printf("text parity %-40s cosine %.7f%n", texts.get(i), cosine);
            assertThat(cosine).as("cosine for '%s'", texts.get(i)).isGreaterThanOrEqualTo(0.9999f);
        }
    }

    @Test
    void imageEmbeddingsMatchPyTorchWithPilPreprocessing() throws Exception {
        JsonNode reference = JsonMapper.builder()
                .build()
                .readTree(RESOURCES.resolve("reference.json").toFile());
        ImageDecoder decoder = new ImageDecoder(ImageDecoder.DEFAULT_MAX_PIXELS);
        for (JsonNode image : reference.get("images")) {
            Path file = RESOURCES.resolve(image.get("file").asString());
            float[] vector = clip.images().encode(decoder.decode(file).rgb());
            float cosine = Embeddings.dot(vector, floats(image.get("embedding")));
            System.out.printf("image parity %-40s cosine %.7f%n", file.getFileName(), cosine);
            assertThat(cosine).as("cosine for %s", file).isGreaterThanOrEqualTo(0.9999f);
        }
    }

    @Test
    void textToImageRecallOnHeldOutRenders() throws Exception {
        JsonNode queries = JsonMapper.builder()
                .build()
                .readTree(RESOURCES.resolve("heldout.json").toFile());
        ImageDecoder decoder = new ImageDecoder(ImageDecoder.DEFAULT_MAX_PIXELS);
        List<String> labels = new ArrayList<>();
        List<float[]> tensors = new ArrayList<>();
        try (var files = Files.list(RESOURCES.resolve("heldout"))) {
            for (Path file : files.sorted().toList()) {
                String name = file.getFileName().toString();
                labels.add(name.substring(0, name.lastIndexOf('_')));
                tensors.add(clip.images()
                        .preprocessor()
                        .toTensor(decoder.decode(file).rgb()));
            }
        }
        float[][] images = clip.images().encodeTensors(tensors);
        Map<String, int[]> hits = new LinkedHashMap<>();
        for (var entry : queries.properties()) {
            String label = entry.getKey();
            for (String language : List.of("ko", "en")) {
                for (JsonNode query : entry.getValue().get(language)) {
                    float[] q =
                            clip.texts().encodePrompts(List.of(clip.templates().prompts(query.asString())))[0];
                    int best = 0;
                    for (int i = 1; i < images.length; i++) {
                        if (Embeddings.dot(q, images[i]) > Embeddings.dot(q, images[best])) {
                            best = i;
                        }
                    }
                    int[] counts = hits.computeIfAbsent(language, l -> new int[2]);
                    counts[0] += labels.get(best).equals(label) ? 1 : 0;
                    counts[1]++;
                }
            }
        }
        hits.forEach((language, counts) -> {
            double recall = (double) counts[0] / counts[1];
            System.out.printf(
                    "held-out text->image recall@1 %s: %d/%d = %.3f%n", language, counts[0], counts[1], recall);
            assertThat(recall).as("recall@1 for %s queries", language).isGreaterThanOrEqualTo(0.9);
        });
        assertThat(hits).containsKeys("ko", "en");
    }
}
