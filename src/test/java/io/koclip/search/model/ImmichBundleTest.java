package io.koclip.search.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.koclip.search.image.ImageDecoder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An Immich-style CLIP folder (visual/, textual/, config.json, preprocess_cfg.json) made from the odd
 * test bundle's graphs: tensor names come from the graphs, preprocessing from preprocess_cfg.json,
 * and the embeddings must equal the PyTorch reference of the same weights.
 */
class ImmichBundleTest {
    @TempDir
    Path dir;

    @Test
    void loadsAndReproducesTheReference() throws Exception {
        Path odd = OddBundleTest.BUNDLE;
        Files.createDirectories(dir.resolve("visual"));
        Files.createDirectories(dir.resolve("textual"));
        Files.copy(odd.resolve("image_encoder.onnx"), dir.resolve("visual/model.onnx"));
        Files.copy(odd.resolve("text_encoder.onnx"), dir.resolve("textual/model.onnx"));
        Files.copy(odd.resolve("tokenizer.json"), dir.resolve("textual/tokenizer.json"));
        Files.writeString(dir.resolve("config.json"), "{\"embed_dim\": 32, \"text_cfg\": {\"context_length\": 16}}");
        Files.writeString(dir.resolve("visual/preprocess_cfg.json"), """
                {"size": [40, 40], "mode": "RGB", "mean": [0.5, 0.4, 0.3], "std": [0.2, 0.25, 0.3],
                 "interpolation": "bicubic", "resize_mode": "shortest", "fill_color": 0}
                """);
        JsonNode reference = JsonMapper.builder()
                .build()
                .readTree(odd.resolve("reference.json").toFile());
        ImageDecoder decoder = new ImageDecoder(ImageDecoder.DEFAULT_MAX_PIXELS);
        try (ClipModel clip = ClipModel.open(dir.toString(), ModelOptions.defaults())) {
            ModelBundle bundle = clip.bundle();
            assertThat(bundle.name()).isEqualTo(dir.getFileName().toString());
            assertThat(bundle.image().input()).isEqualTo("pixel_values");
            assertThat(bundle.text().inputIds()).isEqualTo("input_ids");
            assertThat(bundle.text().attentionMask()).isEqualTo("attention_mask");
            assertThat(bundle.text().positionIds()).isNull();
            for (JsonNode image : reference.get("images")) {
                Path file = odd.resolve(image.get("file").asString()).normalize();
                float cosine = Embeddings.dot(
                        clip.images().encode(decoder.decode(file).rgb()),
                        DemoBundleTest.floats(image.get("embedding")));
                assertThat(cosine).as("image %s", file).isGreaterThanOrEqualTo(0.9999f);
            }
            for (JsonNode text : reference.get("texts")) {
                float cosine = Embeddings.dot(
                        clip.texts().encode(text.get("text").asString()), DemoBundleTest.floats(text.get("embedding")));
                assertThat(cosine).as("text '%s'", text.get("text").asString()).isGreaterThanOrEqualTo(0.9999f);
            }
        }
    }
}
