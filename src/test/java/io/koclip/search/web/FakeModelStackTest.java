package io.koclip.search.web;

import static io.koclip.search.index.InMemoryVectorIndex.unit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.koclip.search.index.ImageDocument;
import io.koclip.search.index.InMemoryBackend;
import io.koclip.search.index.IndexBackend;
import io.koclip.search.model.ClipModel;
import io.koclip.search.model.ExecutionProvider;
import io.koclip.search.model.ModelBundle;
import io.koclip.search.model.PromptTemplates;
import io.koclip.search.model.TextEncoder;
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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.bean.override.convention.TestBean;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The whole server on a random port (filters, error pages, actuator, OpenAPI, static page, admin
 * jobs, start-up ingest) with a fake model and an in-memory index, so it runs without model files.
 * {@code DemoStackTest} does the same on the real demo bundle and Lucene index.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
// closed before JUnit deletes the static temporary folder it writes into
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class FakeModelStackTest {
    static final String TOKEN = "stack-test-token";
    static final int DIM = 8;

    @TempDir
    static Path folder;

    @LocalServerPort
    int port;

    final HttpClient http = HttpClient.newHttpClient();
    final ObjectMapper json = JsonMapper.builder().build();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        Path source = folder.resolve("source");
        Files.createDirectories(source.resolve("red"));
        Files.write(source.resolve("red/red-1.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10});
        Files.writeString(folder.resolve("outside.txt"), "secret");
        registry.add("koclip.index.path", () -> folder.resolve("index").toString());
        registry.add("koclip.ingest.source", source::toString);
        registry.add("koclip.admin.token", () -> TOKEN);
        registry.add("spring.servlet.multipart.max-file-size", () -> "10KB");
        registry.add("spring.servlet.multipart.max-request-size", () -> "20KB");
    }

    static ClipModel clipModel() {
        ClipModel model = mock(ClipModel.class);
        ModelBundle bundle = mock(ModelBundle.class);
        when(bundle.name()).thenReturn("fake");
        when(bundle.fingerprint()).thenReturn("fp");
        when(bundle.embeddingDim()).thenReturn(DIM);
        when(bundle.logitScale()).thenReturn(100f);
        when(bundle.zeroShot()).thenReturn(ModelBundle.ZeroShot.SOFTMAX);
        // the server's decoder sizes its shrink-on-load from the model's input
        when(bundle.image())
                .thenReturn(new ModelBundle.ImageSpec(
                        "image.onnx",
                        "pixel_values",
                        "image_embeds",
                        new io.koclip.search.image.PreprocessSpec(
                                16,
                                io.koclip.search.image.PreprocessSpec.Resize.SHORTEST_EDGE,
                                io.koclip.search.image.PreprocessSpec.Interpolation.BICUBIC,
                                true,
                                new float[] {0.5f, 0.5f, 0.5f},
                                new float[] {0.25f, 0.25f, 0.25f}),
                        Map.of()));
        when(bundle.location()).thenReturn("fake-bundle"); // a local folder: health shows "local"
        when(model.bundle()).thenReturn(bundle);
        when(model.provider()).thenReturn(ExecutionProvider.CPU);
        when(model.providerSelection())
                .thenReturn(new io.koclip.search.model.ProviderSelection(
                        ExecutionProvider.CPU, ExecutionProvider.CPU, null));
        when(model.templates()).thenReturn(new PromptTemplates(Map.of("ko", List.of("{}이다."))));
        TextEncoder texts = mock(TextEncoder.class);
        when(model.texts()).thenReturn(texts);
        when(texts.encode(anyList())).thenAnswer(inv -> {
            List<String> prompts = inv.getArgument(0);
            return prompts.stream()
                    .map(p -> p.contains("빨간") ? unit(DIM, 0, 7, 0) : unit(DIM, 1, 7, 0))
                    .toArray(float[][]::new);
        });
        when(texts.encodePrompts(anyList())).thenCallRealMethod();
        return model;
    }

    static IndexBackend indexBackend() {
        return new InMemoryBackend();
    }

    /** Indexes the source folder's one file, like the real ingest would. */
    static IngestRunner ingestRunner() {
        return (source, settings, target, progress, cancelled) -> {
            target.upsert(new ImageDocument(
                    "red-1", "red/red-1.png", "hash-red-1", 8, 8, 8, 0, "png", null, unit(DIM, 0, 7, 0.2f)));
            // a document whose stored path tries to escape the source folder
            target.upsert(new ImageDocument(
                    "evil", "../outside.txt", "hash-evil", 8, 8, 8, 0, "png", null, unit(DIM, 1, 7, 0.2f)));
            target.commit(null);
            progress.accept(new JobProgress(2, 2, "done"));
            return Map.of("indexed", 2);
        };
    }

    @TestBean(methodName = "clipModel")
    ClipModel clipModel;

    @TestBean(methodName = "indexBackend")
    IndexBackend indexBackend;

    @TestBean(methodName = "ingestRunner")
    IngestRunner ingestRunner;

    HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .POST(HttpRequest.BodyPublishers.noBody());
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    JsonNode body(HttpResponse<String> response) {
        return json.readTree(response.body());
    }

    void awaitReady() {
        await().atMost(Duration.ofSeconds(20))
                .until(() -> get("/actuator/health").statusCode() == 200);
    }

    static String q(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    @Test
    void startUpIngestThenKoreanSearch() throws Exception {
        awaitReady();
        HttpResponse<String> response = get("/api/v1/search?q=" + q("  빨간   원 "));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        JsonNode body = body(response);
        assertThat(body.get("query").asString()).isEqualTo("빨간 원");
        assertThat(body.get("model").asString()).isEqualTo("fake");
        assertThat(body.get("hits").get(0).get("id").asString()).isEqualTo("red-1");
        assertThat(body.get("hits").get(0).get("thumbnailUrl").asString()).isEqualTo("/api/v1/images/red-1/thumbnail");
        assertThat(body(get("/api/v1/search?q=" + q("빨간 원"))).get("cached").asBoolean())
                .isTrue();
    }

    @Test
    void healthIsPublicAndDetailed() throws Exception {
        awaitReady();
        JsonNode health = body(get("/actuator/health"));
        assertThat(health.get("status").asString()).isEqualTo("UP");
        assertThat(health.at("/components/model/details/name").asString()).isEqualTo("fake");
        assertThat(health.at("/components/model/details/provider").asString()).isEqualTo("cpu");
        assertThat(health.at("/components/index/details/open").asBoolean()).isTrue();
        assertThat(health.at("/components/index/details/documents").asLong()).isEqualTo(2);
        assertThat(health.at("/components/index/details/backend").asString()).isEqualTo("memory");
        assertThat(health.at("/components/index/details/cluster").isMissingNode())
                .isTrue();
        assertThat(get("/actuator/health/readiness").statusCode()).isEqualTo(200);
    }

    @Test
    void metricsNeedTheToken() throws Exception {
        awaitReady();
        get("/api/v1/search?q=" + q("빨간 원"));
        assertThat(get("/actuator/prometheus").statusCode()).isEqualTo(401);
        assertThat(get("/actuator/metrics").statusCode()).isEqualTo(401);
        HttpResponse<String> prometheus = get("/actuator/prometheus", "Authorization", "Bearer " + TOKEN);
        assertThat(prometheus.statusCode()).isEqualTo(200);
        assertThat(prometheus.body())
                .contains("koclip_search_seconds_count{kind=\"text\"")
                .contains("koclip_encoder_seconds")
                .contains("cache_gets_total{cache=\"text-embeddings\"")
                .contains("koclip_inference_permits_available")
                .contains("koclip_index_documents");
    }

    @Test
    void imagesByIdOnlyAndNeverOutsideTheSource() throws Exception {
        awaitReady();
        HttpResponse<String> image = get("/api/v1/images/red-1");
        assertThat(image.statusCode()).isEqualTo(200);
        assertThat(image.headers().firstValue("Content-Type")).hasValue("image/png");
        assertThat(image.headers().firstValue("ETag")).hasValue("\"hash-red-1\"");
        assertThat(get("/api/v1/images/red-1", "If-None-Match", "\"hash-red-1\"")
                        .statusCode())
                .isEqualTo(304);
        HttpResponse<String> evil = get("/api/v1/images/evil");
        assertThat(evil.statusCode()).isEqualTo(404);
        assertThat(evil.body()).doesNotContain("secret");
        HttpResponse<String> encoded = get("/api/v1/images/..%2F..%2Fetc%2Fpasswd");
        assertThat(encoded.statusCode()).isIn(400, 404);
        assertThat(encoded.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(encoded.body()).doesNotContain("root:");
        assertThat(get("/api/v1/images/nope").statusCode()).isEqualTo(404);
    }

    @Test
    void springErrorsAreProblems() throws Exception {
        for (HttpResponse<String> response : List.of(
                get("/api/v1/search"),
                get("/api/v1/search?q=x&k=many"),
                get("/api/v1/search?q=x&k=0"),
                get("/api/v1/nothing"),
                post("/api/v1/search?q=x"),
                get("/api/v1/search?q=" + q("가".repeat(201))))) {
            assertThat(response.headers().firstValue("Content-Type"))
                    .as(response.uri() + " " + response.statusCode())
                    .hasValue("application/problem+json");
            assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ");
        }
        assertThat(get("/api/v1/nothing").statusCode()).isEqualTo(404);
        assertThat(post("/api/v1/search?q=x").statusCode()).isEqualTo(405);
        assertThat(body(get("/api/v1/search?q=x&k=0")).get("detail").asString()).isEqualTo("k: 0 is not in [1, 1000]");
    }

    @Test
    void uploadOverTheSizeLimitIs413Problem() throws Exception {
        String boundary = "----koclip";
        byte[] big = new byte[64 * 1024];
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"big.png\"\r\n"
                        + "Content-Type: image/png\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] multipart = new byte[head.length + big.length + tail.length];
        System.arraycopy(head, 0, multipart, 0, head.length);
        System.arraycopy(tail, 0, multipart, head.length + big.length, tail.length);
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/search/image"))
                        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(multipart))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    }

    @Test
    void adminJobsOverHttp() throws Exception {
        awaitReady();
        assertThat(post("/api/v1/admin/reindex").statusCode()).isEqualTo(401);
        HttpResponse<String> accepted = post("/api/v1/admin/reindex", "Authorization", "Bearer " + TOKEN);
        assertThat(accepted.statusCode()).isEqualTo(202);
        String jobId = body(accepted).get("jobId").asString();
        await().atMost(Duration.ofSeconds(20))
                .until(() -> body(get("/api/v1/admin/jobs/" + jobId, "Authorization", "Bearer " + TOKEN))
                        .get("state")
                        .asString()
                        .equals("succeeded"));
        JsonNode job = body(get("/api/v1/admin/jobs/" + jobId, "Authorization", "Bearer " + TOKEN));
        assertThat(job.get("type").asString()).isEqualTo("reindex");
        assertThat(job.at("/report/indexed").asInt()).isEqualTo(2);
        // searches answer after the switch
        assertThat(body(get("/api/v1/search?q=" + q("빨간 원"))).at("/hits/0/id").asString())
                .isEqualTo("red-1");
        assertThat(get("/api/v1/admin/jobs/nope", "Authorization", "Bearer " + TOKEN)
                        .statusCode())
                .isEqualTo(404);
    }

    @Test
    void openApiDocumentDescribesTheApi() throws Exception {
        HttpResponse<String> response = get("/v3/api-docs");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode api = body(response);
        assertThat(api.get("openapi").asString()).startsWith("3.");
        assertThat(api.at("/info/title").asString()).isEqualTo("koclip-search API");
        JsonNode paths = api.get("paths");
        for (String path : List.of(
                "/api/v1/search",
                "/api/v1/search/image",
                "/api/v1/search/similar/{id}",
                "/api/v1/classify",
                "/api/v1/patches",
                "/api/v1/images/{id}",
                "/api/v1/images/{id}/thumbnail",
                "/api/v1/admin/ingest",
                "/api/v1/admin/reindex",
                "/api/v1/admin/jobs/{id}")) {
            assertThat(paths.has(path)).as(path).isTrue();
        }
        List<String> searchParameters = paths.at("/~1api~1v1~1search/get/parameters")
                .valueStream()
                .map(p -> p.get("name").asString())
                .toList();
        assertThat(searchParameters).contains("q", "k", "offset", "minScore", "template", "dedup", "folder", "format");
        assertThat(get("/swagger-ui.html").statusCode()).isIn(200, 302);
    }

    @Test
    void thePageIsServedAtTheRoot() throws Exception {
        HttpResponse<String> page = get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<html lang=\"ko\">").contains("app.js");
        assertThat(get("/app.js").statusCode()).isEqualTo(200);
    }
}
