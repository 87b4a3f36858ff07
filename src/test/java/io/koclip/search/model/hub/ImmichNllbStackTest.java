package io.koclip.search.model.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.koclip.search.model.BundleLoader;
import io.koclip.search.model.ClipModel;
import io.koclip.search.model.ModelOptions;
import io.koclip.search.web.SearchApplication;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
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
 * End to end on an Immich-shaped NLLB SigLIP export ({@code src/test/resources/bundles/immich-nllb}:
 * static batch 1, int32 {@code text} [1, 64], external data, normalized outputs, FLORES language
 * token): published on the fake Hub, pulled into a fresh cache, served by the real server over
 * the Lucene index, which ingests the 30 images of {@code ingest/misc} at start-up. Korean and
 * English searches find their shapes, zero-shot labels rank the right label first and say that a
 * sigmoid-trained model without its bias was scored with softmax, and health names the pulled
 * model and its commit.
 */
@SpringBootTest(classes = SearchApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
// closed before JUnit deletes the static temporary folder it writes into
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class ImmichNllbStackTest {
    static final Path BUNDLE = Path.of("src/test/resources/bundles/immich-nllb");
    static final String REPO = "immich-app/nllb-clip-tiny-siglip__test";

    @TempDir
    static Path folder;

    static String commit;

    @LocalServerPort
    int port;

    final HttpClient http = HttpClient.newHttpClient();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        Path source = folder.resolve("source");
        Files.createDirectories(source);
        try (Stream<Path> images = Files.list(Path.of("ingest/misc"))) {
            for (Path image : images.toList()) {
                Files.copy(image, source.resolve(image.getFileName()));
            }
        }
        registry.add("koclip.index.path", () -> folder.resolve("index").toString());
        registry.add("koclip.ingest.source", source::toString);
    }

    /** The server's model: the bundle pulled from the fake Hub, opened as {@code --model hf:…} does. */
    static ClipModel clipModel() {
        Map<String, byte[]> files = new LinkedHashMap<>();
        try (Stream<Path> walk = Files.walk(BUNDLE);
                FakeHub fake = new FakeHub()) {
            for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
                files.put(BUNDLE.relativize(file).toString().replace('\\', '/'), Files.readAllBytes(file));
            }
            commit = fake.publish(REPO, files);
            try (ModelHub hub = new ModelHub(fake.settings(folder.resolve("hub-cache"), null))) {
                PulledModel pulled = hub.pull(RepoSpec.parse(REPO), TransferListener.NONE);
                assertThat(ModelHub.snapshotFiles(pulled.folder()))
                        .contains("visual/model.onnx_data", "textual/model.onnx_data", "textual/tokenizer_config.json")
                        .doesNotContain("README.md");
                return ClipModel.open(BundleLoader.load(pulled), ModelOptions.defaults());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @TestBean(methodName = "clipModel")
    ClipModel model;

    HttpResponse<byte[]> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + port + path));
    }

    JsonNode json(HttpResponse<byte[]> response) {
        assertThat(response.statusCode())
                .as(new String(response.body(), StandardCharsets.UTF_8))
                .isEqualTo(200);
        return JsonMapper.builder().build().readTree(response.body());
    }

    void awaitReady() {
        await().atMost(Duration.ofMinutes(5))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> send(request("/actuator/health")).statusCode() == 200);
    }

    @Test
    void searchesInKoreanAndEnglishFindTheirShapes() throws Exception {
        awaitReady();
        for (List<String> pair : List.of(
                List.of("빨간 원", "red-circle"),
                List.of("노란 세모", "yellow-triangle"),
                List.of("blue square", "blue-square"),
                List.of("a photo of a green triangle", "green-triangle"))) {
            JsonNode body = json(
                    send(request("/api/v1/search?k=5&q=" + URLEncoder.encode(pair.get(0), StandardCharsets.UTF_8))));
            assertThat(body.get("model").asString()).isEqualTo(REPO);
            assertThat(body.at("/hits/0/path").asString()).as(pair.get(0)).contains(pair.get(1));
        }
    }

    @Test
    void zeroShotLabelsRankAndSayHowTheyWereScored() throws Exception {
        awaitReady();
        byte[] image = Files.readAllBytes(Path.of("ingest/misc/blue-triangle-139.jpg"));
        String boundary = "koclip-" + UUID.randomUUID();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"x.jpg\""
                        + "\r\nContent-Type: application/octet-stream\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        out.writeBytes(image);
        out.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        for (String label : List.of("빨간 원", "파란 세모", "노란 네모", "green circle")) {
            out.writeBytes(
                    ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"labels\"\r\n\r\n" + label + "\r\n")
                            .getBytes(StandardCharsets.UTF_8));
        }
        out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        JsonNode body = json(send(request("/api/v1/classify")
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(out.toByteArray()))));
        assertThat(body.at("/labels/0/label").asString()).isEqualTo("파란 세모");
        assertThat(body.at("/scoring/function").asString()).isEqualTo("softmax");
        assertThat(body.at("/scoring/trainedWith").asString()).isEqualTo("sigmoid");
        assertThat(body.at("/scoring/logitBias").isMissingNode()).isTrue();
        double sum = body.get("labels")
                .valueStream()
                .mapToDouble(l -> l.get("probability").asDouble())
                .sum();
        assertThat(sum).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-6));
    }

    @Test
    void healthNamesThePulledModelAndItsCommit() throws Exception {
        awaitReady();
        JsonNode model = json(send(request("/actuator/health"))).at("/components/model/details");
        assertThat(model.get("name").asString()).isEqualTo(REPO);
        assertThat(model.get("source").asString()).isEqualTo("hf:" + REPO + "@" + commit);
        assertThat(model.get("embeddingDim").asInt()).isEqualTo(128);
    }
}
