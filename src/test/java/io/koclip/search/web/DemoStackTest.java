package io.koclip.search.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.koclip.search.image.TestImages;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
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
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
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
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The real server on a random port: the embedded demo bundle, the Lucene index, and the sample corpus
 * in {@code ingest/}, ingested at start-up into a fresh index. Asserts real retrieval in Korean and
 * English, image search, zero-shot labels, patches, images and upload errors.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
// closed before JUnit deletes the static temporary folder it writes into
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class DemoStackTest {
    static final Path CORPUS = Path.of("ingest");
    static final String TOKEN = "demo-stack-token";

    @TempDir
    static Path folder;

    @LocalServerPort
    int port;

    final HttpClient http = HttpClient.newHttpClient();
    final ObjectMapper json = JsonMapper.builder().build();

    @BeforeAll
    static void corpusPresent() {
        assumeTrue(Files.isDirectory(CORPUS), "the sample corpus ingest/ is not here");
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("koclip.index.path", () -> folder.resolve("index").toString());
        registry.add("koclip.ingest.source", () -> CORPUS.toAbsolutePath().toString());
        registry.add("koclip.model.bundle", () -> "demo");
        registry.add("koclip.admin.token", () -> TOKEN);
    }

    HttpResponse<byte[]> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + port + path));
    }

    JsonNode json(HttpResponse<byte[]> response) {
        return json.readTree(response.body());
    }

    void awaitReady() {
        await().atMost(Duration.ofMinutes(5))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> send(request("/actuator/health")).statusCode() == 200);
    }

    JsonNode search(String query) throws Exception {
        HttpResponse<byte[]> response =
                send(request("/api/v1/search?k=10&q=" + URLEncoder.encode(query, StandardCharsets.UTF_8)));
        assertThat(response.statusCode())
                .as(new String(response.body(), StandardCharsets.UTF_8))
                .isEqualTo(200);
        return json(response);
    }

    static Path corpusFile(String prefix) throws IOException {
        try (Stream<Path> files = Files.walk(CORPUS)) {
            Optional<Path> file = files.filter(p -> p.getFileName().toString().startsWith(prefix))
                    .sorted()
                    .findFirst();
            return file.orElseThrow(() -> new IllegalStateException("no " + prefix + "* in " + CORPUS));
        }
    }

    /** A multipart body: the file as part "image", then text fields given as name, value, name, value. */
    static HttpRequest.BodyPublisher multipart(String boundary, String filename, byte[] image, String... fields) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"" + filename
                        + "\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        out.writeBytes(image);
        out.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < fields.length; i += 2) {
            out.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + fields[i] + "\"\r\n\r\n"
                            + fields[i + 1] + "\r\n")
                    .getBytes(StandardCharsets.UTF_8));
        }
        out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return HttpRequest.BodyPublishers.ofByteArray(out.toByteArray());
    }

    HttpResponse<byte[]> upload(String path, String accept, String filename, byte[] image, String... fields)
            throws Exception {
        String boundary = "koclip-" + UUID.randomUUID();
        return send(request(path)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .header("Accept", accept)
                .POST(multipart(boundary, filename, image, fields)));
    }

    @Test
    void koreanAndEnglishQueriesFindTheirShapes() throws Exception {
        awaitReady();
        for (List<String> pair : List.of(
                List.of("빨간 원", "red-circle"),
                List.of("파란 삼각형", "blue-triangle"),
                List.of("노란 네모", "yellow-square"),
                List.of("green circle", "green-circle"),
                List.of("purple triangle", "purple-triangle"))) {
            JsonNode body = search(pair.get(0));
            assertThat(body.at("/hits/0/path").asString()).as(pair.get(0)).contains(pair.get(1));
        }
        JsonNode again = search("빨간 원");
        assertThat(again.get("cached").asBoolean()).isTrue();
    }

    @Test
    void imageSearchAndSimilarById() throws Exception {
        awaitReady();
        Path file = corpusFile("green-square");
        HttpResponse<byte[]> response = upload(
                "/api/v1/search/image?k=5",
                "application/json",
                file.getFileName().toString(),
                Files.readAllBytes(file));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).at("/hits/0/path").asString()).contains("green-square");
        String id = search("빨간 원").at("/hits/0/id").asString();
        JsonNode similar = json(send(request("/api/v1/search/similar/" + id + "?k=5")));
        assertThat(similar.at("/hits/0/path").asString()).contains("red-circle");
        assertThat(similar.get("hits").valueStream().map(h -> h.get("id").asString()))
                .doesNotContain(id);
    }

    @Test
    void zeroShotLabels() throws Exception {
        awaitReady();
        Path file = corpusFile("blue-circle");
        HttpResponse<byte[]> response = upload(
                "/api/v1/classify",
                "application/json",
                "x.png",
                Files.readAllBytes(file),
                "labels",
                "빨간 원",
                "labels",
                "파란 원",
                "labels",
                "초록 세모",
                "labels",
                "노란 네모");
        assertThat(response.statusCode())
                .as(new String(response.body(), StandardCharsets.UTF_8))
                .isEqualTo(200);
        JsonNode labels = json(response).get("labels");
        assertThat(labels.at("/0/label").asString()).isEqualTo("파란 원");
        double sum = labels.valueStream()
                .mapToDouble(l -> l.get("probability").asDouble())
                .sum();
        assertThat(sum).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-6));
    }

    @Test
    void patchesAsJsonAndHeatmap() throws Exception {
        awaitReady();
        byte[] image = Files.readAllBytes(corpusFile("red-circle"));
        HttpResponse<byte[]> response =
                upload("/api/v1/patches", "application/json", "x.png", image, "q", "빨간 원", "rows", "2", "cols", "3");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = json(response);
        assertThat(body.get("patches").size()).isEqualTo(6);
        int width = body.get("width").asInt();
        assertThat(body.at("/patches/5/x").asInt() + body.at("/patches/5/width").asInt())
                .isEqualTo(width);
        HttpResponse<byte[]> png = upload(
                "/api/v1/patches",
                "image/png",
                "x.png",
                image,
                "q",
                "빨간 원",
                "rows",
                "2",
                "cols",
                "2",
                "overlap",
                "0.5");
        assertThat(png.statusCode()).isEqualTo(200);
        assertThat(png.headers().firstValue("Content-Type")).hasValue("image/png");
        BufferedImage heatmap = ImageIO.read(new ByteArrayInputStream(png.body()));
        assertThat(heatmap.getWidth()).isEqualTo(Math.min(width, 1024));
    }

    @Test
    void imagesAndThumbnails() throws Exception {
        awaitReady();
        JsonNode hit = search("빨간 원").at("/hits/0");
        HttpResponse<byte[]> original = send(request(hit.get("imageUrl").asString()));
        assertThat(original.statusCode()).isEqualTo(200);
        assertThat(original.body())
                .isEqualTo(Files.readAllBytes(CORPUS.resolve(hit.get("path").asString())));
        HttpResponse<byte[]> thumbnail = send(request(hit.get("thumbnailUrl").asString()));
        assertThat(thumbnail.statusCode()).isEqualTo(200);
        assertThat(thumbnail.headers().firstValue("Content-Type")).hasValue("image/jpeg");
        BufferedImage small = ImageIO.read(new ByteArrayInputStream(thumbnail.body()));
        assertThat(Math.max(small.getWidth(), small.getHeight())).isLessThanOrEqualTo(320);
        String etag = thumbnail.headers().firstValue("ETag").orElseThrow();
        assertThat(send(request(hit.get("thumbnailUrl").asString()).header("If-None-Match", etag))
                        .statusCode())
                .isEqualTo(304);
    }

    @Test
    void uploadErrors() throws Exception {
        awaitReady();
        HttpResponse<byte[]> text =
                upload("/api/v1/search/image", "application/json", "a.txt", "hello, not an image".getBytes());
        assertThat(text.statusCode()).isEqualTo(415);
        assertThat(text.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        HttpResponse<byte[]> huge =
                upload("/api/v1/search/image", "application/json", "huge.png", TestImages.pngHeaderOnly(30000, 30000));
        assertThat(huge.statusCode()).isEqualTo(413);
        assertThat(json(huge).get("code").asString()).isEqualTo("image-too-large");
        HttpResponse<byte[]> empty =
                upload("/api/v1/classify", "application/json", "e.png", new byte[0], "labels", "a", "labels", "b");
        assertThat(empty.statusCode()).isEqualTo(400);
    }

    @Test
    void reindexSwitchesWhileSearchesKeepAnswering() throws Exception {
        awaitReady();
        HttpResponse<byte[]> accepted = send(request("/api/v1/admin/reindex")
                .header("Authorization", "Bearer " + TOKEN)
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(accepted.statusCode()).isEqualTo(202);
        String jobId = json(accepted).get("jobId").asString();
        HttpResponse<byte[]> second = send(request("/api/v1/admin/ingest")
                .header("Authorization", "Bearer " + TOKEN)
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(second.statusCode()).isIn(202, 409); // 409 unless the reindex already ended
        int searches = 0;
        String state;
        do {
            JsonNode body = search("빨간 원");
            assertThat(body.at("/hits/0/path").asString()).contains("red-circle");
            searches++;
            state = json(send(request("/api/v1/admin/jobs/" + jobId).header("Authorization", "Bearer " + TOKEN)))
                    .get("state")
                    .asString();
        } while (!state.equals("succeeded") && !state.equals("failed") && searches < 5000);
        assertThat(state).isEqualTo("succeeded");
        JsonNode job = json(send(request("/api/v1/admin/jobs/" + jobId).header("Authorization", "Bearer " + TOKEN)));
        assertThat(job.at("/report/indexed").asInt()
                        + job.at("/report/unchanged").asInt())
                .isEqualTo(150);
        assertThat(Files.exists(folder.resolve("index.next"))).isFalse();
        assertThat(Files.exists(folder.resolve("index.old"))).isFalse();
        // after the switch
        assertThat(search("파란 삼각형").at("/hits/0/path").asString()).contains("blue-triangle");
        JsonNode health = json(send(request("/actuator/health")));
        assertThat(health.at("/components/index/details/documents").asInt()).isEqualTo(150);
        // the embedded backend names itself and has no cluster to describe
        assertThat(health.at("/components/index/details/backend").asString()).isEqualTo("lucene");
        assertThat(health.at("/components/index/details/cluster").isMissingNode())
                .isTrue();
        assertThat(health.at("/components/index/status").asString()).isEqualTo("UP");
    }

    @Test
    void theBestPatchIsWhereTheShapeIs() throws Exception {
        awaitReady();
        // Three corpus images side by side: the red circle is in the middle.
        BufferedImage left = ImageIO.read(corpusFile("blue-square").toFile());
        BufferedImage middle = ImageIO.read(corpusFile("red-circle").toFile());
        BufferedImage right = ImageIO.read(corpusFile("yellow-triangle").toFile());
        int side = 128;
        BufferedImage strip = new BufferedImage(3 * side, side, BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = strip.createGraphics();
        g.drawImage(left, 0, 0, side, side, null);
        g.drawImage(middle, side, 0, side, side, null);
        g.drawImage(right, 2 * side, 0, side, side, null);
        g.dispose();
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(strip, "png", png);
        for (List<String> query :
                List.of(List.of("빨간 원", "1"), List.of("파란 네모", "0"), List.of("yellow triangle", "2"))) {
            HttpResponse<byte[]> response = upload(
                    "/api/v1/patches",
                    "application/json",
                    "strip.png",
                    png.toByteArray(),
                    "q",
                    query.get(0),
                    "rows",
                    "1",
                    "cols",
                    "3");
            JsonNode patches = json(response).get("patches");
            int best = 0;
            for (int i = 1; i < patches.size(); i++) {
                if (patches.get(i).get("score").asDouble()
                        > patches.get(best).get("score").asDouble()) {
                    best = i;
                }
            }
            assertThat(patches.get(best).get("col").asInt())
                    .as(query.get(0) + " " + patches)
                    .isEqualTo(Integer.parseInt(query.get(1)));
        }
    }
}
