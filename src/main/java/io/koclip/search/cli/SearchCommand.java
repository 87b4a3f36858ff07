package io.koclip.search.cli;

import com.github.benmanes.caffeine.cache.Ticker;
import io.koclip.search.image.ImageDecoder;
import io.koclip.search.index.ModelIdentity;
import io.koclip.search.index.VectorIndex;
import io.koclip.search.model.BundleException;
import io.koclip.search.model.ClipModel;
import io.koclip.search.options.IndexMixin;
import io.koclip.search.options.ModelMixin;
import io.koclip.search.search.CandidatePolicy;
import io.koclip.search.search.FilterRequest;
import io.koclip.search.search.InferenceLimiter;
import io.koclip.search.search.InvalidRequestException;
import io.koclip.search.search.Paging;
import io.koclip.search.search.QueryText;
import io.koclip.search.search.RankedImage;
import io.koclip.search.search.RequestTimer;
import io.koclip.search.search.SearchMode;
import io.koclip.search.search.SearchPage;
import io.koclip.search.search.SearchProperties;
import io.koclip.search.search.SearchService;
import io.koclip.search.search.SearchableIndex;
import io.koclip.search.search.TextEmbeddings;
import io.koclip.search.search.UploadEncoder;
import io.koclip.search.search.VectorRetriever;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code search}: text to images from the command line, through the same {@link SearchService} as the
 * REST API (normalization, templates, paging, minimum score, duplicate collapsing, candidate policy
 * and the {@code koclip.search} defaults), over the index opened read-only, so it works while a server
 * holds the index. Prints one JSON object on stdout; its hits are the service's, in its order.
 */
@Command(
        name = "search",
        mixinStandardHelpOptions = true,
        description = "Search the index with a text query; JSON hits on stdout.")
