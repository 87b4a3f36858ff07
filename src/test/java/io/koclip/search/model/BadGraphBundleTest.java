package io.koclip.search.model;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bundles whose model.json disagrees with their ONNX graphs fail at open, naming file and field. */
class BadGraphBundleTest {
    @TempDir
    Path dir;

    /** Copies the embedded demo bundle and rewrites its model.json. */
    private Path demoWith(UnaryOperator<String> edit) throws IOException {
        for (String name : List.of("model.json", "image_encoder.onnx", "text_encoder.onnx", "tokenizer.json")) {
            try (InputStream in = getClass().getClassLoader().getResourceAsStream("models/demo/" + name)) {
                Files.copy(in, dir.resolve(name));
            }
        }
        Path json = dir.resolve("model.json");
        Files.writeString(json, edit.apply(Files.readString(json)));
        return dir;
    }

    @Test
    void imageInputNameTheGraphDoesNotHave() throws IOException {
        Path bundle = demoWith(s -> s.replace("\"pixel_values\"", "\"pixels\""));
        assertThatThrownBy(() -> ClipModel.open(bundle.toString(), ModelOptions.defaults()))
                .isInstanceOf(BundleException.class)
                .hasMessageContaining("model.json")
                .hasMessageContaining("'image.input'")
                .hasMessageContaining("'pixels'")
                .hasMessageContaining("pixel_values");
    }

    @Test
    void textOutputNameTheGraphDoesNotHave() throws IOException {
        Path bundle = demoWith(s -> s.replace("\"text_embeds\"", "\"pooled\""));
        assertThatThrownBy(() -> ClipModel.open(bundle.toString(), ModelOptions.defaults()))
                .isInstanceOf(BundleException.class)
                .hasMessageContaining("'text.output'")
                .hasMessageContaining("text_embeds");
    }

    @Test
    void embeddingDimDifferentFromTheGraphs() throws IOException {
        Path bundle = demoWith(s -> s.replaceFirst("\"embeddingDim\"\\s*:\\s*\\d+", "\"embeddingDim\": 7"));
        assertThatThrownBy(() -> ClipModel.open(bundle.toString(), ModelOptions.defaults()))
                .isInstanceOf(BundleException.class)
                .hasMessageContaining("embeddingDim")
                .hasMessageContaining("7");
    }

    @Test
    void positionIdsTheBundleForgot() throws IOException {
        Path bundle = demoWith(s -> s.replaceFirst("\"positionIds\"\\s*:\\s*\\{[^}]*\\}\\s*,", ""));
        assertThatThrownBy(() -> ClipModel.open(bundle.toString(), ModelOptions.defaults()))
                .isInstanceOf(BundleException.class)
                .hasMessageContaining("position_ids");
    }

    @Test
    void imageSizeTheGraphDoesNotTake() throws IOException {
        Path bundle = demoWith(s -> s.replaceFirst("\"size\"\\s*:\\s*\\d+", "\"size\": 48"));
        assertThatThrownBy(() -> ClipModel.open(bundle.toString(), ModelOptions.defaults()))
                .isInstanceOf(BundleException.class)
                .hasMessageContaining("48");
    }

    @Test
    void notAnOnnxFile() throws IOException {
        Path bundle = demoWith(s -> s);
        Files.writeString(bundle.resolve("image_encoder.onnx"), "this is not a graph");
        assertThatThrownBy(() -> ClipModel.open(bundle.toString(), ModelOptions.defaults()))
                .isInstanceOf(BundleException.class)
                .hasMessageContaining("image_encoder.onnx")
                .hasMessageContaining("cannot load the graph");
    }

    @Test
    void cudaWithoutAGpuIsAClearError() {
        org.junit.jupiter.api.Assumptions.assumeFalse(
                ai.onnxruntime.OrtEnvironment.getAvailableProviders().contains(ai.onnxruntime.OrtProvider.CUDA),
                "this ONNX Runtime build has CUDA");
        assertThatThrownBy(() -> ClipModel.open("demo", new ModelOptions(ExecutionProvider.CUDA, 0, false)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cuda")
                .hasMessageContaining("-Pcuda");
    }
}
