package io.koclip.search.image;

import io.koclip.search.image.DecodeOptions.Backend;
import io.koclip.search.image.DecodeOptions.Shrink;
import io.koclip.search.model.ClipModel;
import io.koclip.search.model.ModelOptions;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The decode benchmark, a test-scope main (not a unit test: it prints figures, asserts nothing).
 *
 * <pre>
 * /usr/bin/python3 src/tools/decode/make_photos.py /tmp/koclip-decode-bench
 * java -cp target/test-classes:target/classes:$(cat /tmp/cp.txt) --enable-native-access=ALL-UNNAMED \
 *     io.koclip.search.image.DecodeBench /tmp/koclip-decode-bench speed|fidelity|soak [runs|decodes]
 * </pre>
 *
 * <ul>
 *   <li>{@code speed}: per file, process CPU ms per decode (median of {@code runs} after one
 *       warm-up) and of preprocessing the result to the demo model's tensor, for ImageIO, libvips
 *       exact and libvips fast (short side kept at least 2x the model input);
 *   <li>{@code fidelity}: per JPEG, the demo model's input tensor and embedding from libvips
 *       exact, fast (2x) and fast (1x) against the ImageIO path: max abs tensor difference
 *       (normalized units) and embedding cosine;
 *   <li>{@code soak}: {@code decodes} libvips decodes of a JPEG, an HEIC and a truncated JPEG in
 *       turn, printing the process RSS every tenth of the way (flat = no native leak).
 * </ul>
 */
