package io.koclip.search.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Decoder + preprocessor against the PIL reference tensors made by
 * {@code src/tools/preprocess/make_reference.py} ({@code src/test/resources/images/manifest.json}).
 * Prints the max and mean absolute difference per image and spec, in normalized units (one 8-bit
 * level is 1 / 255 / std, about 0.015 for CLIP's std).
 */
class PreprocessFidelityTest {
    private static final String ROOT = "/images/";

    /**
     * Images whose decoder differs from PIL's, with their bounds on the max and mean abs difference
     * (normalized units). Everything else must be exact: PNG, GIF, BMP, TIFF, WebP lossless and JPEG
     * (the JDK's libjpeg and PIL's libjpeg-turbo share the islow IDCT and fancy upsampling) decode
     * to the same 8-bit pixels, and the resampler is bit-exact. WebP lossy differs: TwelveMonkeys'
     * VP8 decoder upsamples chroma by pixel replication and rounds YUV to RGB differently from
     * libwebp (about 2 levels on average, more at sharp colour edges).
     */
    private static final Map<String, double[]> APPROXIMATE = Map.of("webp_lossy.webp", new double[] {1.0, 0.05});

    private static final double EXACT = 1e-6;
    private static final Map<String, String> SUMMARY = new TreeMap<>();

    @TestFactory
    List<DynamicTest> javaMatchesPil() throws IOException {
        JsonNode manifest;
        try (InputStream in = resource("manifest.json")) {
            manifest = new ObjectMapper().readTree(in);
        }
        JsonNode specs = manifest.get("specs");
        ImageDecoder decoder = new ImageDecoder(ImageDecoder.DEFAULT_MAX_PIXELS);
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode image : manifest.get("images")) {
            String file = image.get("file").asString();
            for (JsonNode ref : image.get("references")) {
                String specName = ref.get("spec").asString();
                tests.add(DynamicTest.dynamicTest(file + " " + specName, () -> {
                    DecodedImage decoded = decoder.decode(readAll(file));
                    assertThat(decoded.format()).isEqualTo(image.get("format").asString());
                    assertThat(decoded.width()).isEqualTo(image.get("width").asInt());
                    assertThat(decoded.height()).isEqualTo(image.get("height").asInt());
                    PreprocessSpec spec = spec(specs.get(specName));
                    float[] actual = new ImagePreprocessor(spec).toTensor(decoded.rgb());
                    float[] expected = readTensor(ref.get("file").asString());
                    assertThat(actual).hasSameSizeAs(expected);
                    double max = 0;
                    double sum = 0;
                    int differing = 0;
                    for (int i = 0; i < actual.length; i++) {
                        double d = Math.abs(actual[i] - expected[i]);
                        max = Math.max(max, d);
                        sum += d;
                        differing += actual[i] == expected[i] ? 0 : 1;
                    }
                    double mean = sum / actual.length;
                    String line = String.format(
                            Locale.ROOT,
                            "%-24s %-10s max %.6f  mean %.6f  (%d of %d floats differ)",
                            file,
                            specName,
                            max,
                            mean,
                            differing,
                            actual.length);
                    System.out.println("fidelity " + line);
                    SUMMARY.put(file + " " + specName, line);
                    double[] bounds = APPROXIMATE.getOrDefault(file, new double[] {EXACT, EXACT});
                    assertThat(max).as("max, " + line).isLessThanOrEqualTo(bounds[0]);
                    assertThat(mean).as("mean, " + line).isLessThanOrEqualTo(bounds[1]);
                }));
            }
        }
        return tests;
    }

    @AfterAll
    static void printSummary() {
        System.out.println("fidelity summary (normalized units):");
        SUMMARY.values().forEach(line -> System.out.println("  " + line));
    }

    private static PreprocessSpec spec(JsonNode s) {
        return new PreprocessSpec(
                s.get("size").asInt(),
                PreprocessSpec.Resize.parse(s.get("resize").asString()),
                PreprocessSpec.Interpolation.parse(s.get("interpolation").asString()),
                true,
                floats(s.get("mean")),
                floats(s.get("std")));
    }

    private static float[] floats(JsonNode array) {
        float[] values = new float[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) array.get(i).asDouble();
        }
        return values;
    }

    static byte[] readAll(String name) throws IOException {
        try (InputStream in = resource(name)) {
            return in.readAllBytes();
        }
    }

    private static float[] readTensor(String name) throws IOException {
        byte[] raw;
        try (InputStream in = new GZIPInputStream(resource(name))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            raw = out.toByteArray();
        }
        float[] values = new float[raw.length / 4];
        ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
        return values;
    }

    private static InputStream resource(String name) throws IOException {
        InputStream in = PreprocessFidelityTest.class.getResourceAsStream(ROOT + name);
        if (in == null) {
            throw new IOException("test resource missing: " + ROOT + name);
        }
        return in;
    }
}
