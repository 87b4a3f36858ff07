package io.koclip.search.model;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real {@link ProviderProbe}, in three steps that stop at the first problem:
 *
 * <ol>
 *   <li>the build: the CPU jar of ONNX Runtime lists no CUDA provider;
 *   <li>the libraries: every CUDA and cuDNN library of {@link CudaRequirements#LIBRARIES} is looked
 *       up where the dynamic loader would look ({@link SharedLibraries}), so all the missing ones are
 *       named at once, without ONNX Runtime printing a native error (Linux only);
 *   <li>the device: a one-node graph is opened with the CUDA provider on device 0, which starts
 *       the provider as a model would; its error, if any, is {@linkplain #classify classified}.
 * </ol>
 *
 * <p>Thread-safe; probes once per process (the answer does not change while it runs).
 */
final class SystemProviderProbe implements ProviderProbe {
    static final SystemProviderProbe INSTANCE = new SystemProviderProbe();

    private static final Pattern MISSING_LIBRARY =
            Pattern.compile("(lib[A-Za-z0-9_+-]+\\.so(?:\\.\\d+)*): cannot open shared object file");
    private static final int MAX_DETAIL = 200;

    private Finding finding;

    private SystemProviderProbe() {}

    @Override
    public synchronized Finding cuda() {
        if (finding == null) {
            finding = probe(SharedLibraries.applies() ? Optional.of(SharedLibraries.system()) : Optional.empty());
        }
        return finding;
    }

    private static Finding probe(Optional<SharedLibraries> libraries) {
        if (!OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA)) {
            return Finding.notInBuild();
        }
        List<String> missing =
                libraries.map(l -> l.missing(CudaRequirements.LIBRARIES)).orElse(List.of());
        if (missing.contains(CudaRequirements.DRIVER_LIBRARY)) {
            List<String> others = missing.stream()
                    .filter(l -> !l.equals(CudaRequirements.DRIVER_LIBRARY))
                    .toList();
            return Finding.noDevice("no NVIDIA driver: " + CudaRequirements.DRIVER_LIBRARY + " not found"
                    + (others.isEmpty() ? "" : "; not found either: " + String.join(", ", others)));
        }
        if (!missing.isEmpty()) {
            return Finding.missingLibrary(String.join(", ", missing));
        }
        OrtEnvironment env = OnnxSessions.environment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.addCUDA(0);
            try (OrtSession session = env.createSession(identityGraph(), options)) {
                return Finding.available();
            }
        } catch (OrtException e) {
            return classify(e.getMessage());
        }
    }

    /**
     * Turns an ONNX Runtime error from starting the CUDA provider into a finding. The texts are ONNX
     * Runtime's and CUDA's own: {@code Failed to find CUDA shared provider} (Java API, CPU jar),
     * {@code libX.so.N: cannot open shared object file} (the loader, as ONNX Runtime logs it),
     * {@code CUDA failure 100: no CUDA-capable device is detected}, {@code 101: invalid device
     * ordinal}, {@code 35: CUDA driver version is insufficient for CUDA runtime version}.
     */
    static Finding classify(String message) {
        String text = message == null ? "" : message;
        if (text.contains("Failed to find CUDA shared provider")) {
            return Finding.notInBuild();
        }
        Matcher missing = MISSING_LIBRARY.matcher(text);
        if (missing.find()) {
            String library = missing.group(1);
            return library.equals(CudaRequirements.DRIVER_LIBRARY)
                    ? Finding.noDevice("no NVIDIA driver: " + library + " not found")
                    : Finding.missingLibrary(library);
        }
        if (text.contains("no CUDA-capable device") || text.contains("cudaErrorNoDevice")) {
            return Finding.noDevice("no CUDA-capable device is detected");
        }
        if (text.contains("invalid device ordinal") || text.contains("cudaErrorInvalidDevice")) {
            return Finding.noDevice("invalid device ordinal: the device id is not one of the visible GPUs");
        }
        if (text.contains("driver version is insufficient") || text.contains("cudaErrorInsufficientDriver")) {
            return Finding.driverTooOld("CUDA driver version is insufficient for CUDA runtime version");
        }
        return Finding.failed(shorten(text));
    }

    /** ONNX Runtime's message without its error-code prefix and CUDA's hostname/file/line tail. */
    private static String shorten(String message) {
        String text = message.replaceFirst("^Error code - \\w+ - message: ", "");
        int tail = text.indexOf(" ; GPU=");
        if (tail > 0) {
            text = text.substring(0, tail);
        }
        text = text.strip().replaceAll("\\s+", " ");
        return text.length() <= MAX_DETAIL ? text : text.substring(0, MAX_DETAIL) + "…";
    }

    /**
     * A serialized ONNX model {@code y = Identity(x)}, x and y float [1], opset 13: the smallest graph
     * that makes ONNX Runtime create the CUDA provider (and so set the device). Field numbers are
     * onnx.proto's.
     */
    static byte[] identityGraph() {
        // TensorShapeProto{dim: [Dimension{dim_value: 1}]}
        byte[] shape = message(1, message(1, varint(1, 1)));
        // TypeProto{tensor_type: Tensor{elem_type: FLOAT (1), shape}}
        byte[] type = message(1, concat(varint(1, 1), message(2, shape)));
        byte[] input = concat(text(1, "x"), message(2, type)); // ValueInfoProto{name, type}
        byte[] output = concat(text(1, "y"), message(2, type));
        byte[] node = concat(text(1, "x"), text(2, "y"), text(4, "Identity")); // NodeProto{input, output, op_type}
        byte[] graph = concat(message(1, node), text(2, "cuda-probe"), message(11, input), message(12, output));
        return concat(
                varint(1, 8), // ModelProto.ir_version
                text(2, "koclip-search"), // producer_name
                message(7, graph),
                message(8, varint(2, 13))); // opset_import{domain: "", version: 13}
    }

    private static byte[] varint(int field, long value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeVarint(out, (long) field << 3);
        writeVarint(out, value);
        return out.toByteArray();
    }

    private static byte[] text(int field, String value) {
        return message(field, value.getBytes(StandardCharsets.UTF_8));
    }

    /** A length-delimited field (wire type 2): sub-message, string or bytes. */
    private static byte[] message(int field, byte[] payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeVarint(out, ((long) field << 3) | 2);
        writeVarint(out, payload.length);
        out.writeBytes(payload);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static void writeVarint(ByteArrayOutputStream out, long value) {
        long v = value;
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }
}
