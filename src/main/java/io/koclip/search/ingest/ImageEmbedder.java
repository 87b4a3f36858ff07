package io.koclip.search.ingest;

import io.koclip.search.model.ClipModel;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * What the ingest pipeline needs from a model: preprocess one image into a tensor (on a worker
 * thread), and encode a batch of tensors into unit vectors (on the encoder thread). Narrow so that the
 * pipeline can be tested without a model. Implementations must be thread-safe.
 */
public interface ImageEmbedder {
    /** Model name, for the report. */
    String modelName();

    /** Width of the embeddings. */
    int dimension();

    /** The model input for one upright RGB image, e.g. {@code [3, 224, 224]} CHW floats; owned by the caller. */
    float[] preprocess(BufferedImage rgb);

    /** One unit vector per tensor, in order; owned by the caller. */
    float[][] encode(List<float[]> tensors);

    /** The image tower of a loaded CLIP model (one shared ONNX session, batched). */
    static ImageEmbedder of(ClipModel model) {
        return new ImageEmbedder() {
            @Override
            public String modelName() {
                return model.bundle().name();
            }

            @Override
            public int dimension() {
                return model.bundle().embeddingDim();
            }

            @Override
            public float[] preprocess(BufferedImage rgb) {
                return model.images().preprocessor().toTensor(rgb);
            }

            @Override
            public float[][] encode(List<float[]> tensors) {
                return model.images().encodeTensors(tensors);
            }
        };
    }
}
