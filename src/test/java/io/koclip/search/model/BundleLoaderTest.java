package io.koclip.search.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Validation that needs no ONNX graph: files, format and field checks with messages naming them. */
class BundleLoaderTest {
    private static final String VALID = """
            {
              "format": "koclip-bundle/1", "name": "tiny", "embeddingDim": 8, "logitScale": 50.0,
              "image": {"model": "image.onnx", "input": "pixel_values", "output": "image_embeds",
                        "size": 32, "resize": "shortest_edge", "interpolation": "bicubic", "crop": "center",
                        "mean": [0.5, 0.5, 0.5], "std": [0.25, 0.25, 0.25]},
              "text": {"model": "text.onnx", "tokenizer": "tokenizer.json", "inputIds": "input_ids",
                       "attentionMask": "attention_mask", "positionIds": {"name": "position_ids", "offset": 0},
                       "output": "text_embeds", "maxLength": 16, "variants": {"int8": "text.int8.onnx"},
                       "templates": {"ko": ["이것은 {}이다."], "en": ["a photo of {}."]}}
            }
            """;

    @TempDir
    Path dir;

    @BeforeEach
    void files() throws IOException {
        Files.write(dir.resolve("image.onnx"), new byte[] {1, 2, 3});
        Files.write(dir.resolve("text.onnx"), new byte[] {4, 5, 6});
        Files.write(dir.resolve("text.int8.onnx"), new byte[] {7});
        Files.writeString(dir.resolve("tokenizer.json"), "{\"model\": {\"vocab\": {\"[PAD]\": 0, \"<pad>\": 1}}}");
    }

    private ModelBundle loadWith(String json) throws IOException {
        Files.writeString(dir.resolve("model.json"), json);
        return BundleLoader.load(dir);
    }

    @Test
    void readsEveryField() throws IOException {
        ModelBundle bundle = loadWith(VALID);
        assertThat(bundle.name()).isEqualTo("tiny");
        assertThat(bundle.embeddingDim()).isEqualTo(8);
        assertThat(bundle.logitScale()).isEqualTo(50f);
        assertThat(bundle.image().preprocess().size()).isEqualTo(32);
        assertThat(bundle.image().preprocess().mean()).containsExactly(0.5f, 0.5f, 0.5f);
        assertThat(bundle.text().positionIds()).isEqualTo(new ModelBundle.PositionIds("position_ids", 0));
        assertThat(bundle.text().maxLength()).isEqualTo(16);
        assertThat(bundle.text().padId()).isZero();
        assertThat(bundle.text().templates().get("ko")).containsExactly("이것은 {}이다.");
        assertThat(bundle.fingerprint()).hasSize(16);
    }

    @Test
    void aClipBundleScoresWithSoftmaxAndHasNoLanguageTokens() throws IOException {
        ModelBundle bundle = loadWith(VALID);
        assertThat(bundle.zeroShot()).isEqualTo(ModelBundle.ZeroShot.SOFTMAX);
        assertThat(bundle.text().languageTokens()).isEmpty();
        assertThat(bundle.text().withLanguageToken("빨간 원")).isEqualTo("빨간 원");
    }

    @Test
    void sigmoidLossBiasAndLanguageTokens() throws IOException {
        Files.writeString(
                dir.resolve("tokenizer.json"),
                "{\"added_tokens\": [{\"id\": 2, \"content\": \"kor_Hang\"}, {\"id\": 3, \"content\": \"eng_Latn\"}],"
                        + " \"model\": {\"vocab\": {\"[PAD]\": 0, \"<pad>\": 1}}}");
        ModelBundle bundle = loadWith(VALID.replace(
                        "\"logitScale\": 50.0,", "\"logitScale\": 50.0, \"loss\": \"sigmoid\", \"logitBias\": -12.5,")
                .replace(
                        "\"maxLength\": 16,",
                        "\"maxLength\": 16, \"languageTokens\": {\"ko\": \"kor_Hang\", \"en\": \"eng_Latn\"},"));
        assertThat(bundle.zeroShot()).isEqualTo(new ModelBundle.ZeroShot(ModelBundle.Loss.SIGMOID, -12.5f));
        assertThat(bundle.zeroShot().sigmoidScoring()).isTrue();
        assertThat(bundle.text().withLanguageToken("빨간 원")).isEqualTo("kor_Hang빨간 원");
        assertThat(bundle.text().withLanguageToken("red circle")).isEqualTo("eng_Latnred circle");
    }

