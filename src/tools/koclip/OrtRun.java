import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs one ONNX graph with ONNX Runtime Java on raw little-endian tensors, for the KoCLIP tool tests
 * and the int8 figures (the Python side has no onnxruntime package here). Not part of the engine.
 *
 * <pre>
 * java -cp onnxruntime.jar OrtRun.java MODEL.onnx OUTPUT_NAME [--threads N] [--repeat N] NAME:f32|i64:D0,D1,..:FILE ...
 * </pre>
 *
 * Prints one JSON line: {"shape":[...],"values":[...],"loadMs":..,"runMs":[..]} where runMs has one entry
 * per repeat after one warm-up run.
 */
public final class OrtRun {
    public static void main(String[] args) throws Exception {
        Path model = Path.of(args[0]);
        String output = args[1];
        int threads = 0;
        int repeat = 0;
        Map<String, String[]> specs = new LinkedHashMap<>();
        for (int i = 2; i < args.length; i++) {
            switch (args[i]) {
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--repeat" -> repeat = Integer.parseInt(args[++i]);
                default -> {
                    String[] parts = args[i].split(":", 4);
                    specs.put(parts[0], parts);
                }
            }
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        long start = System.nanoTime();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            options.setIntraOpNumThreads(threads);
            options.setInterOpNumThreads(1);
            try (OrtSession session = env.createSession(model.toString(), options)) {
                double loadMs = (System.nanoTime() - start) / 1e6;
                Map<String, OnnxTensor> inputs = new LinkedHashMap<>();
                try {
                    for (String[] spec : specs.values()) {
                        inputs.put(spec[0], tensor(env, spec));
                    }
                    float[] values = null;
                    long[] shape = null;
                    double[] runMs = new double[repeat];
                    for (int r = -1; r < repeat; r++) {
                        long t0 = System.nanoTime();
                        try (OrtSession.Result result = session.run(inputs)) {
                            if (r >= 0) {
                                runMs[r] = (System.nanoTime() - t0) / 1e6;
                            }
                            OnnxTensor out = (OnnxTensor) result.get(output).orElseThrow(
                                    () -> new IllegalArgumentException("no output " + output));
                            shape = out.getInfo().getShape();
                            var buffer = out.getFloatBuffer();
                            values = new float[buffer.remaining()];
                            buffer.get(values);
                        }
                    }
                    StringBuilder json = new StringBuilder("{\"shape\":").append(Arrays.toString(shape));
                    json.append(",\"values\":[");
                    for (int i = 0; i < values.length; i++) {
                        json.append(i == 0 ? "" : ",").append(values[i]);
                    }
                    json.append("],\"loadMs\":").append(loadMs).append(",\"runMs\":").append(Arrays.toString(runMs));
                    System.out.println(json.append('}'));
                } finally {
                    inputs.values().forEach(OnnxTensor::close);
                }
            }
        }
    }

    private static OnnxTensor tensor(OrtEnvironment env, String[] spec) throws IOException, ai.onnxruntime.OrtException {
        long[] shape = Arrays.stream(spec[2].split(",")).mapToLong(Long::parseLong).toArray();
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(Path.of(spec[3]))).order(ByteOrder.LITTLE_ENDIAN);
        return switch (spec[1]) {
            case "f32" -> OnnxTensor.createTensor(env, bytes.asFloatBuffer(), shape);
            case "i64" -> OnnxTensor.createTensor(env, bytes.asLongBuffer(), shape);
            default -> throw new IllegalArgumentException("dtype " + spec[1] + " is not f32 or i64");
        };
    }
}
