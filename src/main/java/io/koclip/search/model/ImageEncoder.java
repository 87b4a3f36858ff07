package io.koclip.search.model;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.koclip.search.image.ImagePreprocessor;
import java.awt.image.BufferedImage;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.Map;

/**
 * The image tower: preprocessed pixels in, unit-length embeddings out.
 *
 * <p>Thread-safe: one shared {@link OrtSession} (whose {@code run} is thread-safe) and an immutable
 * preprocessor. Callers bound concurrency themselves (ONNX Runtime already uses every core per call).
 */
public final class ImageEncoder {
    private final OrtEnvironment env;
    private final OrtSession session;
    private final ModelBundle.ImageSpec spec;
    private final ImagePreprocessor preprocessor;
    private final int dim;
    private final int maxBatch;

    /**
     * @param maxBatch the largest batch the graph accepts: 1 for exports with a static batch axis
     *     (Immich's), {@link Integer#MAX_VALUE} when the axis is dynamic
     */
    ImageEncoder(OrtEnvironment env, OrtSession session, ModelBundle.ImageSpec spec, int dim, int maxBatch) {
        this.env = env;
        this.session = session;
        this.spec = spec;
        this.preprocessor = new ImagePreprocessor(spec.preprocess());
        this.dim = dim;
        this.maxBatch = maxBatch;
    }

    /** The preprocessor matching this model (resize, crop, normalization). */
    public ImagePreprocessor preprocessor() {
        return preprocessor;
    }

    public int dimension() {
        return dim;
    }

    /** Preprocesses and encodes one upright RGB image. */
    public float[] encode(BufferedImage rgb) {
        return encodeTensors(List.of(preprocessor.toTensor(rgb)))[0];
    }

    /**
     * Encodes a batch of preprocessed images.
     *
     * @param tensors each {@code [3, size, size]} CHW, as made by {@link #preprocessor()}
     * @return one unit vector per input, in order; owned by the caller
     */
    public float[][] encodeTensors(List<float[]> tensors) {
        if (tensors.size() > maxBatch) {
            // A static batch axis: run the graph once per chunk, batching stays above the session.
            float[][] result = new float[tensors.size()][];
            for (int start = 0; start < tensors.size(); start += maxBatch) {
                List<float[]> chunk = tensors.subList(start, Math.min(tensors.size(), start + maxBatch));
                System.arraycopy(encodeTensors(chunk), 0, result, start, chunk.size());
            }
            return result;
        }
        int size = spec.preprocess().size();
        int length = spec.preprocess().tensorLength();
        if (tensors.isEmpty()) {
            return new float[0][];
        }
        // [batch, 3, size, size], CHW, normalized with the bundle's mean/std
        FloatBuffer pixels = FloatBuffer.allocate(tensors.size() * length);
        for (int i = 0; i < tensors.size(); i++) {
            float[] t = tensors.get(i);
            if (t.length != length) {
                throw new IllegalArgumentException("image tensor " + i + " has " + t.length + " floats, expected 3x"
                        + size + "x" + size + " = " + length);
            }
            pixels.put(t);
        }
        pixels.flip();
        long[] shape = {tensors.size(), 3, size, size};
        try (OnnxTensor input = OnnxTensor.createTensor(env, pixels, shape);
                OrtSession.Result result = session.run(Map.of(spec.input(), input), java.util.Set.of(spec.output()))) {
            return Outputs.unitRows(result, spec.output(), tensors.size(), dim);
        } catch (OrtException e) {
            throw new InferenceException(
                    "image encoder failed on a batch of " + tensors.size() + ": " + e.getMessage(), e);
        }
    }
}
