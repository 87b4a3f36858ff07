package io.koclip.search.model;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;

/** Reads embedding outputs from session results. */
final class Outputs {
    private Outputs() {}

    /** Copies a {@code [batch, dim]} float output into unit rows. */
    static float[][] unitRows(OrtSession.Result result, String name, int batch, int dim) {
        OnnxValue value =
                result.get(name).orElseThrow(() -> new IllegalStateException("graph output '" + name + "' missing"));
        if (!(value instanceof OnnxTensor tensor)) {
            throw new IllegalStateException("graph output '" + name + "' is not a tensor");
        }
        long[] shape = tensor.getInfo().getShape();
        if (shape.length != 2 || shape[0] != batch || shape[1] != dim) {
            throw new IllegalStateException("graph output '" + name + "' has shape " + java.util.Arrays.toString(shape)
                    + ", expected [" + batch + ", " + dim + "] (embeddingDim " + dim + ")");
        }
        FloatBuffer buffer = tensor.getFloatBuffer();
        float[][] rows = new float[batch][dim];
        for (int i = 0; i < batch; i++) {
            buffer.get(rows[i]);
            Embeddings.normalizeInPlace(rows[i]);
        }
        return rows;
    }
}
