package io.koclip.search.bench;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.koclip.search.model.BundleLoader;
import io.koclip.search.model.ClipModel;
import io.koclip.search.model.ModelBundle;
import io.koclip.search.model.ModelOptions;
import io.koclip.search.options.ModelMixin;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bench-encoders}: speed of the bundle's two towers through the engine, and the engine's
 * overhead over a bare {@link OrtSession#run} on the same tensors.
 *
 * <ul>
 *   <li>image: images/s at each batch size through {@code ImageEncoder.encodeTensors} (the ingest
 *       path after preprocessing) and through a raw session on a pre-built {@code [batch, 3, size,
 *       size]} tensor;
 *   <li>text: latency p50/p90 of {@code TextEncoder.encode(String)} (tokenize, build tensors, run,
 *       normalize) for texts of 8, 16 and 64 tokens, against a raw session run on pre-built tensors
 *       with exactly the ids the engine's tokenizer made; overhead % = (engine p50 − raw p50) / raw p50.
 * </ul>
 *
 * Engine and raw runs alternate, so load changes on a shared machine hit both alike. The raw
 * session comes from {@link ClipModel#openBareSession}, so it has exactly the engine's session
 * options (provider, optimization level, intra-op threads, spinning).
 */
@Command(
        name = "bench-encoders",
        mixinStandardHelpOptions = true,
        description = "Encoder benchmark: image img/s per batch size, text latency per token count, and the"
                + " engine's overhead over a bare ONNX Runtime session; one JSON line per setting.")
public final class EncoderBenchCommand implements Callable<Integer> {
    @Mixin
    ModelMixin modelOptions;

    @Option(
            names = "--image-batches",
            split = ",",
            defaultValue = "1,8,32",
            paramLabel = "N,N,...",
            description = "Image batch sizes (default: ${DEFAULT-VALUE}).")
    List<Integer> imageBatches;

    @Option(
            names = "--images",
            defaultValue = "64",
            paramLabel = "N",
            description = "Images timed per batch size, at least 3 batches (default: ${DEFAULT-VALUE}).")
    int images;

    @Option(
            names = "--text-tokens",
            split = ",",
            defaultValue = "8,16,64",
            paramLabel = "N,N,...",
            description = "Text lengths in tokens, special tokens included (default: ${DEFAULT-VALUE}).")
    List<Integer> textTokens;

    @Option(
            names = "--text-runs",
            defaultValue = "20",
            paramLabel = "N",
            description = "Timed runs per text length, each engine and raw (default: ${DEFAULT-VALUE}).")
    int textRuns;

    @Option(names = "--skip-images", description = "Text tower only.")
    boolean skipImages;

    @Option(names = "--skip-text", description = "Image tower only.")
    boolean skipText;

    @Override
    public Integer call() throws Exception {
        try (BenchOutput out = BenchOutput.reserve()) {
            try {
                run(out);
                return 0;
            } catch (IllegalArgumentException
                    | io.koclip.search.model.BundleException
                    | io.koclip.search.model.ProviderUnavailableException e) {
                System.err.println("bench-encoders: " + e.getMessage());
                return 2;
            }
        }
    }

    private void run(BenchOutput out) throws OrtException, IOException {
        if (images < 1 || textRuns < 1) {
            throw new IllegalArgumentException("--images and --text-runs must be >= 1");
        }
        BenchOutput.progress("bench-encoders: %s", Machine.describe());
        ModelOptions options = modelOptions.options();
        ModelBundle bundle = BundleLoader.load(modelOptions.bundle());
        long loadStart = System.nanoTime();
        try (ClipModel clip = ClipModel.open(bundle, options)) {
            double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
            BenchOutput.progress("bench-encoders: %s loaded in %.1f s", bundle.name(), loadSeconds);
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            if (!skipImages) {
                String file = ClipModel.graphFile(clip.bundle(), ClipModel.Tower.IMAGE, options);
                try (OrtSession raw = ClipModel.openBareSession(clip.bundle(), file, options)) {
                    for (int batch : imageBatches) {
                        out.line(imageLine(clip, env, raw, batch, loadSeconds));
                    }
                }
            }
            if (!skipText) {
                String file = ClipModel.graphFile(clip.bundle(), ClipModel.Tower.TEXT, options);
                try (OrtSession raw = ClipModel.openBareSession(clip.bundle(), file, options)) {
                    for (int tokens : textTokens) {
                        out.line(textLine(clip, env, raw, tokens, loadSeconds));
                    }
                }
            }
        }
    }

    private Map<String, Object> common(ClipModel clip, String tower, double loadSeconds) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("bench", tower);
        line.put("engine", "onnxruntime-java");
        line.put("provider", clip.providerSelection().usedName());
        line.put("requestedProvider", clip.providerSelection().requestedName());
        line.put("model", clip.bundle().name());
        line.put(
                "variant",
                modelOptions.options().variant() == null
                        ? "fp32"
                        : modelOptions.options().variant());
        line.put("intraOpThreads", modelOptions.options().intraOpThreads());
        line.put("allowSpinning", modelOptions.options().allowSpinning());
        line.put("loadSeconds", BenchOutput.round(loadSeconds, 2));
        return line;
    }

    private Map<String, Object> imageLine(ClipModel clip, OrtEnvironment env, OrtSession raw, int batch, double load)
            throws OrtException {
        if (batch < 1) {
            throw new IllegalArgumentException("--image-batches: " + batch + " must be >= 1");
        }
        ModelBundle.ImageSpec spec = clip.bundle().image();
        int size = spec.preprocess().size();
        int length = 3 * size * size;
        Random random = new Random(batch);
        List<float[]> tensors = new ArrayList<>(batch);
        FloatBuffer pixels = FloatBuffer.allocate(batch * length);
        for (int i = 0; i < batch; i++) {
            float[] t = new float[length]; // [3, size, size], values like normalized pixels
            for (int j = 0; j < length; j++) {
                t[j] = (float) (random.nextGaussian() * 0.8);
            }
            tensors.add(t);
            pixels.put(t);
        }
        pixels.flip();
        int runs = Math.max(3, (images + batch - 1) / batch);
        Latencies engine = new Latencies(runs);
        Latencies bare = new Latencies(runs);
        // [batch, 3, size, size]: the same values the engine copies from `tensors`
        try (OnnxTensor input = OnnxTensor.createTensor(env, pixels, new long[] {batch, 3, size, size})) {
            Map<String, OnnxTensor> feed = Map.of(spec.input(), input);
            Set<String> output = Set.of(spec.output());
            clip.images().encodeTensors(tensors); // warm-up
            runRaw(raw, feed, output);
            for (int r = 0; r < runs; r++) {
                long t0 = System.nanoTime();
                clip.images().encodeTensors(tensors);
                engine.add(System.nanoTime() - t0);
                t0 = System.nanoTime();
                runRaw(raw, feed, output);
                bare.add(System.nanoTime() - t0);
            }
        }
        Map<String, Object> line = common(clip, "image", load);
        line.put("batch", batch);
        line.put("imagesPerSecond", BenchOutput.round(batch / (engine.meanMillis() / 1000), 2));
        line.put("p50Ms", BenchOutput.round(engine.percentileMillis(50), 2));
        line.put("p90Ms", BenchOutput.round(engine.percentileMillis(90), 2));
        line.put("rawImagesPerSecond", BenchOutput.round(batch / (bare.meanMillis() / 1000), 2));
        line.put("rawP50Ms", BenchOutput.round(bare.percentileMillis(50), 2));
        line.put("overheadPercent", overhead(engine, bare));
        line.put("runs", runs);
        line.put("load", BenchOutput.round(Machine.loadAverage(), 2));
        BenchOutput.progress("bench-encoders: image batch %d done", batch);
        return line;
    }

    private Map<String, Object> textLine(ClipModel clip, OrtEnvironment env, OrtSession raw, int tokens, double load)
            throws OrtException {
        ModelBundle.TextSpec spec = clip.bundle().text();
        String text = textOfTokens(clip, tokens);
        long[] ids = clip.texts().tokenize(text);
        int seq = spec.fixedLength() > 0 ? spec.fixedLength() : ids.length;
        // [1, seq] like TextEncoder builds them: ids padded with padId, mask 1 on tokens, positions offset + t
        long[] paddedIds = new long[seq];
        long[] mask = new long[seq];
        long[] positions = new long[seq];
        java.util.Arrays.fill(paddedIds, spec.padId());
        System.arraycopy(ids, 0, paddedIds, 0, Math.min(ids.length, seq));
        int offset = spec.positionIds() == null ? 0 : spec.positionIds().offset();
        for (int t = 0; t < seq; t++) {
            mask[t] = t < ids.length ? 1 : 0;
            positions[t] = offset + t;
        }
        boolean int32 = type(raw.getInputInfo().get(spec.inputIds())) == OnnxJavaType.INT32;
        Map<String, OnnxTensor> feed = new HashMap<>();
        int runs = textRuns;
        Latencies engine = new Latencies(runs);
        Latencies bare = new Latencies(runs);
        try {
            long[] shape = {1, seq};
            feed.put(spec.inputIds(), tensor(env, paddedIds, shape, int32));
            if (spec.attentionMask() != null) {
                feed.put(spec.attentionMask(), tensor(env, mask, shape, int32));
            }
            if (spec.positionIds() != null) {
                feed.put(spec.positionIds().name(), tensor(env, positions, shape, false));
            }
            Set<String> output = Set.of(spec.output());
            clip.texts().encode(text); // warm-up
            runRaw(raw, feed, output);
            for (int r = 0; r < runs; r++) {
                long t0 = System.nanoTime();
                clip.texts().encode(text);
                engine.add(System.nanoTime() - t0);
                t0 = System.nanoTime();
                runRaw(raw, feed, output);
                bare.add(System.nanoTime() - t0);
            }
        } finally {
            feed.values().forEach(OnnxTensor::close);
        }
        Map<String, Object> line = common(clip, "text", load);
        line.put("tokens", ids.length);
        line.put("p50Ms", BenchOutput.round(engine.percentileMillis(50), 2));
        line.put("p90Ms", BenchOutput.round(engine.percentileMillis(90), 2));
        line.put("rawP50Ms", BenchOutput.round(bare.percentileMillis(50), 2));
        line.put("rawP90Ms", BenchOutput.round(bare.percentileMillis(90), 2));
        line.put("overheadPercent", overhead(engine, bare));
        line.put("runs", runs);
        line.put("load", BenchOutput.round(Machine.loadAverage(), 2));
        BenchOutput.progress("bench-encoders: text %d tokens done", ids.length);
        return line;
    }

    private static double overhead(Latencies engine, Latencies bare) {
        double raw = bare.percentileMillis(50);
        return raw <= 0 ? 0 : BenchOutput.round(100 * (engine.percentileMillis(50) - raw) / raw, 1);
    }

    /**
     * A Korean text whose tokenization (special tokens included) has {@code tokens} ids, or the
     * closest the tokenizer allows (truncation caps it at maxLength).
     */
    static String textOfTokens(ClipModel clip, int tokens) {
        if (tokens < 1) {
            throw new IllegalArgumentException("--text-tokens: " + tokens + " must be >= 1");
        }
        String[] words = {"빨간", "고양이가", "소파", "위에서", "자고", "있다", "푸른", "하늘", "아래", "강아지"};
        StringBuilder text = new StringBuilder();
        int i = 0;
        while (clip.texts().tokenize(text.toString()).length < tokens && i < 4 * tokens) {
            String before = text.toString();
            text.append(text.isEmpty() ? "" : " ").append(words[i % words.length]);
            if (clip.texts().tokenize(text.toString()).length > tokens) {
                // a word of several tokens overshoots: finish with one-syllable words
                text = new StringBuilder(before)
                        .append(before.isEmpty() ? "" : " ")
                        .append("집");
                if (clip.texts().tokenize(text.toString()).length > tokens) {
                    text = new StringBuilder(before);
                    break;
                }
            }
            i++;
        }
        return text.toString();
    }

    private static void runRaw(OrtSession session, Map<String, OnnxTensor> feed, Set<String> output)
            throws OrtException {
        try (OrtSession.Result result = session.run(feed, output)) {
            result.get(0);
        }
    }

    private static OnnxTensor tensor(OrtEnvironment env, long[] values, long[] shape, boolean int32)
            throws OrtException {
        if (int32) {
            int[] narrow = new int[values.length];
            for (int i = 0; i < values.length; i++) {
                narrow[i] = Math.toIntExact(values[i]);
            }
            return OnnxTensor.createTensor(env, IntBuffer.wrap(narrow), shape);
        }
        return OnnxTensor.createTensor(env, LongBuffer.wrap(values), shape);
    }

    private static OnnxJavaType type(NodeInfo info) {
        return info != null && info.getInfo() instanceof TensorInfo t ? t.type : OnnxJavaType.UNKNOWN;
    }
}
