package io.koclip.search.eval;

import io.koclip.search.model.ClipModel;
import java.util.ArrayList;
import java.util.List;

/**
 * Caption texts to unit embeddings, in batches, with or without the bundle's prompt templates. With
 * templates a caption becomes the bundle's prompts for its language ({@code ClipModel.templates()}) and
 * its embedding the normalized mean of the prompts' embeddings ({@code TextEncoder.encodePrompts}, the
 * one averaging), a single prompt's embedding as it is. That is exactly what {@code embed --template auto} and the search API compute.
 *
 * <p>Thread-safe if the model is; one call at a time keeps ONNX Runtime's threads to itself.
 */
final class CaptionEncoder {
    private final ClipModel model;
    private final int batch;

    /** @param batch prompts per encoder call */
    CaptionEncoder(ClipModel model, int batch) {
        if (batch < 1) {
            throw new IllegalArgumentException("batch: " + batch + " must be at least 1");
        }
        this.model = model;
        this.batch = batch;
    }

    /** One unit vector per caption, in order. */
    float[][] encode(List<Caption> captions, boolean templates, EvalProgress progress) {
        float[][] out = new float[captions.size()][];
        int next = 0;
        while (next < captions.size()) {
            // Whole captions per batch, so a caption's prompts are averaged from one call.
            List<List<String>> prompts = new ArrayList<>();
            int promptCount = 0;
            int first = next;
            while (next < captions.size() && (prompts.isEmpty() || promptCount < batch)) {
                List<String> own = templates
                        ? model.templates().prompts(captions.get(next).text())
                        : List.of(captions.get(next).text());
                prompts.add(own);
                promptCount += own.size();
                next++;
            }
            float[][] vectors = model.texts().encodePrompts(prompts);
            System.arraycopy(vectors, 0, out, first, vectors.length);
            progress.advance(next);
        }
        return out;
    }
}
