package io.koclip.search.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.koclip.search.index.IndexCheck;
import io.koclip.search.index.IndexMetadata;
import io.koclip.search.index.IndexOptions;
import io.koclip.search.index.IndexSpec;
import io.koclip.search.index.VectorIndex;
import io.koclip.search.index.lucene.LuceneBackend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * kill -9 in the middle of an ingest: the index opens, CheckIndex is clean, and the next run finishes
 * with every file exactly once. The job runs in a forked JVM ({@link CrashableIngestMain}) that is
 * killed hard ({@link Process#destroyForcibly()}) a random moment after its first commit, twice.
 */
class CrashResumeTest {
    static final int FILES = 300;

    @TempDir
    Path tmp;

    @Test
    void killedHardMidRunThenResumedEveryFileExactlyOnce() throws Exception {
        // Replay a failure with -Dtests.seed=<seed>.
        long seed = Long.getLong("tests.seed", new Random().nextLong());
        System.out.println("killedHardMidRunThenResumedEveryFileExactlyOnce seed=" + seed);
        Random random = new Random(seed);
        Path source = tmp.resolve("source");
        Path indexDir = tmp.resolve("index");
        for (int i = 0; i < FILES; i++) {
            TestImages.write(source, "folder-" + (i % 7) + "/img-" + i + (i % 3 == 0 ? ".jpg" : ".png"), i);
        }

        String previousRun = "";
        for (int round = 1; round <= 2; round++) {
            Process child = fork(source, indexDir, tmp.resolve("child-" + round + ".log"));
            JsonNode committed = waitForFirstCommit(indexDir, previousRun, child);
            Thread.sleep(random.nextInt(400)); // somewhere between commits, or during one
            assertThat(child.isAlive())
                    .as("the job must still be running when killed")
                    .isTrue();
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            System.out.println("round " + round + ": killed after a commit with checkpoint " + committed);

            IndexCheck check = new LuceneBackend(indexDir).check(null);
            assertThat(check.clean())
                    .as("CheckIndex after kill -9, round %d", round)
                    .isTrue();
            assertThat(check.documents()).isLessThan(FILES);
            JsonNode checkpoint =
                    JsonMapper.builder().build().readTree(check.metadata().checkpoint());
            assertThat(checkpoint.path("complete").asBoolean()).isFalse();
            previousRun = committed.path("run").asString();
        }

        try (VectorIndex index =
                new LuceneBackend(indexDir).open(new IndexSpec(CrashableIngestMain.MODEL, IndexOptions.defaults()))) {
            long before = index.stats().documents();
            IngestReport report = new IngestJob(
                            new FakeEmbedder(),
                            new ImageIoDecoder(),
                            ContentReader.FILES,
                            index,
                            IngestOptions.defaults(source).withWorkers(2))
                    .run();
            assertThat(report.resumed()).isTrue();
            assertThat(report.failed()).isZero();
            assertThat(report.unchanged()).isEqualTo(before);
            assertThat(report.unchanged() + report.indexed()).isEqualTo(FILES);
            assertThat(report.documents()).isEqualTo(FILES);

            Map<String, Integer> counts = new HashMap<>();
            index.forEachIndexedFile(f -> counts.merge(f.path(), 1, Integer::sum));
            assertThat(counts)
                    .hasSize(FILES)
                    .allSatisfy((path, count) -> assertThat(count).as(path).isOne());
            try (var files = Files.walk(source)) {
                List<String> onDisk = new ArrayList<>();
                files.filter(Files::isRegularFile)
                        .forEach(f -> onDisk.add(source.relativize(f).toString().replace('\\', '/')));
                assertThat(counts.keySet()).containsExactlyInAnyOrderElementsOf(onDisk);
            }
        }
        assertThat(new LuceneBackend(indexDir).check(null).clean()).isTrue();
    }

    private static Process fork(Path source, Path indexDir, Path log) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = List.of(
                java,
                "-Xmx256m",
                "-cp",
                System.getProperty("java.class.path"),
                CrashableIngestMain.class.getName(),
                source.toString(),
                indexDir.toString(),
                "20",
                "10");
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }

    /**
     * Polls the latest commit (reading it needs no lock) until it carries a checkpoint of a new run
     * with documents in it: the child's first commit.
     */
    private static JsonNode waitForFirstCommit(Path indexDir, String previousRun, Process child) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        JsonMapper json = JsonMapper.builder().build();
        while (System.nanoTime() < deadline) {
            assertThat(child.isAlive())
                    .as("the child ended before its first commit")
                    .isTrue();
            try {
                String checkpoint = new LuceneBackend(indexDir)
                        .metadata()
                        .map(IndexMetadata::checkpoint)
                        .orElse(null);
                if (checkpoint != null) {
                    JsonNode node = json.readTree(checkpoint);
                    if (!node.path("run").asString().equals(previousRun)
                            && node.path("indexed").asLong() > 0) {
                        return node;
                    }
                }
            } catch (IOException e) {
                // the segments file was replaced while being read: look again
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no commit within 60 s");
    }
}
