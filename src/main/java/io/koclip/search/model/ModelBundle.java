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
        ImageSpec image,
        TextSpec text,
        String fingerprint,
        BundleFiles files) {

    /** Bundle format this engine reads. */
    public static final String FORMAT = "koclip-bundle/1";

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
            Map<String, String> variants) {
        public TextSpec {
            templates = Map.copyOf(templates);
            variants = Map.copyOf(variants);
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