final class SearchCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ModelMixin model;

    @Mixin
    IndexMixin index;

    @Option(
            names = "--mode",
            paramLabel = "vector|lexical|hybrid",
            description =
                    "vector: nearest embeddings; lexical: BM25F over the images' text (titles, tags, captions, sidecars, folder names); hybrid: both, fused "
                            + "by Reciprocal Rank Fusion (default: vector, as the API).")
    String mode;

    @Option(
            names = "--k",
            paramLabel = "N",
            description = "Number of hits, 1-1000 (default: " + SearchProperties.DEFAULT_K + ", as the API).")
    Integer k;

    @Option(
            names = "--offset",
            defaultValue = "0",
            paramLabel = "N",
            description = "Hits to skip, for paging (default: ${DEFAULT-VALUE}).")
    int offset;

    @Option(names = "--min-score", paramLabel = "COSINE", description = "Drop hits below this cosine similarity.")
    Float minScore;

    @Option(
            names = "--template",
            paramLabel = "TEMPLATE",
            description = "Prompt template: absent for the bundle's, 'none' for the raw text, or one with {}.")
    String template;

    @Option(
            names = "--dedup",
            negatable = true,
            defaultValue = "true",
            fallbackValue = "true",
            description = "Collapse files with identical bytes into the best one (default: ${DEFAULT-VALUE}).")
    boolean dedup;

    @Option(
            names = "--num-candidates",
            defaultValue = "0",
            paramLabel = "N",
            description = "HNSW candidates; 0 lets the candidate policy choose (default: ${DEFAULT-VALUE}).")
    int numCandidates;

    @Option(
            names = {"--folder", "--path-prefix"},
            paramLabel = "FOLDER",
            description = "Only images under this folder of the source (relative, '/'-separated).")
    String folder;

    @Option(names = "--min-width", paramLabel = "PX", description = "Only images at least this wide.")
    Integer minWidth;

    @Option(names = "--min-height", paramLabel = "PX", description = "Only images at least this tall.")
    Integer minHeight;

    @Option(
            names = "--modified-from",
            paramLabel = "WHEN",
            description = "Only files modified at or after: ISO date, ISO date-time or epoch ms.")
    String modifiedFrom;

    @Option(
            names = "--modified-to",
            paramLabel = "WHEN",
            description = "Only files modified at or before: ISO date, ISO date-time or epoch ms.")
    String modifiedTo;

    @Option(
            names = "--format",
            paramLabel = "FORMAT",
            description = "Only this image format: jpeg, png, webp, gif, bmp, tiff (repeatable).")
    List<String> formats = new ArrayList<>();

    @Parameters(arity = "1..*", paramLabel = "QUERY", description = "What to look for (words are joined).")
    List<String> words;

    @Override
    public Integer call() throws IOException {
        String query = String.join(" ", words);
        if (QueryText.normalize(query).isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "QUERY is blank");
        }
        Paging paging;
        try {
            FilterRequest filter = new FilterRequest(folder, minWidth, minHeight, modifiedFrom, modifiedTo, formats);
            paging = new Paging(k, offset, minScore, filter.toFilter(), dedup);
            SearchMode.parse(mode);
        } catch (InvalidRequestException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        PrintStream stdout = CommandOutput.reserveStdout();
        try (ClipModel clip = model.open();
                VectorIndex vectors = index.backend().openReadOnly(ModelIdentity.of(clip.bundle()))) {
            SearchService service = service(
                    clip,
                    SearchableIndex.of(vectors),
                    SearchProperties.defaults(),
                    numCandidates,
                    new SimpleMeterRegistry());
            SearchPage page = service.searchText(query, template, mode, paging);
            stdout.println(JsonMapper.builder().build().writeValueAsString(json(page, index.toString())));
            return 0;
        } catch (InvalidRequestException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        } catch (IllegalArgumentException | IllegalStateException | BundleException e) {
            System.err.println("search: " + e.getMessage());
            return 1;
        } finally {
            CommandOutput.restore(stdout);
        }
    }

    /**
     * The query service as the server builds it (SearchConfiguration), over one open index: the same
     * limits, cache, limiter and retriever, with {@code numCandidates} as an explicit candidate count
     * (0 for the policy's choice).
     */
    static SearchService service(
            ClipModel clip, SearchableIndex index, SearchProperties limits, int numCandidates, MeterRegistry registry) {
        SearchProperties.Inference inference = limits.inference();
        InferenceLimiter limiter =
                new InferenceLimiter(inference.permits(), inference.acquireTimeout(), inference.retryAfter());
        TextEmbeddings texts = new TextEmbeddings(clip, limiter, limits.cache(), registry, Ticker.systemTicker());
        UploadEncoder uploads = new UploadEncoder(
                clip, limiter, new ImageDecoder(limits.maxImagePixels(), limits.decodeTimeout()), registry);
        VectorRetriever retriever = new VectorRetriever(new CandidatePolicy(limits.minCandidates()), numCandidates);
        return new SearchService(clip, index, texts, uploads, retriever, limits, new RequestTimer(registry));
    }

    /** The command's JSON: the page as the service returned it, hits with their file size and time. */
    static Map<String, Object> json(SearchPage page, String indexName) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("query", page.query());
        out.put("model", page.model());
        out.put("index", indexName);
        out.put("tookMs", page.tookMs());
        out.put("k", page.k());
        out.put("offset", page.offset());
        List<Map<String, Object>> hits = new ArrayList<>();
        for (RankedImage hit : page.hits()) {
            Map<String, Object> h = new LinkedHashMap<>();
            h.put("id", hit.id());
            h.put("path", hit.path());
            h.put("score", hit.score());
            h.put("width", hit.width());
            h.put("height", hit.height());
            h.put("format", hit.format());
            h.put("bytes", hit.bytes());
            h.put("modified", hit.modified());
            h.put("duplicates", hit.duplicates());
            Map<String, @Nullable Object> scores = new LinkedHashMap<>();
            scores.put("vector", hit.scores().vector());
            scores.put("lexical", hit.scores().lexical());
            scores.put("fused", hit.scores().fused());
            h.put("scores", scores);
            if (hit.snippet() != null) { // the API's shape: {field, html}
                Map<String, Object> snippet = new LinkedHashMap<>();
                snippet.put("field", hit.snippet().field());
                snippet.put("html", hit.snippet().html());
                h.put("snippet", snippet);
            }
            hits.add(h);
        }
        out.put("hits", hits);
        return out;
    }
}
