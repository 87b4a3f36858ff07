package io.koclip.search.cli;

import io.koclip.search.eval.CaptionFormat;
import io.koclip.search.eval.CaptionSet;
import io.koclip.search.eval.CaptionSetReader;
import io.koclip.search.eval.EmbeddingCache;
import io.koclip.search.eval.EvalProgress;
import io.koclip.search.eval.EvalResult;
import io.koclip.search.eval.EvalRunner;
import io.koclip.search.eval.ExactRetrieval;
import io.koclip.search.eval.HtmlReport;
import io.koclip.search.eval.ImageEmbeddings;
import io.koclip.search.eval.IndexRetrieval;
import io.koclip.search.eval.JsonReport;
import io.koclip.search.eval.TextTable;
import io.koclip.search.image.ImageDecoder;
import io.koclip.search.index.IndexBackend;
import io.koclip.search.index.ModelIdentity;
import io.koclip.search.index.VectorIndex;
import io.koclip.search.index.lucene.LuceneBackend;
import io.koclip.search.model.BundleException;
import io.koclip.search.model.ClipModel;
import io.koclip.search.model.ModelOptions;
import io.koclip.search.options.DecodeMixin;
import io.koclip.search.options.IndexMixin;
import io.koclip.search.options.RuntimeMixin;
import io.koclip.search.search.InvalidRequestException;
import io.koclip.search.search.SearchMode;
import io.koclip.search.search.SearchProperties;
import io.koclip.search.search.SearchService;
import io.koclip.search.search.SearchableIndex;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code eval}: text-image retrieval figures (CLIP_benchmark's Recall@K both ways, median rank) of one
 * or more models, variants, template choices and languages on a caption set, side by side. One JSON
 * line per setting on stdout, a table and the per-row problems on stderr, optional JSON and HTML
 * reports. Exit 0 when every setting ran (rows or images left out are reported, not fatal), 1 when the
 * input cannot be used at all, 2 for bad options.
 */
@Command(
        name = "eval",
        mixinStandardHelpOptions = true,
        description = "Measure text-image retrieval (Recall@K, median rank) on a caption set.")
final class EvalCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--captions", required = true, paramLabel = "FILE", description = "The caption file.")
    Path captions;

    @Option(
            names = "--images",
            paramLabel = "DIR",
            description = "Folder that relative image names resolve against (default: the caption file's folder).")
    @Nullable
    Path images;

    @Option(
            names = "--format",
            defaultValue = "auto",
            paramLabel = "auto|coco|aihub|xtd|csv|jsonl",
            description = "Caption file format (default: ${DEFAULT-VALUE}: from the name and the first character).")
    CaptionFormat format;

    @Option(
            names = "--model",
            paramLabel = "DIR|demo",
            description = "Model bundle folder or 'demo'; repeat to compare (default: demo).")
    List<String> models = new ArrayList<>();

    @Option(
            names = "--variant",
            paramLabel = "NAME",
            description =
                    "Precision variant ('default' for the main graphs, e.g. int8); repeat to compare (default: default).")
    List<String> variants = new ArrayList<>();

    @Option(
            names = "--templates",
            defaultValue = "on",
            paramLabel = "on|off|both",
            description =
                    "Captions through the bundle's prompt templates, as given, or both (default: ${DEFAULT-VALUE}).")
    String templates;

    @Option(
            names = "--lang",
            defaultValue = "all",
            paramLabel = "ko|en|…|all",
            description =
                    "Caption language to evaluate; 'all' evaluates each language of the file (default: ${DEFAULT-VALUE}).")
    String lang;

    @Option(
            names = "--k",
            split = ",",
            defaultValue = "1,5,10",
            paramLabel = "K",
            description = "Recall@K cut-offs (default: ${DEFAULT-VALUE}).")
    List<Integer> ks;

    @Option(
            names = "--limit",
            paramLabel = "N",
            description = "Only the first N images of the file (and their captions).")
    @Nullable
    Integer limit;

    @Option(names = "--out", paramLabel = "FILE", description = "Also write the results as one JSON document.")
    @Nullable
    Path out;

    @Option(names = "--html", paramLabel = "FILE", description = "Also write a self-contained HTML report with charts.")
    @Nullable
    Path html;

    @Option(
            names = "--cache",
            paramLabel = "DIR",
            description = "Keep image embeddings here, keyed by bundle fingerprint and image SHA-256.")
    @Nullable
    Path cache;

    // An optional value: "--through-index DIR" (a Lucene folder, as before) or a bare "--through-index"
    // for the index the index options name (--index, or --backend solr --solr URL --collection NAME).
    @Option(
            names = "--through-index",
            arity = "0..1",
            fallbackValue = "",
            paramLabel = "DIR",
            description = "Also run the captions through the query service over an index ingested from the "
                    + "--images folder with the same model (text to image, the API's path): the Lucene folder DIR, "
                    + "or without DIR the index of --index / --backend solr --solr URL --collection NAME.")
    @Nullable
    String throughIndex;

    @Mixin
    IndexMixin index;

    // --user-dictionary comes with the index options: the Nori dictionary the index was ingested with.

    @Option(
            names = "--mode",
            paramLabel = "vector|lexical|hybrid",
            description = "Search modes for --through-index; repeat to compare (default: vector).")
    List<String> modes = new ArrayList<>();

    @Option(
            names = "--batch",
            defaultValue = "32",
            paramLabel = "N",
            description = "Images (and caption prompts) per encoder call (default: ${DEFAULT-VALUE}).")
    int batch;

    @Mixin
    RuntimeMixin runtime;

    @Mixin
    DecodeMixin decode;

    @Option(
            names = "--progress",
            defaultValue = "auto",
            paramLabel = "auto|bar|log|none",
            description = "Progress on stderr: a bar on a terminal, lines otherwise (default: ${DEFAULT-VALUE}).")
    ConsoleProgress.Mode progress;

    @Option(
            names = "--max-pixels",
            defaultValue = "100000000",
            description = "Refuse images with more pixels (default: ${DEFAULT-VALUE}).")
    long maxPixels;

    private List<SearchMode> searchModes = List.of();

    @Override
    public Integer call() throws IOException {
        List<Boolean> templateChoices = switch (templates.toLowerCase(Locale.ROOT)) {
            case "on" -> List.of(true);
            case "off" -> List.of(false);
            case "both" -> List.of(true, false);
            default ->
                throw new CommandLine.ParameterException(
                        spec.commandLine(), "--templates '" + templates + "' is not on, off or both");
        };
        if (batch < 1 || batch > 4096) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--batch " + batch + " is not in [1, 4096]");
        }
        if (limit != null && limit < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--limit " + limit + " must be at least 1");
        }
        for (int k : ks) {
            if (k < 1) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--k " + k + " must be at least 1");
            }
        }
        List<SearchMode> searchModes = new ArrayList<>();
        try {
            for (String m : modes.isEmpty() ? List.of("vector") : modes) {
                searchModes.add(SearchMode.parse(m));
            }
        } catch (InvalidRequestException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--" + e.getMessage(), e);
        }
        if (!modes.isEmpty() && throughIndex == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--mode needs --through-index");
        }
        this.searchModes = List.copyOf(searchModes);
        List<String> modelSpecs = models.isEmpty() ? List.of("demo") : models;
        List<String> variantNames = variants.isEmpty() ? List.of("default") : variants;
        PrintStream stdout = CommandOutput.reserveStdout();
        PrintStream json = new PrintStream(stdout, true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(System.err, true, StandardCharsets.UTF_8);
        try {
            CaptionSet set = CaptionSetReader.read(captions, format, images);
            set.problems().forEach(p -> err.println("eval: " + p));
            if (limit != null) {
                set = set.limit(limit);
            }
            List<String> languages = lang.equalsIgnoreCase("all")
                    ? List.copyOf(set.languages())
                    : List.of(lang.toLowerCase(Locale.ROOT));
            if (set.captions().isEmpty()) {
                err.println("eval: " + captions + ": no usable captions");
                return 1;
            }
            if (!set.languages().containsAll(languages)) {
                err.println("eval: no " + lang + " captions in " + captions + " (it has " + set.languages() + ")");
                return 1;
            }
            err.printf(
                    Locale.ROOT,
                    "eval: %s: %d images, %d captions (%s), %d rows left out%n",
                    captions,
                    set.images().size(),
                    set.captions().size(),
                    String.join(", ", set.languages()),
                    set.problems().size());
            EvalRunner.Plan plan = new EvalRunner.Plan(templateChoices, languages, ks);
            List<EvalResult> results = new ArrayList<>();
            try (Progress bar = new Progress(progress, err)) {
                for (String modelSpec : modelSpecs) {
                    for (String variant : variantNames) {
                        results.addAll(evaluate(modelSpec, variant, set, plan, bar, json, err));
                    }
                }
            }
            err.print(TextTable.render(results, plan.ks()));
            Map<String, String> inputs = new LinkedHashMap<>();
            inputs.put("captions", captions.toString());
            inputs.put("images", images == null ? "(beside the captions)" : images.toString());
            inputs.put("rows left out", Integer.toString(set.problems().size()));
            if (out != null) {
                Map<String, Object> doc = new LinkedHashMap<>(inputs);
                doc.put("k", plan.ks());
                Files.writeString(out, JsonReport.document(doc, results), StandardCharsets.UTF_8);
                err.println("eval: wrote " + out);
            }
            if (html != null) {
                Files.writeString(html, HtmlReport.render(inputs, results, plan.ks()), StandardCharsets.UTF_8);
                err.println("eval: wrote " + html);
            }
            return 0;
        } catch (IllegalArgumentException | IllegalStateException | BundleException e) {
            err.println("eval: " + e.getMessage());
            return 1;
        } finally {
            CommandOutput.restore(stdout);
        }
    }

    /** One model and variant: images once, then every template choice and language. */
    private List<EvalResult> evaluate(
            String modelSpec,
            String variant,
            CaptionSet set,
            EvalRunner.Plan plan,
            Progress progress,
            PrintStream json,
            PrintStream err)
            throws IOException {
        ModelOptions options = runtime.options(variant);
        try (ClipModel clip = ClipModel.open(modelSpec, options)) {
            EmbeddingCache embeddingCache = cache == null ? null : EmbeddingCache.open(cache, clip, options);
            ImageEmbeddings encoder = new ImageEmbeddings(
                    clip,
                    new ImageDecoder(
                            maxPixels,
                            ImageDecoder.DEFAULT_BUDGET,
                            decode.options(clip.bundle().image().preprocess().size())),
                    batch,
                    Math.max(1, Runtime.getRuntime().availableProcessors()));
            String label = modelSpec + "/" + variant;
            progress.start("images " + label, set.images().size());
            ImageEmbeddings.Result vectors;
            try {
                vectors = encoder.compute(set.images(), embeddingCache, progress);
            } finally {
                progress.finish();
            }
            vectors.failures().forEach(f -> err.println("eval: " + f));
            boolean[] keep = new boolean[set.images().size()];
            List<float[]> kept = new ArrayList<>();
            for (int i = 0; i < keep.length; i++) {
                keep[i] = vectors.vectors()[i] != null;
                if (keep[i]) {
                    kept.add(vectors.vectors()[i]);
                }
            }
            CaptionSet usable = set.keep(keep);
            err.printf(
                    Locale.ROOT,
                    "eval: %s: %d images in %.2f s (%d encoded, %.1f images/s; %d from the cache; %d left out)%n",
                    label,
                    kept.size(),
                    vectors.seconds(),
                    vectors.encoded(),
                    vectors.encoded() / Math.max(vectors.seconds(), 1e-9),
                    vectors.cached(),
                    vectors.failures().size());
            if (usable.captions().isEmpty()) {
                throw new IllegalStateException("no image of " + captions + " could be used with " + label);
            }
            ExactRetrieval target = new ExactRetrieval(clip, kept.toArray(float[][]::new), batch, progress, label);
            Consumer<EvalResult> sink = result -> {
                json.println(JsonReport.line(result));
                err.printf(
                        Locale.ROOT,
                        "eval: %s: %d captions %s in %.2f s (%.1f captions/s)%n",
                        result.label(),
                        result.metrics().captions(),
                        result.target().equals("exact") ? "encoded" : "searched",
                        result.querySeconds(),
                        result.metrics().captions() / Math.max(result.querySeconds(), 1e-9));
            };
            List<EvalResult> results =
                    new ArrayList<>(EvalRunner.run(target, usable, modelSpec, variant, vectors, plan, sink));
            if (throughIndex != null) {
                results.addAll(throughIndex(clip, modelSpec, variant, usable, vectors, plan, sink, err));
            }
            return results;
        }
    }

    /**
     * The captions through the query service over {@link #throughIndex}, once per search mode: the
     * same service the server builds (SearchCommand.service), the index opened read-only.
     */
    private List<EvalResult> throughIndex(
            ClipModel clip,
            String modelSpec,
            String variant,
            CaptionSet usable,
            ImageEmbeddings.Result vectors,
            EvalRunner.Plan plan,
            Consumer<EvalResult> sink,
            PrintStream err)
            throws IOException {
        Path root = images != null ? images : captions.toAbsolutePath().getParent();
        List<EvalResult> results = new ArrayList<>();
        String folder = Objects.requireNonNull(throughIndex);
        if (!folder.isEmpty() && this.index.chosen()) {
            throw new IllegalArgumentException("--through-index " + folder + " names a Lucene folder; with --backend,"
                    + " --solr or --index, give --through-index without a folder");
        }
        IndexBackend backend = folder.isEmpty()
                ? this.index.backend()
                : new LuceneBackend(Path.of(folder), this.index.userDictionary());
        try (VectorIndex index = backend.openReadOnly(ModelIdentity.of(clip.bundle()))) {
            SearchProperties limits = SearchProperties.defaults();
            if (plan.depth() > limits.maxK()) {
                throw new IllegalArgumentException(
                        "--k " + plan.depth() + " is over the query service's k limit of " + limits.maxK());
            }
            SearchService service =
                    SearchCommand.service(clip, SearchableIndex.of(index), limits, 0, new SimpleMeterRegistry());
            for (SearchMode mode : searchModes) {
                IndexRetrieval target = new IndexRetrieval(service, mode, usable, root);
                results.addAll(EvalRunner.run(target, usable, modelSpec, variant, vectors, plan, sink));
                target.refused().forEach(r -> err.println("eval: " + target.name() + ": " + r));
            }
        }
        return results;
    }

    /**
     * Encoding progress on stderr: a bar on a terminal, a line every few seconds and at the end
     * otherwise, nothing with {@code --progress none}. Not thread-safe: the evaluation thread only.
     */
    static final class Progress implements EvalProgress, AutoCloseable {
        private static final long LOG_INTERVAL_NANOS = 5_000_000_000L;
        private final ConsoleProgress.Mode mode;
        private final PrintStream err;
        private @Nullable ProgressBar bar;
        private String task = "";
        private long total;
        private long done;
        private long startNanos;
        private long lastLine;

        Progress(ConsoleProgress.Mode mode, PrintStream err) {
            this.mode = mode == ConsoleProgress.Mode.AUTO
                    ? (CommandOutput.interactive() ? ConsoleProgress.Mode.BAR : ConsoleProgress.Mode.LOG)
                    : mode;
            this.err = err;
        }

        @Override
        public void start(String task, long total) {
            this.task = task;
            this.total = total;
            this.done = 0;
            this.startNanos = System.nanoTime();
            this.lastLine = startNanos;
            if (mode == ConsoleProgress.Mode.BAR) {
                bar = new ProgressBarBuilder()
                        .setTaskName(task)
                        .setInitialMax(Math.max(1, total))
                        .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK)
                        .setUpdateIntervalMillis(250)
                        .showSpeed()
                        .build();
            }
        }

        @Override
        public void advance(long done) {
            this.done = done;
            if (bar != null) {
                bar.stepTo(done);
            } else if (mode == ConsoleProgress.Mode.LOG && System.nanoTime() - lastLine >= LOG_INTERVAL_NANOS) {
                lastLine = System.nanoTime();
                line();
            }
        }

        @Override
        public void finish() {
            if (bar != null) {
                bar.close();
                bar = null;
            } else if (mode == ConsoleProgress.Mode.LOG && done > 0) {
                line();
            }
            done = 0;
        }

        private void line() {
            double seconds = (System.nanoTime() - startNanos) / 1e9;
            err.printf(
                    Locale.ROOT, "eval: %s: %d/%d (%.1f/s)%n", task, done, total, seconds > 0 ? done / seconds : 0.0);
        }

        @Override
        public void close() {
            finish();
        }
    }
}
