package io.koclip.search.model;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The text tower: strings in, unit-length embeddings out. Tokenizes with the bundle's Hugging Face
 * tokenizer (DJL binding), truncates to {@code maxLength}, pads the batch, and feeds
 * {@code input_ids}, the attention mask and, when the bundle asks for them, explicit position ids
 * counted from the bundle's offset. Bundles with language tokens (NLLB) get the FLORES-200 code of
 * each text's language put before it, as Immich does ({@code kor_Hang빨간 원}).
 *
 * <p>Thread-safe: the DJL tokenizer and the {@link OrtSession} are both safe for concurrent use.
 */
public final class TextEncoder implements AutoCloseable {
    private final OrtEnvironment env;
    private final OrtSession session;
    private final HuggingFaceTokenizer tokenizer;
    private final ModelBundle.TextSpec spec;
    private final OnnxJavaType idType;
    private final int dim;
    private final int maxBatch;

    TextEncoder(
            OrtEnvironment env,
            OrtSession session,
            HuggingFaceTokenizer tokenizer,
            ModelBundle.TextSpec spec,
            OnnxJavaType idType,
            int dim,
            int maxBatch) {
        this.env = env;
        this.session = session;
        this.tokenizer = tokenizer;
        this.spec = spec;
        this.idType = idType;
        this.dim = dim;
        this.maxBatch = maxBatch;
    }

    public int dimension() {
        return dim;
    }

    public ModelBundle.TextSpec spec() {
        return spec;
    }

    /**
     * Token ids for {@code text}, special tokens (and the bundle's language token) included and
     * truncated to {@code maxLength}.
     */
    public long[] tokenize(String text) {
        return tokenizer.encode(spec.withLanguageToken(text)).getIds();
    }

    /** Encodes one text. */
    public float[] encode(String text) {
        return encode(List.of(text))[0];
    }

    /**
     * Encodes a batch of texts.
     *
     * @return one unit vector per text, in order; owned by the caller
     */
    public float[][] encode(List<String> texts) {
        if (texts.isEmpty()) {
            return new float[0][];
        }
        if (texts.size() > maxBatch) {
            // A static batch axis (Immich exports take [1, context_length]): one run per chunk.
            float[][] result = new float[texts.size()][];
            for (int start = 0; start < texts.size(); start += maxBatch) {
                List<String> chunk = texts.subList(start, Math.min(texts.size(), start + maxBatch));
                System.arraycopy(encode(chunk), 0, result, start, chunk.size());
            }
            return result;
        }
        Encoding[] encodings = tokenizer.batchEncode(
                texts.stream().map(spec::withLanguageToken).toList());
        int batch = encodings.length;
        int seq = spec.fixedLength();
        if (seq <= 0) {
            for (Encoding e : encodings) {
                seq = Math.max(seq, e.getIds().length);
            }
        }
        // [batch, seq], row-major; padding positions get padId, mask 0, and continuing position ids.
        long[] ids = new long[batch * seq];
        long[] mask = new long[batch * seq];
        long[] positions = new long[batch * seq];
        Arrays.fill(ids, spec.padId());
        for (int b = 0; b < batch; b++) {
            long[] tokenIds = encodings[b].getIds();
            int n = Math.min(tokenIds.length, seq);
            System.arraycopy(tokenIds, 0, ids, b * seq, n);
            for (int t = 0; t < seq; t++) {
                mask[b * seq + t] = t < n ? 1 : 0;
                positions[b * seq + t] =
                        (spec.positionIds() == null ? 0 : spec.positionIds().offset()) + t;
            }
        }
        long[] shape = {batch, seq};
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try {
            inputs.put(spec.inputIds(), tensor(ids, shape));
            if (spec.attentionMask() != null) {
                inputs.put(spec.attentionMask(), tensor(mask, shape));
            }
            if (spec.positionIds() != null) {
                inputs.put(spec.positionIds().name(), tensor(positions, shape));
            }
            try (OrtSession.Result result = session.run(inputs, Set.of(spec.output()))) {
                return Outputs.unitRows(result, spec.output(), batch, dim);
            }
        } catch (OrtException e) {
            throw new InferenceException("text encoder failed on a batch of " + batch + ": " + e.getMessage(), e);
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    /**
     * One embedding per text from several prompts each (a label under several templates): the
     * normalized mean of the prompts' unit embeddings, or the single prompt's embedding. Every prompt
     * of every text goes through one encoder call.
     *
     * @param promptsPerText for each text, its prompts (at least one)
     * @return one unit vector per text, in order; owned by the caller
     */
    public float[][] encodePrompts(List<List<String>> promptsPerText) {
        List<String> flat = new ArrayList<>();
        for (List<String> prompts : promptsPerText) {
            if (prompts.isEmpty()) {
                throw new IllegalArgumentException("a text has no prompts: " + promptsPerText);
            }
            flat.addAll(prompts);
        }
        // [prompts, dim]: every prompt of every text, in order
        float[][] encoded = encode(flat);
        float[][] result = new float[promptsPerText.size()][];
        int next = 0;
        for (int t = 0; t < result.length; t++) {
            int count = promptsPerText.get(t).size();
            result[t] = count == 1
                    ? encoded[next]
                    : Embeddings.meanOfUnitVectors(Arrays.copyOfRange(encoded, next, next + count));
            next += count;
        }
        return result;
    }

    /** An int64 tensor, or int32 when the graph wants it (OpenCLIP's {@code text} input). */
    private OnnxTensor tensor(long[] values, long[] shape) throws OrtException {
        if (idType == OnnxJavaType.INT32) {
            int[] narrow = new int[values.length];
            for (int i = 0; i < values.length; i++) {
                narrow[i] = Math.toIntExact(values[i]);
            }
            return OnnxTensor.createTensor(env, IntBuffer.wrap(narrow), shape);
        }
        return OnnxTensor.createTensor(env, LongBuffer.wrap(values), shape);
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
