package io.koclip.search.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.koclip.search.image.ImageDecoder;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A bundle whose input size, mean and std are not CLIP's and whose text graph computes its own
 * position ids: the engine must honour all of it to reproduce the PyTorch embeddings.
 */
class OddBundleTest {
    static final Path BUNDLE = Path.of("src/test/resources/bundles/odd");

    @Test
    void honoursSizeMeanStdAndImplicitPositions() throws Exception {
        JsonNode reference = JsonMapper.builder()
                .build()
                .readTree(BUNDLE.resolve("reference.json").toFile());
        ImageDecoder decoder = new ImageDecoder(ImageDecoder.DEFAULT_MAX_PIXELS);
        try (ClipModel clip = ClipModel.open(BUNDLE.toString(), ModelOptions.defaults())) {
            assertThat(clip.bundle().image().preprocess().size()).isNotEqualTo(224);
            assertThat(clip.bundle().text().positionIds()).isNull();
            for (JsonNode image : reference.get("images")) {
                Path file = BUNDLE.resolve(image.get("file").asString()).normalize();
                float cosine = Embeddings.dot(
                        clip.images().encode(decoder.decode(file).rgb()),
                        DemoBundleTest.floats(image.get("embedding")));
                System.out.printf("odd bundle image %-30s cosine %.7f%n", file.getFileName(), cosine);
                assertThat(cosine).isGreaterThanOrEqualTo(0.9999f);
            }
            for (JsonNode text : reference.get("texts")) {
                float cosine = Embeddings.dot(
                        clip.texts().encode(text.get("text").asString()), DemoBundleTest.floats(text.get("embedding")));
                assertThat(cosine).as("text '%s'", text.get("text").asString()).isGreaterThanOrEqualTo(0.9999f);
            }
        }
    }
}
