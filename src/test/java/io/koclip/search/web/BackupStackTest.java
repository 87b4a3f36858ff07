package io.koclip.search.web;

import static io.koclip.search.index.InMemoryVectorIndex.unit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.koclip.search.index.ImageDocument;
import io.koclip.search.index.IndexBackend;
import io.koclip.search.index.lucene.LuceneBackend;
import io.koclip.search.model.ClipModel;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.bean.override.convention.TestBean;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /api/v1/admin/backup} on the real server with the embedded Lucene index (fake model):
 * backups taken while an admin ingest writes and searches run are clean commits under
 * {@code koclip.backup.folder}; the admin token guards it.
 *
 * <p>The context is closed after the class (so the index writer is closed) before JUnit deletes the
 * static temporary folder: a cached context kept writing into it while it was being deleted.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class BackupStackTest {
    static final String TOKEN = "backup-test-token";
    static final int DIM = FakeModelStackTest.DIM;

    @TempDir
    static Path folder;

    @LocalServerPort
    int port;

    final HttpClient http = HttpClient.newHttpClient();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        Path source = Files.createDirectories(folder.resolve("source"));
        registry.add("koclip.index.path", () -> folder.resolve("index").toString());
        registry.add("koclip.ingest.source", source::toString);
        registry.add("koclip.admin.token", () -> TOKEN);
        registry.add("koclip.backup.folder", () -> folder.resolve("backups").toString());
    }

    static ClipModel clipModel() {
        return FakeModelStackTest.clipModel();
    }

    static IndexBackend indexBackend() {
        return new LuceneBackend(folder.resolve("index"));
    }

    static final AtomicInteger runs = new AtomicInteger();

    /** Each run writes 300 documents, 10 per batch with a commit, slowly enough for backups to land mid-run. */
    static IngestRunner ingestRunner() {
        return (source, settings, target, progress, cancelled) -> {
            int run = runs.incrementAndGet();
            for (int i = 0; i < 300 && !cancelled.getAsBoolean(); i++) {
                target.upsert(new ImageDocument(
                        "r" + run + "-" + i,
                        "r" + run + "/" + i + ".png",
                        "h" + run + "-" + i,
                        8,
                        8,
                        8,
                        0,
                        "png",
                        null,
                        unit(DIM, i % DIM, (i + 1) % DIM, 0.3f)));
                if (i % 10 == 9) {
                    target.commit("{\"run\":" + run + ",\"written\":" + (i + 1) + "}");
                    try {
                        Thread.sleep(15);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        break;
                    }
                }
            }
            target.commit(null);
            progress.accept(new JobProgress(300, 300, "done"));
            return Map.of("run", run);
        };
    }

    @TestBean(methodName = "clipModel")
    ClipModel clipModel;

    @TestBean(methodName = "indexBackend")
    IndexBackend indexBackend;

    @TestBean(methodName = "ingestRunner")
    IngestRunner ingestRunner;

    HttpResponse<String> post(String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .POST(HttpRequest.BodyPublishers.noBody());
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void backupsDuringAnAdminIngestAndSearchesAreCleanCommits() throws Exception {
        await().atMost(Duration.ofSeconds(60))
                .until(() -> get("/actuator/health").statusCode() == 200);
        assertThat(post("/api/v1/admin/backup").statusCode()).isEqualTo(401);

        HttpResponse<String> job = post("/api/v1/admin/ingest", "Authorization", "Bearer " + TOKEN);
        assertThat(job.statusCode()).isEqualTo(202);
        AtomicBoolean stop = new AtomicBoolean();
        List<Integer> searchStatuses = new ArrayList<>();
        Thread searcher = new Thread(() -> {
            String q = URLEncoder.encode("빨간 원", StandardCharsets.UTF_8);
            while (!stop.get()) {
                try {
                    int status = get("/api/v1/search?q=" + q).statusCode();
                    synchronized (searchStatuses) {
                        searchStatuses.add(status);
                    }
                } catch (Exception e) {
                    synchronized (searchStatuses) {
                        searchStatuses.add(-1);
                    }
                }
            }
        });
        searcher.start();
        JsonMapper json = JsonMapper.builder().build();
        List<JsonNode> backups = new ArrayList<>();
        try {
            for (int b = 0; b < 3; b++) {
                HttpResponse<String> response = post("/api/v1/admin/backup", "Authorization", "Bearer " + TOKEN);
                assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
                backups.add(json.readTree(response.body()));
            }
        } finally {
            stop.set(true);
            searcher.join();
        }
        for (JsonNode b : backups) {
            Path location = Path.of(b.get("location").asString());
            assertThat(location.getParent()).isEqualTo(folder.resolve("backups").toAbsolutePath());
            assertThat(b.get("clean").asBoolean()).isTrue();
            assertThat(new LuceneBackend(location).check(null).clean()).isTrue();
            assertThat(new LuceneBackend(location).check(null).documents())
                    .isEqualTo(b.get("documents").asLong());
        }
        assertThat(searchStatuses).isNotEmpty().containsOnly(200);
        String jobId = json.readTree(job.body()).get("jobId").asString();
        await().atMost(Duration.ofSeconds(60))
                .until(() -> json.readTree(get("/api/v1/admin/jobs/" + jobId, "Authorization", "Bearer " + TOKEN)
                                .body())
                        .get("state")
                        .asString()
                        .equals("succeeded"));
    }
}
