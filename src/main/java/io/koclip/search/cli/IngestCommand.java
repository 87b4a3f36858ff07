package io.koclip.search.cli;

import io.koclip.search.eval.CaptionFormat;
import io.koclip.search.index.IndexOptions;
import io.koclip.search.index.IndexSpec;
import io.koclip.search.index.ModelIdentity;
import io.koclip.search.index.VectorFormat;
import io.koclip.search.index.VectorIndex;
import io.koclip.search.ingest.ImageCaptions;
import io.koclip.search.ingest.IngestFailedException;
import io.koclip.search.ingest.IngestFailure;
import io.koclip.search.ingest.IngestJob;
import io.koclip.search.ingest.IngestOptions;
import io.koclip.search.ingest.IngestReport;
import io.koclip.search.ingest.IngestSettings;
import io.koclip.search.ingest.IngestWarning;
import io.koclip.search.model.ClipModel;
import io.koclip.search.model.NativeShutdown;
import io.koclip.search.options.DecodeMixin;
import io.koclip.search.options.IndexMixin;
import io.koclip.search.options.ModelMixin;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code ingest}: bulk, incremental, resumable ingestion of an image folder. Exit 0 when the job ran,
 * even if files failed (they are in the report); 1 when it could not run (no source, wrong model for
 * the index, index locked, I/O error on the index). Ctrl-C stops it gracefully: the images in flight
 * are finished and committed.
 */
@Command(
        name = "ingest",
        mixinStandardHelpOptions = true,
        defaultValueProvider = IngestCommand.Defaults.class,
        description = "Index a folder of images: incremental (unchanged files are skipped), resumable, "
                + "one report line per bad file.")
final class IngestCommand implements Callable<Integer> {
    @Mixin
    ModelMixin model;

    @Mixin
    DecodeMixin decode;

    @Option(
            names = "--source",
            defaultValue = IngestOptions.DEFAULT_SOURCE,
            paramLabel = "DIR",
            description = "Image folder, read recursively (default: ${DEFAULT-VALUE}).")
    Path source;

    @Mixin
    IndexMixin index;

    @Option(names = "--report", paramLabel = "FILE", description = "Write the JSON report here ('-' for stdout).")
    String report;

    // The ingest settings (IngestSettings): their defaults come from IngestOptions.defaults through
    // the Defaults provider below, never from literals here, so the server and the API have the same.

    @Option(
            names = "--prune",
            description = "Remove documents whose file is gone from the source (default: ${DEFAULT-VALUE}).")
    boolean prune;

    @Option(names = "--batch", paramLabel = "N", description = "Images per encoder call (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(
            names = "--workers",
            paramLabel = "N",
            description = "Decode threads (default: two per core, at most 16; ${DEFAULT-VALUE} here).")
    int workers;

    @Option(
            names = "--vectors",
            paramLabel = "float32|int8|int4|bbq",
            description = "Vector format of a new index (default: float32; an existing index keeps its own).")
    String vectors;

    @Option(names = "--m", paramLabel = "N", description = "HNSW connections per node (default: 16).")
    Integer m;

    @Option(names = "--beam-width", paramLabel = "N", description = "HNSW build beam width (default: 100).")
    Integer beamWidth;

    @Option(
            names = "--commit-every",
            paramLabel = "N",
            description = "Durable commit after N documents (default: ${DEFAULT-VALUE}).")
    int commitEvery;

    @Option(
            names = "--commit-seconds",
            paramLabel = "S",
            description = "... or after S seconds (default: ${DEFAULT-VALUE}).")
    double commitSeconds;

    @Option(
            names = "--decode-timeout",
            paramLabel = "S",
            description = "Time budget of one decode, in seconds (default: ${DEFAULT-VALUE}).")
    double decodeTimeout;

    @Option(
            names = "--max-pixels",
            paramLabel = "N",
            description = "Refuse images with more pixels, from their header (default: ${DEFAULT-VALUE}).")
    long maxPixels;

    @Option(
            names = "--captions",
            paramLabel = "FILE",
            description = "Caption set whose captions become the images' searchable text (formats of 'eval'); "
                    + "image names are relative to --source.")
    Path captions;

    @Option(
            names = "--captions-format",
            defaultValue = "auto",
            paramLabel = "auto|coco|aihub|xtd|csv|jsonl",
            description = "Format of --captions (default: ${DEFAULT-VALUE}).")
    String captionsFormat;

