package io.koclip.search.model;

import io.koclip.search.image.PreprocessSpec;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A validated description of a CLIP-style dual encoder: everything model-specific that the engine
 * needs (tensor names, sizes, preprocessing, tokenizer, templates). Loaded by {@link BundleLoader}
 * from a {@code koclip-bundle/1} folder, an Immich-style CLIP folder, or the embedded demo.
 *
 * @param name the bundle's name, recorded in the index
 * @param location where it was loaded from, for logs and errors
 * @param embeddingDim width of both towers' output embeddings
 * @param logitScale CLIP's learned temperature (exp of the logit scale), used for zero-shot softmax
 * @param zeroShot how the model was trained to score an image-text pair, for zero-shot labels
 * @param image the image tower
 * @param text the text tower
 * @param fingerprint hex digest that changes whenever a file of the bundle changes (see {@link BundleLoader})
 * @param files access to the bundle's files
 */
public record ModelBundle(
        String name,
        String location,
        int embeddingDim,
        float logitScale,
        ZeroShot zeroShot,
        ImageSpec image,
        TextSpec text,
        String fingerprint,
        BundleFiles files) {

    /** Bundle format this engine reads. */
    public static final String FORMAT = "koclip-bundle/1";

    /** The pair loss a dual encoder was trained with. */
    public enum Loss {
        /** CLIP's contrastive softmax over a batch: labels are scored with softmax(logitScale × cosine). */
        SOFTMAX,
        /** SigLIP's per-pair sigmoid(logitScale × cosine + logitBias): each label on its own. */
        SIGMOID
    }

    /**
     * How the model scores an image-text pair.
     *
     * @param loss the training loss
     * @param logitBias SigLIP's learned bias, when the bundle carries it (Immich exports do not; the
     *     {@code init_logit_bias} of open_clip's config is its starting value, not the learned one)
     */
    public record ZeroShot(Loss loss, @Nullable Float logitBias) {
        /** A CLIP trained with the contrastive softmax. */
        public static final ZeroShot SOFTMAX = new ZeroShot(Loss.SOFTMAX, null);

        /** True when labels can be scored the way the model was trained. */
        public boolean sigmoidScoring() {
            return loss == Loss.SIGMOID && logitBias != null;
        }
    }

    /**
     * The image tower.
     *
     * @param model ONNX file, relative to the bundle
     * @param input name of the float32 NCHW {@code [batch, 3, size, size]} input
     * @param output name of the {@code [batch, embeddingDim]} output
     * @param preprocess resize, crop and normalization
     * @param variants other precisions of the same graph by name (e.g. {@code int8}), relative files
     */
    public record ImageSpec(
            String model, String input, String output, PreprocessSpec preprocess, Map<String, String> variants) {
        public ImageSpec {
            variants = Map.copyOf(variants);
        }
    }

    /**
     * The text tower.
     *
     * @param model ONNX file, relative to the bundle
     * @param tokenizer Hugging Face {@code tokenizer.json}, relative to the bundle
     * @param inputIds name of the token-id input ({@code [batch, seq]}, int64 or int32)
     * @param attentionMask name of the attention-mask input, or null when the graph has none (OpenCLIP)
     * @param positionIds position-id input and the first position, or null when the graph computes them
     * @param output name of the {@code [batch, embeddingDim]} output
     * @param maxLength tokens per text after truncation, special tokens included
     * @param fixedLength when &gt; 0 every sequence is padded to exactly this length (graphs with a static
     *     sequence axis, such as OpenCLIP's 77)
     * @param padId token id used for padding
     * @param templates prompt templates by language ({@code ko}, {@code en}), each with one {@code {}}
     * @param variants other precisions of the same graph by name (e.g. {@code int8}), relative files
     * @param languageTokens when not empty, the token put straight before every text by its language
     *     ({@code ko} for text with Hangul, else {@code en}): NLLB tokenizers need the FLORES-200 code
     *     ({@code kor_Hang}, {@code eng_Latn}) of the text's language
     */
    public record TextSpec(
            String model,
            String tokenizer,
            String inputIds,
            @Nullable String attentionMask,
            @Nullable PositionIds positionIds,
            String output,
            int maxLength,
            int fixedLength,
            long padId,
            Map<String, List<String>> templates,
            Map<String, String> variants,
            Map<String, String> languageTokens) {
        public TextSpec {
            templates = Map.copyOf(templates);
            variants = Map.copyOf(variants);
            languageTokens = Map.copyOf(languageTokens);
        }

        /**
         * The text as the tokenizer must see it: prefixed with its language's token when the bundle
         * has language tokens (an {@code en} token stands in for a language without one).
         */
        public String withLanguageToken(String text) {
            if (languageTokens.isEmpty()) {
                return text;
            }
            String token = languageTokens.get(PromptTemplates.language(text));
            if (token == null) {
                token = languageTokens.getOrDefault("en", "");
            }
            return token + text;
        }
    }

    /**
     * An explicit position-id input.
     *
     * @param name the input's name
     * @param offset the first position: 0 for KoCLIP exports (its Flax training counted from 0)
     */
    public record PositionIds(String name, int offset) {}
}
