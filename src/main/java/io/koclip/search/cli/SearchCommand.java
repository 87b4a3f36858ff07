package io.koclip.search.cli;

import io.koclip.search.index.Hit;
import io.koclip.search.index.ImageDocument;
import io.koclip.search.index.ModelIdentity;
import io.koclip.search.index.SearchFilter;
import io.koclip.search.index.VectorIndex;
import io.koclip.search.index.VectorQuery;
import io.koclip.search.model.ClipModel;
import io.koclip.search.options.IndexMixin;
import io.koclip.search.options.ModelMixin;
import io.koclip.search.search.CandidatePolicy;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code search}: text to images from the command line. The query is embedded with the bundle's
 * prompt templates (Korean or English by the query's script) and searched in the index, opened
 * read-only (so it works while a server holds the index). Prints one JSON object on stdout.
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
            names = "--k",
            defaultValue = "10",
            paramLabel = "N",
            description = "Number of hits (default: ${DEFAULT-VALUE}).")
    int k;

    @Option(
            names = "--num-candidates",
            defaultValue = "0",
            paramLabel = "N",
            description = "HNSW candidates; 0 lets the candidate policy choose (default: ${DEFAULT-VALUE}).")
    int numCandidates;

    @Option(names = "--path-prefix", paramLabel = "PREFIX", description = "Only paths starting with PREFIX.")
    String pathPrefix;

    @Option(names = "--format", paramLabel = "FORMAT", description = "Only this image format (repeatable).")
    List<String> formats = new ArrayList<>();

    @Parameters(arity = "1..*", paramLabel = "QUERY", description = "What to look for (words are joined).")
    List<String> words;

    @Override
    public Integer call() throws IOException {
        String query = String.join(" ", words).strip();
        if (query.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "QUERY is blank");
        }
        if (k < 1 || k > 1000) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--k " + k + " is not in [1, 1000]");
        }
        PrintStream stdout = CommandOutput.reserveStdout();
        try (ClipModel clip = model.open();
                VectorIndex vectors = index.backend().openReadOnly(ModelIdentity.of(clip.bundle()))) {
            long start = System.nanoTime();
            float[] vector = clip.encodePrompts(clip.templates().prompts(query));
            SearchFilter filter = new SearchFilter(pathPrefix, null, null, null, null, Set.copyOf(formats));
            int candidates = CandidatePolicy.DEFAULT.candidates(
                    k, numCandidates, vectors.metadata().vectors());
            List<Hit> hits = vectors.search(new VectorQuery(vector, k, candidates, filter));
            long tookMs = (System.nanoTime() - start) / 1_000_000;
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("query", query);
            out.put("model", clip.bundle().name());
            out.put("index", index.toString());
            out.put("tookMs", tookMs);
            List<Map<String, Object>> list = new ArrayList<>();
            for (Hit hit : hits) {
                ImageDocument d = hit.document();
                Map<String, Object> h = new LinkedHashMap<>();
                h.put("id", d.id());
                h.put("path", d.path());
                h.put("score", hit.score());
                h.put("width", d.width());
                h.put("height", d.height());
                h.put("format", d.format());
                h.put("bytes", d.bytes());
                h.put("modified", d.modified());
                list.add(h);
            }
            out.put("hits", list);
            stdout.println(JsonMapper.builder().build().writeValueAsString(out));
            return 0;
        } catch (IllegalArgumentException | IllegalStateException | io.koclip.search.model.BundleException e) {
            System.err.println("search: " + e.getMessage());
            return 1;
        } finally {
            CommandOutput.restore(stdout);
        }
    }
}
