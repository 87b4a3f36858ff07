import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs one ONNX graph with ONNX Runtime Java on raw little-endian tensors, for the KoCLIP tool tests
 * and the int8 figures (the Python side has no onnxruntime package here). Not part of the engine.
 *
 * <pre>
 * java -cp onnxruntime.jar OrtRun.java MODEL.onnx[,MODEL2.onnx...] OUTPUT_NAME [--threads N] [--repeat N] NAME:f32|i64:D0,D1,..:FILE ...
 * </pre>
 *
 * Prints one JSON line: {"results":[{"shape":[...],"values":[...],"loadMs":..,"runMs":[..]}, ...]}, one
 * result per model; runMs has one entry per repeat after one warm-up run, and the models' runs alternate.
 */
public final class OrtRun {
    public static void main(String[] args) throws Exception {
        String[] models = args[0].split(",");
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
        List<OrtSession> sessions = new ArrayList<>();
        double[] loadMs = new double[models.length];
        Map<String, OnnxTensor> inputs = new LinkedHashMap<>();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            options.setIntraOpNumThreads(threads);
            options.setInterOpNumThreads(1);
            for (int m = 0; m < models.length; m++) {
                long start = System.nanoTime();
                sessions.add(env.createSession(Path.of(models[m]).toString(), options));
                loadMs[m] = (System.nanoTime() - start) / 1e6;
            }
            for (String[] spec : specs.values()) {
                inputs.put(spec[0], tensor(env, spec));
            }
            float[][] values = new float[models.length][];
            long[][] shapes = new long[models.length][];
            double[][] runMs = new double[models.length][repeat];
            // One warm-up run each, then the models alternate so that load from other processes hits all alike.
            for (int r = -1; r < repeat; r++) {
                for (int m = 0; m < models.length; m++) {
                    long t0 = System.nanoTime();
                    try (OrtSession.Result result = sessions.get(m).run(inputs)) {
                        if (r >= 0) {
                            runMs[m][r] = (System.nanoTime() - t0) / 1e6;
                        }
                        OnnxTensor out = (OnnxTensor) result.get(output)
                                .orElseThrow(() -> new IllegalArgumentException("no output " + output));
                        shapes[m] = out.getInfo().getShape();
                        var buffer = out.getFloatBuffer();
                        values[m] = new float[buffer.remaining()];
                        buffer.get(values[m]);
                    }
                }
            }
            StringBuilder json = new StringBuilder("{\"results\":[");
            for (int m = 0; m < models.length; m++) {
                json.append(m == 0 ? "" : ",").append("{\"shape\":").append(Arrays.toString(shapes[m]));
                json.append(",\"values\":[");
                for (int i = 0; i < values[m].length; i++) {
                    json.append(i == 0 ? "" : ",").append(values[m][i]);
                }
                json.append("],\"loadMs\":").append(loadMs[m]).append(",\"runMs\":").append(Arrays.toString(runMs[m]));
                json.append('}');
            }
            System.out.println(json.append("]}"));
        } finally {
            inputs.values().forEach(OnnxTensor::close);
            for (OrtSession session : sessions) {
                session.close();
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
