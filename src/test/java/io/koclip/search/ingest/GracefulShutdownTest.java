package io.koclip.search.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.koclip.search.index.IndexCheck;
import io.koclip.search.index.IndexMetadata;
import io.koclip.search.index.lucene.LuceneBackend;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * SIGTERM ({@link Process#destroy()}) to the real command line ingest and to the real server during an
 * admin ingest and a reindex, on the demo bundle: the images in flight are committed with a
 * {@code cancelled} checkpoint, the index is CheckIndex-clean, the process exits within the bound
 * docs/operations.md states (the ingest's 60 s; the server's 30 s graceful HTTP phase plus the job's
 * 60 s), and the next run resumes with every file exactly once.
 */
class GracefulShutdownTest {
    static final int FILES = 400;
    static final long EXIT_BOUND_SECONDS = 90;
    static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path tmp;

    private Path source() throws IOException {
        Path source = tmp.resolve("source");
        for (int i = 0; i < FILES; i++) {
            TestImages.write(source, "f" + (i % 7) + "/img-" + i + (i % 3 == 0 ? ".jpg" : ".png"), i);
        }
        return source;
    }

    private Process fork(Path log, List<String> arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "-Xmx512m",
                "--add-modules",
                "jdk.incubator.vector",
                "--enable-native-access=ALL-UNNAMED",
                "-cp",
                System.getProperty("java.class.path"),
                "io.koclip.search.KoclipSearch"));
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(tmp.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("KOCLIP_ADMIN_TOKEN", "shutdown-token");
        builder.environment().put("ORT_DISABLE_TELEMETRY", "1");
        return builder.start();
    }

    @Test
    void sigtermToTheIngestCommandCommitsWhatIsInFlightAndTheNextRunResumes() throws Exception {
        Path source = source();
        Path index = tmp.resolve("index");
        List<String> ingest = List.of(
                "ingest",
                "--source",
                source.toString(),
                "--index",
                index.toString(),
                "--model",
                "demo",
                "--commit-every",
                "20",
                "--workers",
                "1",
                "--batch",
                "4",
                "--threads",
                "1",
                "--progress",
                "log");
        Process child = fork(tmp.resolve("ingest-1.log"), ingest);
        waitForCommit(index, child, null, tmp.resolve("ingest-1.log"));
        long seconds = terminate(child);
        System.out.println("ingest exited " + child.exitValue() + " " + seconds + " s after SIGTERM");
        assertThat(seconds).isLessThanOrEqualTo(EXIT_BOUND_SECONDS);

        JsonNode checkpoint = assertCleanCancelled(index);
        long committed = checkpoint.path("indexed").asLong();
        assertThat(new LuceneBackend(index).check(null).documents()).isEqualTo(committed);

        Path report = tmp.resolve("report.json");
        List<String> resume = new ArrayList<>(ingest);
        resume.addAll(List.of("--report", report.toString()));
        Process again = fork(tmp.resolve("ingest-2.log"), resume);
        assertThat(again.waitFor(600, TimeUnit.SECONDS)).isTrue();
        assertThat(again.exitValue())
                .as(Files.readString(tmp.resolve("ingest-2.log")))
                .isZero();
        JsonNode done = JSON.readTree(Files.readString(report));
        assertThat(done.path("resumed").asBoolean()).isTrue();
        assertThat(done.path("unchanged").asLong()).isEqualTo(committed);
        assertThat(done.path("documents").asLong()).isEqualTo(FILES);
        assertThat(done.path("failed").asLong()).isZero();
        assertThat(new LuceneBackend(index).check(null).clean()).isTrue();
    }

    @Test
    void sigtermToTheServerDuringAnAdminIngestAndAReindex() throws Exception {
        Path source = source();
        Path index = tmp.resolve("index");
        HttpClient http = HttpClient.newHttpClient();
        String previousRun = null;
        for (String job : List.of("ingest", "reindex")) {
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            Path log = tmp.resolve("serve-" + job + ".log");
            Process server = fork(
                    log,
                    List.of(
                            "serve",
                            "--port",
                            String.valueOf(port),
                            "--index",
                            index.toString(),
                            "--source",
                            source.toString(),
                            "--model",
                            "demo",
                            "--koclip.ingest.on-start=never",
                            "--koclip.ingest.commit-every=20",
                            "--koclip.ingest.workers=1",
                            "--koclip.ingest.batch=4",
                            "--koclip.model.threads=1"));
            String base = "http://127.0.0.1:" + port;
            awaitHttp(http, base + "/actuator/health/liveness", server, log);
            HttpResponse<String> submitted = http.send(
                    HttpRequest.newBuilder(URI.create(base + "/api/v1/admin/" + job))
                            .header("Authorization", "Bearer shutdown-token")
                            .POST(HttpRequest.BodyPublishers.noBody())
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(202);
            Path written = job.equals("ingest") ? index : tmp.resolve("index.next");
            waitForCommit(written, server, previousRun, log);
            long seconds = terminate(server);
            String output = Files.readString(log, StandardCharsets.UTF_8);
            System.out.println(
                    "server (" + job + ") exited " + server.exitValue() + " " + seconds + " s after SIGTERM");
            assertThat(seconds).isLessThanOrEqualTo(EXIT_BOUND_SECONDS);
            assertThat(output).contains(job + " job").doesNotContain("A fatal error has been detected");
            if (job.equals("ingest")) {
                JsonNode checkpoint = assertCleanCancelled(index);
                previousRun = checkpoint.path("run").asString();
                assertThat(new LuceneBackend(index).check(null).documents())
                        .isEqualTo(checkpoint.path("indexed").asLong())
                        .isLessThan(FILES);
            } else {
                // A reindex stopped before its switch is discarded; the live index is the ingest's.
                assertThat(Files.exists(tmp.resolve("index.next"))).isFalse();
                JsonNode checkpoint = assertCleanCancelled(index);
                assertThat(checkpoint.path("run").asString()).isEqualTo(previousRun);
            }
        }
        // The next start resumes the interrupted ingest.
        Path log = tmp.resolve("serve-resume.log");
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Process server = fork(
                log,
                List.of(
                        "serve",
                        "--port",
                        String.valueOf(port),
                        "--index",
                        index.toString(),
                        "--source",
                        source.toString(),
                        "--model",
                        "demo",
                        "--koclip.ingest.on-start=always",
                        "--koclip.model.threads=1"));
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(600);
            JsonNode checkpoint = null;
            while (System.nanoTime() < deadline) {
                assertThat(server.isAlive()).as(Files.readString(log)).isTrue();
                String recorded = new LuceneBackend(index)
                        .metadata()
                        .map(IndexMetadata::checkpoint)
                        .orElse(null);
                checkpoint = recorded == null ? null : JSON.readTree(recorded);
                if (checkpoint != null && checkpoint.path("complete").asBoolean()) {
                    break;
                }
                Thread.sleep(200);
            }
            assertThat(checkpoint).isNotNull();
            assertThat(checkpoint.path("complete").asBoolean()).isTrue();
            assertThat(Files.readString(log)).contains("did not finish; resuming");
        } finally {
            terminate(server);
        }
        IndexCheck check = new LuceneBackend(index).check(null);
        assertThat(check.clean()).isTrue();
        assertThat(check.documents()).isEqualTo(FILES);
    }

    /** SIGTERM, then the seconds until the process is gone (fails after the bound). */
    private static long terminate(Process process) throws InterruptedException {
        long t0 = System.nanoTime();
        process.destroy();
        boolean exited = process.waitFor(EXIT_BOUND_SECONDS + 30, TimeUnit.SECONDS);
        if (!exited) {
            process.destroyForcibly();
            throw new AssertionError("no exit within " + (EXIT_BOUND_SECONDS + 30) + " s of SIGTERM");
        }
        return TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0);
    }

    private static JsonNode assertCleanCancelled(Path index) throws IOException {
        IndexCheck check = new LuceneBackend(index).check(null);
        assertThat(check.clean()).as("CheckIndex after SIGTERM").isTrue();
        JsonNode checkpoint = JSON.readTree(check.metadata().checkpoint());
        assertThat(checkpoint.path("cancelled").asBoolean())
                .as("the last commit is the cancelled run's: %s", checkpoint)
                .isTrue();
        assertThat(checkpoint.path("complete").asBoolean()).isFalse();
        return checkpoint;
    }

    private static void awaitHttp(HttpClient http, String url, Process server, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (System.nanoTime() < deadline) {
            assertThat(server.isAlive()).as(Files.readString(log)).isTrue();
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding())
                                .statusCode()
                        == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the server did not answer " + url + " within 180 s");
    }

    /** Waits for a commit with documents in it of a run other than {@code previousRun}. */
    private static void waitForCommit(Path index, Process child, String previousRun, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
        while (System.nanoTime() < deadline) {
            assertThat(child.isAlive())
                    .as("ended before its first commit: " + Files.readString(log))
                    .isTrue();
            try {
                String recorded = new LuceneBackend(index)
                        .metadata()
                        .map(IndexMetadata::checkpoint)
                        .orElse(null);
                if (recorded != null) {
                    JsonNode node = JSON.readTree(recorded);
                    if (!node.path("run").asString().equals(previousRun)
                            && node.path("indexed").asLong() > 0) {
                        return;
                    }
                }
            } catch (IOException e) {
                // the segments file was replaced while being read: look again
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no commit within 300 s");
    }
}
