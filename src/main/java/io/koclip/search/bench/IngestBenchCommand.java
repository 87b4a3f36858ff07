package io.koclip.search.bench;

import io.koclip.search.image.DecodeOptions;
import io.koclip.search.image.DecodedImage;
import io.koclip.search.image.ImageDecoder;
import io.koclip.search.image.ImagePreprocessor;
import io.koclip.search.image.ImageRejectedException;
import io.koclip.search.index.IndexOptions;
import io.koclip.search.index.IndexSpec;
import io.koclip.search.index.ModelIdentity;
import io.koclip.search.index.VectorFormat;
import io.koclip.search.index.VectorIndex;
import io.koclip.search.index.lucene.LuceneBackend;
import io.koclip.search.ingest.IngestJob;
import io.koclip.search.ingest.IngestOptions;
import io.koclip.search.ingest.IngestReport;
import io.koclip.search.ingest.ProgressListener;
import io.koclip.search.model.BundleException;
import io.koclip.search.model.ClipModel;
import io.koclip.search.model.Embeddings;
import io.koclip.search.model.ModelOptions;
import io.koclip.search.options.DecodeMixin;
import io.koclip.search.options.ModelMixin;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bench-ingest}: images/s of the product's ingest job ({@link IngestJob}: scan, read and hash,
 * decode, preprocess, batched encoder, Lucene writer) over a folder, into a new index, with the
 * job's own time breakdown. Prints one JSON line.
 *
 * <p>With {@code --subsample-drift N}, it also measures what decoding large JPEGs with
 * {@link ImageReadParam#setSourceSubsampling} would save and cost, on the N largest images: decode
 * time, tensor difference and embedding cosine against the normal decode. Only a measurement: the
 * image package decodes at full size.
 */
@Command(
        name = "bench-ingest",
        mixinStandardHelpOptions = true,
        description = "Ingest benchmark: images/s of the ingest job over a folder (decode/encode/index breakdown),"
                + " into a new temporary index; one JSON line.")
public final class IngestBenchCommand implements Callable<Integer> {
    @Mixin
    ModelMixin modelOptions;

    @Mixin
    DecodeMixin decode;

    @Option(names = "--source", required = true, paramLabel = "DIR", description = "Image folder.")
    Path source;

    @Option(
            names = "--batch",
            defaultValue = "" + IngestOptions.DEFAULT_BATCH_SIZE,
            paramLabel = "N",
            description = "Images per encoder call (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--workers", paramLabel = "N", description = "Decode threads (default: the job's default).")
    Integer workers;

    @Option(
            names = "--decode-timeout",
            paramLabel = "S",
            description = "Time budget of one decode, in seconds (default: the job's, 20); raise it on a loaded"
                    + " machine, where a 12 MP progressive JPEG can take longer.")
    Integer decodeTimeoutSeconds;

    @Option(
            names = "--vectors",
            defaultValue = "float32",
            paramLabel = "float32|int8|int4|bbq",
            description = "Vector format (default: ${DEFAULT-VALUE}).")
    String vectors;

    @Option(
            names = "--subsample-drift",
            defaultValue = "0",
            paramLabel = "N",
            description = "Also measure subsampled JPEG decoding on the N largest images (default: off).")
    int subsampleDrift;

    @Override
    public Integer call() throws Exception {
        try (BenchOutput out = BenchOutput.reserve()) {
            try {
                run(out);
                return 0;
            } catch (IllegalArgumentException
                    | BundleException
                    | io.koclip.search.model.ProviderUnavailableException e) {
                System.err.println("bench-ingest: " + e.getMessage());
                return 2;
            }
        }
    }

    private void run(BenchOutput out) throws IOException {
        if (!Files.isDirectory(source)) {
            throw new IllegalArgumentException("--source " + source + " is not a folder");
        }
        BenchOutput.progress("bench-ingest: %s", Machine.describe());
        long files = 0;
        long bytes = 0;
        try (Stream<Path> walk = Files.walk(source)) {
            for (Iterator<Path> it = walk.filter(Files::isRegularFile).iterator(); it.hasNext(); ) {
                files++;
                bytes += Files.size(it.next());
            }
        }
        ModelOptions encoderOptions = modelOptions.options();
        Path folder = Files.createTempDirectory("koclip-bench-ingest");
        try (ClipModel clip = ClipModel.open(modelOptions.bundle(), encoderOptions)) {
            IngestOptions defaults = IngestOptions.defaults(source);
            IngestOptions options =
                    defaults.withBatchSize(batch).withWorkers(workers != null ? workers : defaults.workers());
            if (decodeTimeoutSeconds != null) {
                options = options.withDecodeTimeout(java.time.Duration.ofSeconds(decodeTimeoutSeconds));
            }
            IngestReport report;
            DecodeOptions decoding =
                    decode.options(clip.bundle().image().preprocess().size());
            ImageDecoder decoder = new ImageDecoder(options.maxPixels(), options.decodeTimeout(), decoding);
            long cpu0 = processCpuNanos();
            try (VectorIndex index = new LuceneBackend(folder)
                    .open(new IndexSpec(
                            ModelIdentity.of(clip.bundle()),
                            IndexOptions.defaults().withVectors(VectorFormat.parse(vectors))))) {
                report = new IngestJob(clip, index, options, decoding).run(ProgressListener.NONE, () -> false);
            }
            double runCpuSeconds = (processCpuNanos() - cpu0) / 1e9;
            IngestReport.Timings t = report.timings();
            double encoded = Math.max(1, report.encoded());
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("bench", "ingest");
            line.put("engine", "koclip-search");
            line.put("provider", clip.providerSelection().usedName());
            line.put("requestedProvider", clip.providerSelection().requestedName());
            line.put("model", clip.bundle().name());
            line.put(
                    "variant",
                    modelOptions.options().variant() == null
                            ? "fp32"
                            : modelOptions.options().variant());
            line.put("files", files);
            line.put("megabytes", BenchOutput.round(bytes / 1e6, 1));
            line.put("encoded", report.encoded());
            line.put("failed", report.failed());
            line.put("seconds", BenchOutput.round(report.seconds(), 2));
            line.put("imagesPerSecond", BenchOutput.round(report.imagesPerSecond(), 2));
            line.put("batch", options.batchSize());
            line.put("workers", options.workers());
            line.put("intraOpThreads", modelOptions.options().intraOpThreads());
            line.put("allowSpinning", modelOptions.options().allowSpinning());
            // Per image; worker stages are summed over the decode workers (CPU time, not wall time).
            line.put("readMsPerImage", BenchOutput.round(1000 * t.read() / encoded, 1));
            line.put("decodeMsPerImage", BenchOutput.round(1000 * t.decode() / encoded, 1));
            line.put("preprocessMsPerImage", BenchOutput.round(1000 * t.preprocess() / encoded, 1));
            line.put("encodeMsPerImage", BenchOutput.round(1000 * t.encode() / encoded, 1));
            line.put("indexMsPerImage", BenchOutput.round(1000 * t.index() / encoded, 2));
            line.put("commitSeconds", BenchOutput.round(t.commit(), 2));
            line.put("encoderIdleSeconds", BenchOutput.round(t.encoderIdle(), 2));
            line.put("workersBlockedSeconds", BenchOutput.round(t.workersBlocked(), 2));
            // Shares: the encoder's idle time of the run's wall time; decoding's CPU (measured again,
            // one file at a time on an otherwise idle process, so libvips' own threads count) of the
            // whole run's process CPU.
            line.put("decoder", decoder.describe());
            line.put("encoderIdleShare", BenchOutput.round(t.encoderIdle() / Math.max(1e-9, report.seconds()), 3));
            line.put("cpuSeconds", BenchOutput.round(runCpuSeconds, 2));
            double decodeCpuMs = decodeCpuMsPerImage(decoder);
            line.put("decodeCpuMsPerImage", BenchOutput.round(decodeCpuMs, 1));
            line.put(
                    "decodeShareOfCpu",
                    BenchOutput.round(decodeCpuMs * report.encoded() / 1000 / Math.max(1e-9, runCpuSeconds), 3));
            line.put("load", BenchOutput.round(Machine.loadAverage(), 2));
            out.line(line);
            if (subsampleDrift > 0) {
                out.line(subsampling(clip, subsampleDrift));
            }
        } finally {
            KnnBenchCommand.deleteTree(folder);
        }
    }

    /** Full decode vs subsampled decode of the {@code count} largest JPEGs. */
    private Map<String, Object> subsampling(ClipModel clip, int count) throws IOException {
        List<Path> largest;
        try (Stream<Path> walk = Files.walk(source)) {
            largest = walk.filter(Files::isRegularFile)
                    .filter(p ->
                            p.getFileName().toString().toLowerCase(Locale.ROOT).matches(".*\\.jpe?g"))
                    .sorted(Comparator.comparingLong(IngestBenchCommand::sizeOf).reversed())
                    .limit(count)
                    .toList();
        }
        ImageDecoder decoder = new ImageDecoder(ImageDecoder.DEFAULT_MAX_PIXELS);
        ImagePreprocessor preprocessor = clip.images().preprocessor();
        int size = preprocessor.spec().size();
        double fullMs = 0;
        double subMs = 0;
        double cosineSum = 0;
        double cosineMin = 1;
        double rmseSum = 0;
        int measured = 0;
        for (Path file : largest) {
            try {
                long t0 = System.nanoTime();
                DecodedImage full = decoder.decode(file);
                long t1 = System.nanoTime();
                int factor = Math.max(1, Math.min(full.width(), full.height()) / (2 * size));
                BufferedImage sub = decodeSubsampled(file, factor);
                long t2 = System.nanoTime();
                float[] a = preprocessor.toTensor(full.rgb());
                float[] b = preprocessor.toTensor(sub);
                float[][] e = clip.images().encodeTensors(List.of(a, b));
                fullMs += (t1 - t0) / 1e6;
                subMs += (t2 - t1) / 1e6;
                double cosine = Embeddings.dot(e[0], e[1]);
                cosineSum += cosine;
                cosineMin = Math.min(cosineMin, cosine);
                double sq = 0;
                for (int i = 0; i < a.length; i++) {
                    sq += (a[i] - b[i]) * (a[i] - b[i]);
                }
                rmseSum += Math.sqrt(sq / a.length);
                measured++;
            } catch (ImageRejectedException | IOException | RuntimeException e) {
                BenchOutput.progress("bench-ingest: subsampling skipped %s: %s", file, e.getMessage());
            }
        }
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("bench", "subsampledDecode");
        line.put("model", clip.bundle().name());
        line.put("images", measured);
        line.put("fullDecodeMs", BenchOutput.round(fullMs / Math.max(1, measured), 1));
        line.put("subsampledDecodeMs", BenchOutput.round(subMs / Math.max(1, measured), 1));
        line.put("meanCosine", BenchOutput.round(cosineSum / Math.max(1, measured), 5));
        line.put("minCosine", BenchOutput.round(cosineMin, 5));
        line.put("tensorRmse", BenchOutput.round(rmseSum / Math.max(1, measured), 4));
        line.put("load", BenchOutput.round(Machine.loadAverage(), 2));
        return line;
    }

    /**
     * Plain ImageIO decode keeping every {@code factor}-th pixel and row (no EXIF, no colour
     * management: enough for the generated test JPEGs), so that the shorter edge stays at least twice
     * the model's input size.
     */
    static BufferedImage decodeSubsampled(Path file, int factor) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new IOException("no ImageIO reader for " + file);
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                ImageReadParam param = reader.getDefaultReadParam();
                param.setSourceSubsampling(factor, factor, 0, 0);
                BufferedImage decoded = reader.read(0, param);
                if (decoded.getType() == BufferedImage.TYPE_INT_RGB) {
                    return decoded;
                }
                BufferedImage rgb =
                        new BufferedImage(decoded.getWidth(), decoded.getHeight(), BufferedImage.TYPE_INT_RGB);
                rgb.createGraphics().drawImage(decoded, 0, 0, null);
                return rgb;
            } finally {
                reader.dispose();
            }
        }
    }

    /** Process CPU per decode of every file under the source, decoded once each on this thread. */
    private double decodeCpuMsPerImage(ImageDecoder decoder) throws IOException {
        List<Path> all;
        try (Stream<Path> walk = Files.walk(source)) {
            all = walk.filter(Files::isRegularFile).sorted().toList();
        }
        long cpu = 0;
        int decoded = 0;
        for (Path file : all) {
            byte[] bytes = Files.readAllBytes(file);
            long c0 = processCpuNanos();
            try {
                decoder.decode(bytes);
                decoded++;
                cpu += processCpuNanos() - c0;
            } catch (ImageRejectedException e) {
                // not an image the job encoded either
            }
        }
        return cpu / 1e6 / Math.max(1, decoded);
    }

    /** CPU time of the whole process (every thread, libvips' included), in nanoseconds. */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean)
                        java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static long sizeOf(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return 0;
        }
    }
}
