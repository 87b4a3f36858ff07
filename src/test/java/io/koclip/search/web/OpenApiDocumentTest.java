package io.koclip.search.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.koclip.search.index.IndexBackend;
import io.koclip.search.model.ClipModel;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
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
 * The OpenAPI document as the running server serves it (fake model, in-memory index, like {@link
 * FakeModelStackTest}): saved to {@code target/openapi.json} for {@code src/test/openapi/validate.sh}
 * (swagger-parser and Redocly lint), and checked here for what a regression would break first —
 * a security declaration and problem+json error answers on every operation, and a ProblemDetail
 * schema that matches the problems the server really sends.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
// closed before JUnit deletes the static temporary folder it writes into
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class OpenApiDocumentTest {
    /** Where validate.sh reads the document; relative to the module (Surefire's working directory). */
    static final Path SAVED = Path.of("target", "openapi.json");

    static final String TOKEN = "openapi-test-token";
    static final String PROBLEM_REF = "#/components/schemas/ProblemDetail";

    @TempDir
    static Path folder;

    @LocalServerPort
    int port;

    final HttpClient http = HttpClient.newHttpClient();
    final ObjectMapper json = JsonMapper.builder().build();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        Files.createDirectories(folder.resolve("source"));
        registry.add("koclip.index.path", () -> folder.resolve("index").toString());
        registry.add("koclip.ingest.source", () -> folder.resolve("source").toString());
        registry.add("koclip.admin.token", () -> TOKEN);
    }

    @TestBean(methodName = "io.koclip.search.web.FakeModelStackTest#clipModel")
    ClipModel clipModel;

    @TestBean(methodName = "io.koclip.search.web.FakeModelStackTest#indexBackend")
    IndexBackend indexBackend;

    @TestBean(methodName = "io.koclip.search.web.FakeModelStackTest#ingestRunner")
    IngestRunner ingestRunner;

    HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + port + path));
    }

    JsonNode document() throws Exception {
        HttpResponse<String> response = send(request("/v3/api-docs"));
        assertThat(response.statusCode()).isEqualTo(200);
        return json.readTree(response.body());
    }

    /** Every operation of the document, as "METHOD path" → operation. */
    static Map<String, JsonNode> operations(JsonNode api) {
        Map<String, JsonNode> operations = new TreeMap<>();
        api.get("paths")
                .properties()
                .forEach(path -> path.getValue()
                        .properties()
                        .forEach(op -> operations.put(
                                op.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey(), op.getValue())));
        return operations;
    }

    @Test
    void savesTheServedDocument() throws Exception {
        HttpResponse<String> response = send(request("/v3/api-docs"));
        assertThat(response.statusCode()).isEqualTo(200);
        Files.createDirectories(SAVED.getParent());
        Files.writeString(SAVED, response.body());
        assertThat(json.readTree(Files.readString(SAVED)).get("openapi").asString())
                .startsWith("3.1");
    }

    @Test
    void licenseAndServerPassTheSchemaAndLint() throws Exception {
        JsonNode api = document();
        JsonNode license = api.at("/info/license");
        // OpenAPI 3.1: a license has exactly one of identifier (SPDX) and url
        assertThat(license.has("identifier") ^ license.has("url"))
                .as(license.toString())
                .isTrue();
        for (JsonNode server : api.get("servers")) {
            assertThat(server.get("url").asString()).doesNotContain("localhost").doesNotContain("example.com");
        }
    }

    @Test
    void adminOperationsNeedTheBearerTokenAndTheRestSayTheyArePublic() throws Exception {
        JsonNode api = document();
        assertThat(api.at("/components/securitySchemes/adminToken/type").asString())
                .isEqualTo("http");
        assertThat(api.at("/components/securitySchemes/adminToken/scheme").asString())
                .isEqualTo("bearer");
        Map<String, JsonNode> operations = operations(api);
        assertThat(operations).hasSizeGreaterThanOrEqualTo(12);
        operations.forEach((name, operation) -> {
            String path = name.substring(name.indexOf(' ') + 1);
            JsonNode security = operation.get("security");
            assertThat(security).as(name + " declares its security").isNotNull();
            if (AdminTokenFilter.guarded(path)) {
                assertThat(security.toString()).as(name).isEqualTo("[{\"adminToken\":[]}]");
                assertThat(operation.at("/responses/401/headers").has("WWW-Authenticate"))
                        .as(name)
                        .isTrue();
            } else {
                assertThat(security.isEmpty())
                        .as(name + " is public: security []")
                        .isTrue();
            }
        });
    }

    @Test
    void everyOperationDocumentsItsErrorsAsProblemJson() throws Exception {
        operations(document()).forEach((name, operation) -> {
            JsonNode responses = operation.get("responses");
            List<String> statuses = new ArrayList<>();
            responses.propertyNames().forEach(statuses::add);
            assertThat(statuses).as(name).anyMatch(s -> s.startsWith("4")).contains("500");
            assertThat(statuses).as(name).anyMatch(s -> s.startsWith("2"));
            for (String status : statuses) {
                if (!OpenApiConfiguration.isError(status)) {
                    continue;
                }
                JsonNode content = responses.get(status).get("content");
                assertThat(content.propertyNames()).as(name + " " + status).containsExactly("application/problem+json");
                assertThat(content.at("/application~1problem+json/schema/$ref").asString())
                        .as(name + " " + status)
                        .isEqualTo(PROBLEM_REF);
                if (status.equals("503")) {
                    assertThat(responses.get(status).get("headers").has("Retry-After"))
                            .as(name)
                            .isTrue();
                }
            }
        });
    }

    /** A request that fails, and the operation of the document it belongs to. */
    record Failing(String operation, HttpRequest.Builder request, int status) {}

    @Test
    void theProblemsTheServerSendsAreTheOnesDocumented() throws Exception {
        await().atMost(Duration.ofSeconds(20))
                .until(() -> send(request("/actuator/health")).statusCode() == 200);
        JsonNode api = document();
        Map<String, JsonNode> operations = operations(api);
        JsonNode schema = api.at("/components/schemas/ProblemDetail");
        Set<String> properties = new HashSet<>(schema.get("properties").propertyNames());
        String boundary = "openapi-test-boundary";
        byte[] notAnImage = ("--" + boundary + "\r\n"
                        + "Content-Disposition: form-data; name=\"image\"; filename=\"note.txt\"\r\n"
                        + "Content-Type: text/plain\r\n\r\n"
                        + "not an image\r\n"
                        + "--" + boundary + "--\r\n")
                .getBytes(StandardCharsets.UTF_8);
        List<Failing> failing = List.of(
                new Failing("GET /api/v1/search", request("/api/v1/search"), 400),
                new Failing("GET /api/v1/search", request("/api/v1/search?q=x&k=0"), 400),
                new Failing("GET /api/v1/search/similar/{id}", request("/api/v1/search/similar/nope"), 404),
                new Failing(
                        "POST /api/v1/search/compose",
                        request("/api/v1/search/compose")
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString("{\"terms\": []}")),
                        400),
                new Failing(
                        "POST /api/v1/search/compose",
                        request("/api/v1/search/compose")
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString("{\"terms\": [{\"imageId\": \"nope\"}]}")),
                        404),
                new Failing("GET /api/v1/duplicates", request("/api/v1/duplicates?maxDistance=2"), 400),
                new Failing("GET /api/v1/images/{id}", request("/api/v1/images/nope"), 404),
                new Failing("GET /api/v1/images/{id}/thumbnail", request("/api/v1/images/nope/thumbnail"), 404),
                new Failing(
                        "POST /api/v1/search/image",
                        request("/api/v1/search/image")
                                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                                .POST(HttpRequest.BodyPublishers.ofByteArray(notAnImage)),
                        415),
                new Failing("GET /api/v1/admin/jobs", request("/api/v1/admin/jobs"), 401),
                new Failing(
                        "GET /api/v1/admin/jobs/{id}",
                        request("/api/v1/admin/jobs/nope").header("Authorization", "Bearer " + TOKEN),
                        404));
        for (Failing f : failing) {
            HttpResponse<String> response = send(f.request());
            String what = f.operation() + " → " + response.body();
            assertThat(response.statusCode()).as(what).isEqualTo(f.status());
            // the admin filter adds ";charset=UTF-8"
            assertThat(response.headers().firstValue("Content-Type"))
                    .as(what)
                    .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
            assertThat(operations
                            .get(f.operation())
                            .at("/responses/" + f.status())
                            .isMissingNode())
                    .as(what + ": status documented")
                    .isFalse();
            JsonNode problem = json.readTree(response.body());
            for (JsonNode required : schema.get("required")) {
                assertThat(problem.has(required.asString()))
                        .as(what + ": has " + required)
                        .isTrue();
            }
            assertThat(properties).as(what + ": every member in the schema").containsAll(problem.propertyNames());
            assertThat(problem.get("status").asInt()).as(what).isEqualTo(f.status());
        }
    }
}