    @Option(
            names = "--progress",
            defaultValue = "auto",
            paramLabel = "auto|bar|log|none",
            description =
                    "Progress on stderr: a bar on a terminal, lines every 10 s otherwise (default: ${DEFAULT-VALUE}).")
    String progress;

    @Override
    public Integer call() throws IOException {
        PrintStream stdout = CommandOutput.reserveStdout();
        try {
            return run(stdout);
        } catch (IllegalArgumentException | IllegalStateException | io.koclip.search.model.BundleException e) {
            System.err.println("ingest: " + e.getMessage());
            return 1;
        } catch (IngestFailedException e) {
            System.err.println("ingest: " + e.getMessage());
            writeReport(stdout, failureReport(e));
            return 1;
        } catch (IOException e) {
            System.err.println("ingest: I/O error: " + e.getMessage());
            return 1;
        } finally {
            CommandOutput.restore(stdout);
        }
    }

    private int run(PrintStream stdout) throws IOException {
        if (!Files.isDirectory(source)) {
            throw new IllegalArgumentException("--source " + source + " is not a folder");
        }
        ConsoleProgress.Mode mode = ConsoleProgress.Mode.valueOf(progress.toUpperCase(Locale.ROOT));
        IngestOptions options = options().withCaptions(captions());
        IndexOptions indexOptions =
                new IndexOptions(vectors == null ? null : VectorFormat.parse(vectors), m, beamWidth);

        AtomicBoolean cancel = new AtomicBoolean();
        CountDownLatch finished = new CountDownLatch(1);
        // Ctrl-C or SIGTERM: ask the job to stop, and give it up to 60 s to finish the images in flight, commit
        // them with a cancelled checkpoint and close the index (the exit bound in docs/operations.md).
        Runnable stop = () -> {
            cancel.set(true);
            try {
                finished.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        IngestReport result;
        // On SIGTERM/SIGINT the stop runs before the JVM exits (NativeShutdown): the exit goes on only once
        // the index is committed and closed and the model's sessions are closed.
        Runnable unregister = NativeShutdown.beforeExit(stop);
        try {
            try (ClipModel clip = model.open();
                    VectorIndex vectorIndex =
                            index.backend().open(new IndexSpec(ModelIdentity.of(clip.bundle()), indexOptions));
                    ConsoleProgress listener = new ConsoleProgress(mode, System.err, Duration.ofSeconds(10))) {
                result = new IngestJob(
                                clip,
                                vectorIndex,
                                options,
                                decode.options(
                                        clip.bundle().image().preprocess().size()))
                        .run(listener, cancel::get);
            }
        } finally {
            finished.countDown();
            unregister.run();
        }
        printSummary(result);
        writeReport(stdout, result);
        return 0;
    }

    /** The report of a run the index stopped, with the error and what was not indexed. */
    static Map<String, Object> failureReport(IngestFailedException e) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("error", e.getMessage());
        out.put("committed", e.committed());
        out.put("notIndexed", e.notIndexed());
        out.put("scanComplete", e.scanComplete());
        out.put("report", e.report());
        return out;
    }

    private void writeReport(PrintStream stdout, Object value) throws IOException {
        if (report == null) {
            return;
        }
        String json = JsonMapper.builder()
                .enable(SerializationFeature.INDENT_OUTPUT)
                .build()
                .writeValueAsString(value);
        if (report.equals("-")) {
            stdout.println(json);
        } else {
            Path file = Path.of(report);
            if (file.toAbsolutePath().getParent() != null) {
                Files.createDirectories(file.toAbsolutePath().getParent());
            }
            Files.writeString(file, json + System.lineSeparator());
        }
    }

    /** The options these arguments ask for: the settings given, the defaults of the rest. */
    IngestOptions options() {
        try {
            return settings().toOptions(source);
        } catch (IngestSettings.InvalidSettingException e) {
            throw new IllegalArgumentException("--" + Defaults.optionName(e.setting()) + ": " + e.problem(), e);
        }
    }

    /** The captions of --captions, problems reported on stderr, or none. */
    ImageCaptions captions() throws IOException {
        if (captions == null) {
            return ImageCaptions.NONE;
        }
        CaptionFormat format;
        try {
            format = CaptionFormat.valueOf(captionsFormat.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "--captions-format: '" + captionsFormat + "' is not one of auto, coco, aihub, xtd, csv, jsonl", e);
        }
        ImageCaptions read = ImageCaptions.read(captions, format, source);
        for (String problem : read.problems()) {
            System.err.println("ingest: --captions " + captions + ": " + problem);
        }
        System.err.println("ingest: " + read + " from " + captions);
        return read;
    }

    IngestSettings settings() {
        return new IngestSettings(
                prune, batch, workers, commitEvery, seconds(commitSeconds), seconds(decodeTimeout), maxPixels);
    }

    private static Duration seconds(double value) {
        if (!(value > 0) || !Double.isFinite(value)) {
            return Duration.ZERO; // refused by IngestSettings with the value named
        }
        return Duration.ofNanos(Math.round(value * 1e9));
    }

    /**
     * Defaults of the ingest settings, read from {@link IngestOptions#defaults}; null (the annotation's
     * own default, if any) for every other option.
     */
    static final class Defaults implements CommandLine.IDefaultValueProvider {
        @Override
        public @Nullable String defaultValue(CommandLine.Model.ArgSpec argument) {
            if (!(argument instanceof CommandLine.Model.OptionSpec option)) {
                return null;
            }
            IngestOptions d = IngestOptions.defaults(Path.of(IngestOptions.DEFAULT_SOURCE));
            return switch (option.longestName()) {
                case "--prune" -> String.valueOf(d.prune());
                case "--batch" -> String.valueOf(d.batchSize());
                case "--workers" -> String.valueOf(d.workers());
                case "--commit-every" -> String.valueOf(d.commitEvery());
                case "--commit-seconds" -> seconds(d.commitInterval());
                case "--decode-timeout" -> seconds(d.decodeTimeout());
                case "--max-pixels" -> String.valueOf(d.maxPixels());
                default -> null;
            };
        }

        /** "30", or "0.5" for 500 ms. */
        private static String seconds(Duration d) {
            return java.math.BigDecimal.valueOf(d.toNanos(), 9)
                    .stripTrailingZeros()
                    .toPlainString();
        }

        /** The command-line spelling of an {@link IngestSettings} component. */
        static String optionName(String setting) {
            return switch (setting) {
                case "commitInterval" -> "commit-seconds";
                default -> setting.replaceAll("([A-Z])", "-$1").toLowerCase(Locale.ROOT);
            };
        }
    }

    private static void printSummary(IngestReport r) {
        System.err.printf(
                Locale.ROOT,
                "ingest %s in %.1f s: %d scanned, %d indexed (%d encoded, %d duplicates), %d unchanged, %d failed,"
                        + " %d pruned; %d documents; %.1f images/s%n",
                r.cancelled() ? "cancelled" : "done",
                r.seconds(),
                r.scanned(),
                r.indexed(),
                r.encoded(),
                r.duplicates(),
                r.unchanged(),
                r.failed(),
                r.pruned(),
                r.documents(),
                r.imagesPerSecond());
        IngestReport.Timings t = r.timings();
        System.err.printf(
                Locale.ROOT,
                "time (s): read %.2f, decode %.2f, preprocess %.2f (summed over workers); encode %.2f, index %.2f,"
                        + " commit %.2f; encoder idle %.2f, workers blocked %.2f, waiting for decode memory %.2f%n",
                t.read(),
                t.decode(),
                t.preprocess(),
                t.encode(),
                t.index(),
                t.commit(),
                t.encoderIdle(),
                t.workersBlocked(),
                t.memoryWait());
        int shown = 0;
        for (IngestFailure f : r.failures()) {
            if (shown++ == 10) {
                System.err.println("... " + (r.failed() - 10) + " more failures in the report (--report FILE)");
                break;
            }
            System.err.println("failed: " + f.path() + ": [" + f.code() + "] " + f.reason());
        }
        if (r.textUpdated() > 0) {
            System.err.println("text re-indexed without encoding (sidecars or captions changed): " + r.textUpdated());
        }
        shown = 0;
        for (IngestWarning w : r.warnings()) {
            if (shown++ == 10) {
                System.err.println("... " + (r.warned() - 10) + " more text warnings in the report (--report FILE)");
                break;
            }
            System.err.println("text warning: " + w.path() + ": " + w.reason());
        }
    }
}
