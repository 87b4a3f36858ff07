package io.koclip.search.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The server with native decoding off ({@code koclip.image.decoder=imageio}), as on a machine without
 * libvips: HEIC and AVIF uploads are refused with an {@code image-unsupported-format} problem that
 * says what to do, and health says why ImageIO decodes.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
// closed before JUnit deletes the static temporary folder it writes into
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class HeifWithoutLibvipsStackTest {
    @TempDir
    static Path folder;

    @LocalServerPort
    int port;

    final HttpClient http = HttpClient.newHttpClient();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        Path source = Files.createDirectories(folder.resolve("source"));
        Files.copy(HeifStackTest.FIXTURES.resolve("source.png"), source.resolve("source.png"));
        registry.add("koclip.index.path", () -> folder.resolve("index").toString());
        registry.add("koclip.ingest.source", source::toString);
        registry.add("koclip.model.bundle", () -> "demo");
        registry.add("koclip.image.decoder", () -> "imageio");
    }

    HttpResponse<byte[]> get(String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void heifUploadsAreUnsupportedWithWhatToDo() throws Exception {
        await().atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> get("/actuator/health").statusCode() == 200);
        assertThat(HeifStackTest.json(get("/actuator/health"))
                        .at("/components/model/details/imageDecoder")
                        .asString())
                .isEqualTo("imageio (native decoding off by configuration)");
        for (String name : new String[] {"photo.heic", "photo.avif"}) {
            String boundary = "koclip-" + UUID.randomUUID();
            byte[] image = Files.readAllBytes(HeifStackTest.FIXTURES.resolve(name));
            HttpResponse<byte[]> response = http.send(
                    HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/search/image"))
                            .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                            .POST(DemoStackTest.multipart(boundary, name, image))
                            .build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(response.statusCode()).as(HeifStackTest.text(response)).isEqualTo(415);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            JsonNode problem = HeifStackTest.json(response);
            assertThat(problem.get("code").asString()).isEqualTo("image-unsupported-format");
            assertThat(problem.get("detail").asString())
                    .contains("needs libvips")
                    .contains(name.endsWith("heic") ? "heic" : "avif");
        }
    }
}
