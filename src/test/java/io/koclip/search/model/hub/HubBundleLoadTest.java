package io.koclip.search.model.hub;

import static org.assertj.core.api.Assertions.assertThat;

import io.koclip.search.model.BundleLoader;
import io.koclip.search.model.ClipModel;
import io.koclip.search.model.Embeddings;
import io.koclip.search.model.ModelBundle;
import io.koclip.search.model.ModelOptions;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An Immich-layout export (made from the odd test bundle's graphs, as ImmichBundleTest does) is
 * published on the fake Hub, pulled and opened: name and location come from the repo and commit,
 * and the pulled model encodes like the same folder loaded from disk.
 */
class HubBundleLoadTest {
    private static final Path ODD = Path.of("src/test/resources/bundles/odd");

    @TempDir
    Path cache;

    @Test
    void anImmichExportPulledFromTheHubOpensAndEncodes() throws Exception {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("config.json", "{\"embed_dim\": 32, \"text_cfg\": {\"context_length\": 16}}".getBytes());
        files.put("visual/model.onnx", Files.readAllBytes(ODD.resolve("image_encoder.onnx")));
        files.put("visual/preprocess_cfg.json", """
                {"size": [40, 40], "mode": "RGB", "mean": [0.5, 0.4, 0.3], "std": [0.2, 0.25, 0.3],
                 "interpolation": "bicubic", "resize_mode": "shortest", "fill_color": 0}
                """.getBytes());
        files.put("textual/model.onnx", Files.readAllBytes(ODD.resolve("text_encoder.onnx")));
        files.put("textual/tokenizer.json", Files.readAllBytes(ODD.resolve("tokenizer.json")));
        try (FakeHub fake = new FakeHub()) {
            String commit = fake.publish("immich-app/Odd-CLIP", files);
            PulledModel pulled;
            try (ModelHub hub = new ModelHub(fake.settings(cache, null))) {
                pulled = hub.pull(RepoSpec.parse("hf:immich-app/Odd-CLIP"), TransferListener.NONE);
            }
            ModelBundle bundle = BundleLoader.load(pulled);
            assertThat(bundle.name()).isEqualTo("immich-app/Odd-CLIP");
            assertThat(bundle.location()).isEqualTo("hf:immich-app/Odd-CLIP@" + commit);
            try (ClipModel pulledModel = ClipModel.open(bundle, ModelOptions.defaults());
                    ClipModel local = ClipModel.open(BundleLoader.load(pulled.folder()), ModelOptions.defaults())) {
                BufferedImage image = new BufferedImage(40, 40, BufferedImage.TYPE_INT_RGB);
                image.setRGB(10, 10, 0xff0000);
                assertThat(Embeddings.dot(
                                pulledModel.images().encode(image),
                                local.images().encode(image)))
                        .isGreaterThan(0.9999f);
                assertThat(Embeddings.dot(
                                pulledModel.texts().encode("고양이"), local.texts().encode("고양이")))
                        .isGreaterThan(0.9999f);
                assertThat(bundle.fingerprint()).isEqualTo(local.bundle().fingerprint());
            }
        }
    }
}
