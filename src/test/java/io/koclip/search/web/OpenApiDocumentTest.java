package io.koclip.search.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.koclip.search.model.ClipModel;
import io.koclip.search.search.LiveIndex;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.bean.override.convention.TestBean;

/**
 * The OpenAPI document as the running server serves it, saved to {@code target/openapi.json} for
 * {@code src/test/openapi/validate.sh} (swagger-parser and Redocly lint).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class OpenApiDocumentTest {
    /** Where validate.sh reads the document; relative to the module (Surefire's working directory). */
    static final Path SAVED = Path.of("target", "openapi.json");

    @TempDir
    static Path folder;

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        Files.createDirectories(folder.resolve("source"));
        registry.add("koclip.index.path", () -> folder.resolve("index").toString());
        registry.add("koclip.ingest.source", () -> folder.resolve("source").toString());
        registry.add("koclip.admin.token", () -> "openapi-test-token");
    }

    @TestBean(methodName = "io.koclip.search.web.FakeModelStackTest#clipModel")
    ClipModel clipModel;

    @TestBean(methodName = "io.koclip.search.web.FakeModelStackTest#indexOpener")
    LiveIndex.Opener indexOpener;

    @TestBean(methodName = "io.koclip.search.web.FakeModelStackTest#ingestRunner")
    IngestRunner ingestRunner;

    @Test
    void savesTheServedDocument() throws Exception {
        HttpResponse<String> response;
        try (HttpClient http = HttpClient.newHttpClient()) {
            response = http.send(
                    HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v3/api-docs"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        }
        assertThat(response.statusCode()).isEqualTo(200);
        Files.createDirectories(SAVED.getParent());
        Files.writeString(SAVED, response.body());
    }
}