public final class DecodeBench {
    /**
     * Process CPU time, not the calling thread's: libvips decodes on its own worker thread (one per
     * pipeline here), which thread CPU time would not see. The bench is single-threaded, so the
     * process time is the decode plus some JIT and GC noise.
     */
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private DecodeBench() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "/tmp/koclip-decode-bench");
        String mode = args.length > 1 ? args[1] : "speed";
        int count = args.length > 2 ? Integer.parseInt(args[2]) : -1;
        System.out.println("native decoding: " + ImageDecoder.nativeStatus());
        switch (mode) {
            case "speed" -> speed(dir, count > 0 ? count : 5);
            case "fidelity" -> {
                fidelity(dir);
                fidelity224(dir);
            }
            case "soak" -> soak(dir, count > 0 ? count : 10_000, args.length > 3 ? args[3] : "all");
            default -> throw new IllegalArgumentException("mode: '" + mode + "' is not one of speed, fidelity, soak");
        }
    }

    private static List<Path> files(Path dir, String... suffixes) throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return list.filter(p -> Arrays.stream(suffixes)
                            .anyMatch(s -> p.getFileName().toString().endsWith(s)))
                    .sorted()
                    .toList();
        }
    }

    private static ImageDecoder decoder(Backend backend, DecodeOptions options) {
        return new ImageDecoder(ImageDecoder.DEFAULT_MAX_PIXELS, Duration.ofMinutes(1), options.withBackend(backend));
    }

    private static void speed(Path dir, int runs) throws Exception {
        try (ClipModel model = ClipModel.open("demo", ModelOptions.defaults())) {
            ImagePreprocessor pre = model.images().preprocessor();
            int size = pre.spec().size();
            ImageDecoder imageio = decoder(Backend.IMAGEIO, DecodeOptions.DEFAULT);
            ImageDecoder exact = decoder(Backend.LIBVIPS, DecodeOptions.DEFAULT);
            ImageDecoder fast = decoder(Backend.LIBVIPS, DecodeOptions.fast(size));
            System.out.printf(
                    Locale.ROOT,
                    "process CPU ms per decode (+ preprocess to %dx%d), median of %d after 1 warm-up%n",
                    size,
                    size,
                    runs);
            System.out.printf(
                    Locale.ROOT,
                    "%-26s %11s %20s %20s %20s%n",
                    "file",
                    "size",
                    "imageio",
                    "libvips exact",
                    "libvips fast");
            for (Path file : files(dir, ".jpg", ".png", ".heic", ".avif")) {
                byte[] bytes = Files.readAllBytes(file);
                ImageHeader header = imageio.probe(bytes);
                StringBuilder line = new StringBuilder(String.format(
                        Locale.ROOT, "%-26s %11s", file.getFileName(), header.width() + "x" + header.height()));
                for (ImageDecoder d : List.of(imageio, exact, fast)) {
                    boolean heif = header.format() == ImageFormat.HEIC || header.format() == ImageFormat.AVIF;
                    if (heif && d == imageio) {
                        line.append(String.format(Locale.ROOT, " %20s", "unsupported"));
                        continue;
                    }
                    double[] ms = time(d, pre, bytes, runs);
                    line.append(String.format(Locale.ROOT, " %10.1f (+%6.1f)", ms[0], ms[1]));
                }
                System.out.println(line);
            }
        }
    }

    /** {decode ms, preprocess ms}: medians of thread CPU time. */
    private static double[] time(ImageDecoder d, ImagePreprocessor pre, byte[] bytes, int runs) throws Exception {
        pre.toTensor(d.decode(bytes).rgb()); // warm-up
        double[] decode = new double[runs];
        double[] preprocess = new double[runs];
        for (int i = 0; i < runs; i++) {
            long t0 = OS.getProcessCpuTime();
            DecodedImage image = d.decode(bytes);
            long t1 = OS.getProcessCpuTime();
            pre.toTensor(image.rgb());
            long t2 = OS.getProcessCpuTime();
            decode[i] = (t1 - t0) / 1e6;
            preprocess[i] = (t2 - t1) / 1e6;
        }
        return new double[] {median(decode), median(preprocess)};
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static void fidelity(Path dir) throws Exception {
        try (ClipModel model = ClipModel.open("demo", ModelOptions.defaults())) {
            ImagePreprocessor pre = model.images().preprocessor();
            int size = pre.spec().size();
            ImageDecoder imageio = decoder(Backend.IMAGEIO, DecodeOptions.DEFAULT);
            ImageDecoder exact = decoder(Backend.LIBVIPS, DecodeOptions.DEFAULT);
            ImageDecoder fast2 = decoder(Backend.LIBVIPS, DecodeOptions.fast(size));
            ImageDecoder fast1 = decoder(Backend.LIBVIPS, new DecodeOptions(Backend.AUTO, Shrink.FAST, size));
            System.out.printf(
                    Locale.ROOT,
                    "demo model input %dx%d; against the ImageIO (PIL-exact) tensor and embedding:%n",
                    size,
                    size);
            System.out.printf(
                    Locale.ROOT,
                    "%-26s %-22s %14s %14s %12s%n",
                    "file",
                    "path (decoded size)",
                    "max |dt|",
                    "mean |dt|",
                    "cosine");
            for (Path file : files(dir, ".jpg")) {
                byte[] bytes = Files.readAllBytes(file);
                float[] reference = pre.toTensor(imageio.decode(bytes).rgb());
                float[] refEmbedding = model.images().encodeTensors(List.of(reference))[0];
                for (var entry : List.of(
                        new Object[] {"libvips exact", exact},
                        new Object[] {"libvips fast 2x", fast2},
                        new Object[] {"libvips fast 1x", fast1})) {
                    DecodedImage decoded = ((ImageDecoder) entry[1]).decode(bytes);
                    float[] tensor = pre.toTensor(decoded.rgb());
                    float[] embedding = model.images().encodeTensors(List.of(tensor))[0];
                    double max = 0;
                    double sum = 0;
                    for (int i = 0; i < tensor.length; i++) {
                        double diff = Math.abs(tensor[i] - reference[i]);
                        max = Math.max(max, diff);
                        sum += diff;
                    }
                    System.out.printf(
                            Locale.ROOT,
                            "%-26s %-22s %14.6f %14.6f %12.6f%n",
                            file.getFileName(),
                            entry[0] + " (" + decoded.width() + "x" + decoded.height() + ")",
                            max,
                            sum / tensor.length,
                            cosine(embedding, refEmbedding));
                }
            }
        }
    }

    /**
     * The CLIP ViT 224 recipe on the same files, for what a full-size model would see: input-tensor
     * differences and the cosine between the input tensors themselves (no 224 model ships in the repo).
     */
    private static void fidelity224(Path dir) throws Exception {
        PreprocessSpec clip = new PreprocessSpec(
                224,
                PreprocessSpec.Resize.SHORTEST_EDGE,
                PreprocessSpec.Interpolation.BICUBIC,
                true,
                new float[] {0.48145466f, 0.4578275f, 0.40821073f},
                new float[] {0.26862954f, 0.26130258f, 0.27577711f});
        ImagePreprocessor pre = new ImagePreprocessor(clip);
        ImageDecoder imageio = decoder(Backend.IMAGEIO, DecodeOptions.DEFAULT);
        System.out.println("CLIP 224 recipe; against the ImageIO (PIL-exact) input tensor:");
        System.out.printf(
                Locale.ROOT,
                "%-26s %-22s %14s %14s %14s%n",
                "file",
                "path (decoded size)",
                "max |dt|",
                "mean |dt|",
                "tensor cosine");
        for (Path file : files(dir, ".jpg")) {
            byte[] bytes = Files.readAllBytes(file);
            float[] reference = pre.toTensor(imageio.decode(bytes).rgb());
            for (int floor : new int[] {448, 224}) {
                DecodedImage decoded = decoder(Backend.LIBVIPS, new DecodeOptions(Backend.AUTO, Shrink.FAST, floor))
                        .decode(bytes);
                float[] tensor = pre.toTensor(decoded.rgb());
                double max = 0;
                double sum = 0;
                for (int i = 0; i < tensor.length; i++) {
                    double diff = Math.abs(tensor[i] - reference[i]);
                    max = Math.max(max, diff);
                    sum += diff;
                }
                System.out.printf(
                        Locale.ROOT,
                        "%-26s %-22s %14.6f %14.6f %14.6f%n",
                        file.getFileName(),
                        "fast " + (floor / 224) + "x (" + decoded.width() + "x" + decoded.height() + ")",
                        max,
                        sum / tensor.length,
                        cosine(tensor, reference));
            }
        }
    }

    private static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }

    /** @param kind {@code all} (the three in turn), {@code jpeg}, {@code avif} or {@code truncated} */
    private static void soak(Path dir, int decodes, String kind) throws Exception {
        ImageDecoder vips = decoder(Backend.LIBVIPS, DecodeOptions.DEFAULT);
        byte[] jpeg = TestImages.jpeg(TestImages.noisy(800, 600, 9), 0.9f);
        byte[] truncated = Arrays.copyOf(jpeg, jpeg.length / 2);
        List<byte[]> heifs = new ArrayList<>();
        for (Path p : files(dir, ".avif")) {
            heifs.add(Files.readAllBytes(p));
        }
        if (heifs.isEmpty()) {
            throw new IllegalStateException("soak: no .avif in " + dir + " (run make_photos.py)");
        }
        System.out.printf(
                Locale.ROOT,
                "soak: %d libvips decodes of %s (800x600 JPEG, %s, truncated JPEG)%n",
                decodes,
                kind,
                files(dir, ".avif").get(0).getFileName());
        int fixed = switch (kind) {
            case "all" -> -1;
            case "jpeg" -> 0;
            case "avif" -> 1;
            case "truncated" -> 2;
            default -> throw new IllegalArgumentException("kind: '" + kind + "'");
        };
        long failures = 0;
        for (int i = 0; i <= decodes; i++) {
            if (i % (decodes / 10) == 0) {
                System.gc();
                System.out.printf(
                        Locale.ROOT,
                        "  after %6d decodes: RSS %6d MB, heap committed %4d MB, used %4d MB%n",
                        i,
                        rssKb() / 1024,
                        Runtime.getRuntime().totalMemory() / (1 << 20),
                        (Runtime.getRuntime().totalMemory()
                                        - Runtime.getRuntime().freeMemory())
                                / (1 << 20));
            }
            try {
                vips.decode(
                        switch (fixed >= 0 ? fixed : i % 3) {
                            case 0 -> jpeg;
                            case 1 -> heifs.get(0);
                            default -> truncated;
                        });
            } catch (ImageRejectedException expected) {
                failures++;
            }
        }
        System.out.println("  rejected (truncated): " + failures);
    }

    private static long rssKb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return -1;
    }
}