    @Test
    void languageTokensMustBeTokensOfTheTokenizer() {
        assertThatThrownBy(() -> loadWith(VALID.replace(
                        "\"maxLength\": 16,", "\"maxLength\": 16, \"languageTokens\": {\"ko\": \"kor_Hang\"},")))
                .isInstanceOf(BundleException.class)
                .hasMessageContaining("'text.languageTokens.ko'")
                .hasMessageContaining("'kor_Hang'");
        assertThatThrownBy(() -> loadWith(VALID.replace(
                        "\"maxLength\": 16,", "\"maxLength\": 16, \"languageTokens\": {\"ja\": \"[PAD]\"},")))
                .isInstanceOf(BundleException.class)
                .hasMessageContaining("'text.languageTokens.ja' is not a language the engine detects");
    }

    @Test
    void aBiasNeedsTheSigmoidLossAndTheLossIsOneOfTwo() {
        assertThatThrownBy(() ->
                        loadWith(VALID.replace("\"logitScale\": 50.0,", "\"logitScale\": 50.0, \"logitBias\": -10,")))
                .isInstanceOf(BundleException.class)
                .hasMessageContaining("'logitBias' is only meaningful with \"loss\": \"sigmoid\"");
        assertThatThrownBy(() ->
                        loadWith(VALID.replace("\"logitScale\": 50.0,", "\"logitScale\": 50.0, \"loss\": \"hinge\",")))
                .isInstanceOf(BundleException.class)
                .hasMessageContaining("'loss' 'hinge' is not one of softmax, sigmoid");
    }

    @Test
    void variantsNameExistingFiles() throws IOException {
        assertThat(loadWith(VALID).text().variants()).containsEntry("int8", "text.int8.onnx");
        Files.delete(dir.resolve("text.int8.onnx"));
        assertThatThrownBy(() -> BundleLoader.load(dir))
                .isInstanceOf(BundleException.class)
                .hasMessageContaining("'text.variants.int8'")
                .hasMessageContaining("missing");
    }

    @Test
    void fingerprintChangesWithAnyFile() throws IOException {
        String before = loadWith(VALID).fingerprint();
        Files.write(dir.resolve("text.onnx"), new byte[] {4, 5, 7});
        assertThat(BundleLoader.load(dir).fingerprint()).isNotEqualTo(before);
    }

    @Test
    void addingAPrecisionVariantKeepsTheFingerprint() throws IOException {
        Files.delete(dir.resolve("text.int8.onnx"));
        String withoutVariant = loadWith(VALID.replace(", \"variants\": {\"int8\": \"text.int8.onnx\"}", ""))
                .fingerprint();
        Files.write(dir.resolve("text.int8.onnx"), new byte[] {7});
        Files.write(dir.resolve("text.int8.onnx.data"), new byte[] {9, 9});
        Files.writeString(dir.resolve("NOTES.md"), "how this bundle was made");
        assertThat(loadWith(VALID).fingerprint()).isEqualTo(withoutVariant);
        assertThat(loadWith(VALID.replace("\"logitScale\": 50.0", "\"logitScale\": 60.0"))
                        .fingerprint())
                .isNotEqualTo(withoutVariant);
    }

    @Test
    void missingFolder() {
        assertThatThrownBy(() -> BundleLoader.load(dir.resolve("nope")))
                .isInstanceOf(BundleException.class)
                .hasMessageContaining("nope")
                .hasMessageContaining("not a folder");
    }

    @Test
    void folderWithoutAnyLayout() {
        assertThatThrownBy(() -> BundleLoader.load(dir))
                .isInstanceOf(BundleException.class)
                .hasMessageContaining("no model.json");
    }

