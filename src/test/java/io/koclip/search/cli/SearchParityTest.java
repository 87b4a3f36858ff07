package io.koclip.search.cli;

import static io.koclip.search.cli.IndexCommandsTest.CORPUS;
import static io.koclip.search.cli.IndexCommandsTest.MODEL;
import static io.koclip.search.cli.IndexCommandsTest.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.github.benmanes.caffeine.cache.Ticker;
import io.koclip.search.image.ImageDecoder;
import io.koclip.search.index.IndexOptions;
import io.koclip.search.index.IndexSpec;
import io.koclip.search.index.ModelIdentity;
import io.koclip.search.index.SearchFilter;
import io.koclip.search.index.lucene.LuceneBackend;
import io.koclip.search.model.ClipModel;
import io.koclip.search.model.ModelOptions;
import io.koclip.search.search.CandidatePolicy;
import io.koclip.search.search.FilterRequest;
import io.koclip.search.search.InferenceLimiter;
import io.koclip.search.search.LiveIndex;
import io.koclip.search.search.Paging;
import io.koclip.search.search.RankedImage;
import io.koclip.search.search.RequestTimer;
import io.koclip.search.search.SearchPage;
import io.koclip.search.search.SearchProperties;
import io.koclip.search.search.SearchService;
import io.koclip.search.search.TextEmbeddings;
import io.koclip.search.search.UploadEncoder;
import io.koclip.search.search.VectorRetriever;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The {@code search} command and the server's query service give the same hits for the same input:
 * the sample corpus is ingested with the demo model, then each query runs once through the command
 * line (index opened read-only) and once through a {@link SearchService} wired as the server wires it
 * (SearchConfiguration: the {@link LiveIndex}, the Spring-bound {@link SearchProperties}, the vector
 * retriever with the candidate policy), while that live index is open.
 */
class SearchParityTest {
    @TempDir
    Path tmp;

    /** One hit as both sides report it. */
    record Seen(String id, String path, float score, int width, int height, String format, int duplicates) {
        static Seen of(RankedImage hit) {
            return new Seen(
                    hit.id(), hit.path(), hit.score(), hit.width(), hit.height(), hit.format(), hit.duplicates());
        }

        static Seen of(JsonNode hit) {
            return new Seen(
                    hit.get("id").asString(),
                    hit.get("path").asString(),
                    (float) hit.get("score").asDouble(),
                    hit.get("width").asInt(),
                    hit.get("height").asInt(),
                    hit.get("format").asString(),
                    hit.get("duplicates").asInt());
        }
    }

    /** A query as command-line arguments and as the service's request. */
    record Case(List<String> args, String q, @Nullable String template, Paging paging) {}

    @Test
    void commandLineHitsAreTheServicesHits() throws Exception {
        assumeTrue(IndexCommandsTest.demoBundlePresent(), "the demo bundle is not on the classpath yet");
        assumeTrue(Files.isDirectory(CORPUS), "the sample corpus " + CORPUS + " is not there yet");
        // the sample corpus plus one byte-identical copy, so dedup has something to collapse
        Path source = tmp.resolve("corpus");
        try (Stream<Path> files = Files.walk(CORPUS)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Path copy = source.resolve(CORPUS.relativize(file).toString());
                Files.createDirectories(copy.getParent());
                Files.copy(file, copy);
            }
        }
        Files.copy(source.resolve("set-b/green-triangle-064.png"), source.resolve("misc/copy-of-green-triangle.png"));
        Path index = tmp.resolve("index");
        assertThat(run(
                                "ingest",
                                "--model",
                                MODEL,
                                "--source",
                                source.toString(),
                                "--index",
                                index.toString(),
                                "--report",
                                "-",
                                "--progress",
                                "none")
                        .exit())
                .isZero();

        SearchProperties limits = SearchProperties.defaults();
        List<Case> cases = List.of(
                new Case(List.of("빨간 원"), "빨간 원", null, Paging.firstPage(null)),
                new Case(
                        List.of("--k", "5", "--offset", "3", "  a   blue", "square "),
                        "  a   blue square ",
                        null,
                        new Paging(5, 3, null, SearchFilter.NONE, true)),
                new Case(List.of("--k", "40", "초록 세모"), "초록 세모", null, Paging.firstPage(40)),
                new Case(
                        List.of("--k", "40", "--no-dedup", "초록 세모"),
                        "초록 세모",
                        null,
                        new Paging(40, 0, null, SearchFilter.NONE, false)),
                new Case(
                        List.of("--k", "10", "--min-score", "0.71", "--template", "none", "yellow circle"),
                        "yellow circle",
                        "none",
                        new Paging(10, 0, 0.71f, SearchFilter.NONE, true)),
                new Case(
                        List.of("--k", "8", "--folder", "set-a", "--format", "jpg", "--format", "png", "원"),
                        "원",
                        null,
                        new Paging(
                                8,
                                0,
                                null,
                                new FilterRequest("set-a", null, null, null, null, List.of("jpg", "png")).toFilter(),
                                true)));

        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (ClipModel clip = ClipModel.open(MODEL, ModelOptions.defaults());
                LiveIndex live = LiveIndex.open(
                        new LuceneBackend(index),
                        new IndexSpec(ModelIdentity.of(clip.bundle()), IndexOptions.defaults()))) {
            SearchProperties.Inference inference = limits.inference();
            InferenceLimiter limiter =
                    new InferenceLimiter(inference.permits(), inference.acquireTimeout(), inference.retryAfter());
            SearchService server = new SearchService(
                    clip,
                    live,
                    new TextEmbeddings(clip, limiter, limits.cache(), registry, Ticker.systemTicker()),
                    new UploadEncoder(
                            clip, limiter, new ImageDecoder(limits.maxImagePixels(), limits.decodeTimeout()), registry),
                    new VectorRetriever(new CandidatePolicy(limits.minCandidates())),
                    limits,
                    new RequestTimer(registry));
            int nonEmpty = 0;
            int duplicates = 0;
            for (Case c : cases) {
                List<String> args = new ArrayList<>(List.of("search", "--model", MODEL, "--index", index.toString()));
                args.addAll(c.args());
                IndexCommandsTest.Run cli = run(args.toArray(String[]::new));
                assertThat(cli.exit()).as(c.args().toString()).isZero();
                SearchPage page = server.searchText(c.q(), c.template(), c.paging());

                List<Seen> fromCli = new ArrayList<>();
                cli.json().get("hits").forEach(hit -> fromCli.add(Seen.of(hit)));
                List<Seen> fromService = page.hits().stream().map(Seen::of).toList();
                assertThat(fromCli).as(c.args().toString()).isEqualTo(fromService);
                assertThat(cli.json().get("query").asString()).isEqualTo(page.query());
                assertThat(cli.json().get("k").asInt()).isEqualTo(page.k());
                nonEmpty += fromService.isEmpty() ? 0 : 1;
                Float minScore = c.paging().minScore();
                if (minScore != null) {
                    // the minimum score cut the list short, on both sides alike
                    assertThat(fromService).hasSizeLessThan(page.k()).allMatch(hit -> hit.score() >= minScore);
                }
                duplicates += fromService.stream().mapToInt(Seen::duplicates).sum();
            }
            // every case really retrieves, and dedup collapsed the copy where it was on
            assertThat(nonEmpty).isEqualTo(cases.size());
            assertThat(duplicates).isPositive();
        }
    }
}
