package io.koclip.search.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Coverage-guided fuzzing (Jazzer) of the bundle loader's {@code model.json} parsing: a bundle folder
 * with the demo bundle's tokenizer, stand-in graph files (the loader only checks that they exist and
 * hashes them; ONNX Runtime is not involved) and a fuzzed {@code model.json}. Property: a bad manifest
 * is refused with {@link BundleException} whose message names the file, never another exception, and
 * a manifest that loads gives a bundle the encoders can rely on (positive dimension and size, three
 * mean/std values, files inside the bundle).
 *
 * <p>Inputs: {@code src/test/resources/io/koclip/search/model/BundleFuzzTestInputs/modelJson/} (the
 * demo bundle's manifest and variants of it); docs/operations.md, "Fuzzing".
 */
class BundleFuzzTest {
    private static final Path BUNDLE = bundleFolder();

    private static Path bundleFolder() {
        try {
            Path folder = Files.createTempDirectory("koclip-bundle-fuzz");
            folder.toFile().deleteOnExit();
            for (String graph : new String[] {"image_encoder.onnx", "text_encoder.onnx", "int8.onnx"}) {
                Files.writeString(folder.resolve(graph), "stand-in graph: " + graph);
            }
            try (var tokenizer = BundleFuzzTest.class.getResourceAsStream("/models/demo/tokenizer.json")) {
                Files.write(folder.resolve("tokenizer.json"), tokenizer.readAllBytes());
            }
            return folder;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FuzzTest
    @DictionaryEntries({
        "\"format\"",
        "\"koclip-bundle/1\"",
        "\"name\"",
        "\"embeddingDim\"",
        "\"logitScale\"",
        "\"image\"",
        "\"text\"",
        "\"model\"",
        "\"input\"",
        "\"output\"",
        "\"size\"",
        "\"resize\"",
        "\"shortest_edge\"",
        "\"squash\"",
        "\"interpolation\"",
        "\"bicubic\"",
        "\"bilinear\"",
        "\"crop\"",
        "\"center\"",
        "\"none\"",
        "\"mean\"",
        "\"std\"",
        "\"tokenizer\"",
        "\"tokenizer.json\"",
        "\"inputIds\"",
        "\"attentionMask\"",
        "\"positionIds\"",
        "\"offset\"",
        "\"maxLength\"",
        "\"templates\"",
        "\"variants\"",
        "\"int8\"",
        "\"int8.onnx\"",
        "\"image_encoder.onnx\"",
        "\"text_encoder.onnx\"",
        "\"{}\"",
        "\"../\"",
        "null"
    })
    void modelJson(byte[] manifest) throws IOException {
        Files.write(BUNDLE.resolve("model.json"), manifest);
        ModelBundle bundle;
        try {
            bundle = BundleLoader.load(BUNDLE);
        } catch (BundleException refused) {
            assertThat(refused.getMessage()).isNotBlank().contains("model.json");
            return;
        }
        assertThat(bundle.embeddingDim()).isPositive();
        assertThat(bundle.name()).isNotBlank();
        assertThat(bundle.logitScale()).isPositive().isFinite();
        assertThat(bundle.image().preprocess().size()).isPositive();
        assertThat(bundle.text().maxLength()).isPositive();
        assertThat(bundle.fingerprint()).isNotBlank();
        assertThat(Files.isRegularFile(BUNDLE.resolve(bundle.image().model()))).isTrue();
        assertThat(Files.isRegularFile(BUNDLE.resolve(bundle.text().model()))).isTrue();
        assertThat(BUNDLE.resolve(bundle.text().model()).normalize()).startsWith(BUNDLE);
    }
}
