package io.koclip.search.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.koclip.search.image.ImageDecoder;
import io.koclip.search.index.DocumentIds;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * HEIC and AVIF through the whole server on the libvips path with {@code koclip.image.decode-mode=fast}
 * (the demo bundle, a folder of an HEIC, an AVIF and a PNG ingested at start-up): originals with their
 * media types, thumbnails, and HEIC uploads to image search, zero-shot labels and patches. Skipped
 * without libvips; {@link HeifWithoutLibvipsStackTest} is the other side.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
// closed before JUnit deletes the static temporary folder it writes into
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class HeifStackTest {
    static final Path FIXTURES = Path.of("src/test/resources/images/heif");

    @TempDir
    static Path folder;

    @LocalServerPort
    int port;

    final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void libvips() {
        assumeTrue(ImageDecoder.nativeAvailable(), "libvips not available: " + ImageDecoder.nativeStatus());
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        Path source = Files.createDirectories(folder.resolve("source"));
        for (String name : new String[] {"photo.heic", "photo.avif", "source.png"}) {
            Files.copy(FIXTURES.resolve(name), source.resolve(name));
        }
        registry.add("koclip.index.path", () -> folder.resolve("index").toString());
        registry.add("koclip.ingest.source", source::toString);
        registry.add("koclip.model.bundle", () -> "demo");
        registry.add("koclip.image.decode-mode", () -> "fast");
    }

    HttpResponse<byte[]> get(String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    HttpResponse<byte[]> upload(String path, String filename, byte[] image, String... fields) throws Exception {
        String boundary = "koclip-" + UUID.randomUUID();
        return http.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                        .header("Accept", "application/json")
                        .POST(DemoStackTest.multipart(boundary, filename, image, fields))
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    static JsonNode json(HttpResponse<byte[]> response) {
        return JsonMapper.builder().build().readTree(response.body());
    }

    static String text(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    void awaitIngested() {
        await().atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> get("/actuator/health").statusCode() == 200
                        && json(get("/actuator/health"))
                                        .at("/components/index/details/documents")
                                        .asInt()
                                == 3);
    }

    @Test
    void healthNamesTheDecoderAndItsMode() throws Exception {
        awaitIngested();
        String decoder = json(get("/actuator/health"))
                .at("/components/model/details/imageDecoder")
                .asString();
        assertThat(decoder).startsWith("libvips 8.").contains("shrink fast");
    }

    @Test
    void originalsHaveTheirMediaTypesAndThumbnailsAreJpegs() throws Exception {
        awaitIngested();
        HttpResponse<byte[]> heic = get("/api/v1/images/" + DocumentIds.forPath("photo.heic"));
        assertThat(heic.statusCode()).as(text(heic)).isEqualTo(200);
        assertThat(heic.headers().firstValue("Content-Type")).hasValue("image/heic");
        assertThat(heic.body()).isEqualTo(Files.readAllBytes(FIXTURES.resolve("photo.heic")));
        HttpResponse<byte[]> avif = get("/api/v1/images/" + DocumentIds.forPath("photo.avif"));
        assertThat(avif.headers().firstValue("Content-Type")).hasValue("image/avif");

        for (String name : new String[] {"photo.heic", "photo.avif"}) {
            HttpResponse<byte[]> thumbnail = get("/api/v1/images/" + DocumentIds.forPath(name) + "/thumbnail");
            assertThat(thumbnail.statusCode()).as(name).isEqualTo(200);
            assertThat(thumbnail.headers().firstValue("Content-Type")).hasValue("image/jpeg");
            var image = ImageIO.read(new ByteArrayInputStream(thumbnail.body()));
            assertThat(image.getWidth() * 3).as(name).isEqualTo(image.getHeight() * 4); // 320x240, scaled
        }
    }

    @Test
    void heicUploadsAreSearchedClassifiedAndPatched() throws Exception {
        awaitIngested();
        byte[] heic = Files.readAllBytes(FIXTURES.resolve("photo.heic"));
        HttpResponse<byte[]> search = upload("/api/v1/search/image?k=3", "IMG_0001.HEIC", heic);
        assertThat(search.statusCode()).as(text(search)).isEqualTo(200);
        // The same picture as HEIC, AVIF and PNG: the HEIC itself ranks first (cosine 1).
        assertThat(json(search).at("/hits/0/path").asString()).isEqualTo("photo.heic");
        assertThat(json(search).get("hits").size()).isEqualTo(3);

        HttpResponse<byte[]> classify =
                upload("/api/v1/classify", "IMG_0001.HEIC", heic, "labels", "빨간 원", "labels", "파란 원");
        assertThat(classify.statusCode()).as(text(classify)).isEqualTo(200);
        assertThat(json(classify).get("labels").size()).isEqualTo(2);

        HttpResponse<byte[]> patches = upload(
                "/api/v1/patches",
                "IMG_0001.AVIF",
                Files.readAllBytes(FIXTURES.resolve("photo.avif")),
                "q",
                "빨간 네모",
                "rows",
                "2",
                "cols",
                "2");
        assertThat(patches.statusCode()).as(text(patches)).isEqualTo(200);
        assertThat(json(patches).get("patches").size()).isEqualTo(4);
    }
}