    @Test
    void unknownFormat() {
        assertThatThrownBy(() -> loadWith(VALID.replace("koclip-bundle/1", "koclip-bundle/9")))
                .isInstanceOf(BundleException.class)
                .hasMessageContaining("model.json")
                .hasMessageContaining("'format'")
                .hasMessageContaining("koclip-bundle/9");
    }

    @Test
    void missingModelFile() throws IOException {
        Files.delete(dir.resolve("text.onnx"));
        assertThatThrownBy(() -> loadWith(VALID))
                .isInstanceOf(BundleException.class)
                .hasMessageContaining("'text.model'")
                .hasMessageContaining("text.onnx");
    }

    @Test
    void meanOfWrongLength() {
        assertThatThrownBy(() -> loadWith(VALID.replace("\"mean\": [0.5, 0.5, 0.5]", "\"mean\": [0.5, 0.5]")))
                .isInstanceOf(BundleException.class)
                .hasMessageContaining("'image.mean'")
                .hasMessageContaining("3 values")
                .hasMessageContaining("got 2");
    }

    @Test
    void stdOfWrongLength() {
        assertThatThrownBy(() -> loadWith(VALID.replace("\"std\": [0.25, 0.25, 0.25]", "\"std\": [0.25]")))
                .isInstanceOf(BundleException.class)
                .hasMessageContaining("'image.std'");
    }

    @Test
    void missingField() {
        assertThatThrownBy(() -> loadWith(VALID.replace("\"embeddingDim\": 8,", "")))
                .isInstanceOf(BundleException.class)
                .hasMessageContaining("'embeddingDim' is missing");
    }

    @Test
    void templateWithoutPlaceholder() {
        assertThatThrownBy(() -> loadWith(VALID.replace("이것은 {}이다.", "이것은 이다.")))
                .isInstanceOf(BundleException.class)
                .hasMessageContaining("templates.ko")
                .hasMessageContaining("no {} placeholder");
    }

    @Test
    void unknownResizeMode() {
        assertThatThrownBy(() -> loadWith(VALID.replace("shortest_edge", "longest_edge")))
                .isInstanceOf(BundleException.class)
                .hasMessageContaining("longest_edge");
    }

    @Test
    void pathOutsideTheBundle() {
        assertThatThrownBy(() -> loadWith(VALID.replace("\"tokenizer.json\"", "\"../tokenizer.json\"")))
                .isInstanceOf(BundleException.class)
                .hasMessageContaining("inside the bundle");
    }

    @Test
    void brokenJson() {
        assertThatThrownBy(() -> loadWith("{ not json"))
                .isInstanceOf(BundleException.class)
                .hasMessageContaining("model.json")
                .hasMessageContaining("cannot read JSON");
    }

    @Test
    void immichLayoutReadsPreprocessConfig() throws IOException {
        Files.createDirectories(dir.resolve("visual"));
        Files.createDirectories(dir.resolve("textual"));
        Files.write(dir.resolve("visual/model.onnx"), new byte[] {1});
        Files.write(dir.resolve("textual/model.onnx"), new byte[] {2});
        Files.writeString(dir.resolve("textual/tokenizer.json"), "{\"model\": {\"vocab\": {\"<pad>\": 1}}}");
        Files.writeString(dir.resolve("config.json"), "{\"embed_dim\": 512, \"text_cfg\": {\"context_length\": 77}}");
        Files.writeString(dir.resolve("visual/preprocess_cfg.json"), """
                {"size": [224, 224], "mode": "RGB", "mean": [0.48145466, 0.4578275, 0.40821073],
                 "std": [0.26862954, 0.26130258, 0.27577711], "interpolation": "bicubic", "resize_mode": "shortest"}
                """);
        ModelBundle bundle = BundleLoader.load(dir);
        assertThat(bundle.embeddingDim()).isEqualTo(512);
        assertThat(bundle.image().preprocess().size()).isEqualTo(224);
        assertThat(bundle.text().maxLength()).isEqualTo(77);
        assertThat(bundle.text().padId()).isEqualTo(1);
    }
}
