package io.koclip.search.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.koclip.search.index.IndexBackend;
import io.koclip.search.model.ClipModel;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.bean.override.convention.TestBean;

/**
 * The servlet container's request limits of {@code application.yaml} on the real server (Tomcat on a
 * random port, {@link FakeModelStackTest}'s fake model): an oversized header, too many parameters and
 * too many multipart parts are refused as problem+json before any controller runs, and the security
 * headers reach the browser.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
// closed before JUnit deletes the static temporary folder it writes into
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class HttpLimitsStackTest {
    @TempDir
    static Path folder;

    @LocalServerPort
    int port;

    final HttpClient http = HttpClient.newHttpClient();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        Files.createDirectories(folder.resolve("source"));
        registry.add("koclip.index.path", () -> folder.resolve("index").toString());
        registry.add("koclip.ingest.source", () -> folder.resolve("source").toString());
        registry.add("koclip.ingest.on-start", () -> "never");
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

    HttpRequest.Builder at(String path) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + port + path));
    }

    @Test
    void thePageIsServedWithItsPolicy() throws Exception {
        HttpResponse<String> page = send(at("/"));
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body())
                .contains("<script src=\"app.js\">")
                .doesNotContain("<script>")
                .doesNotContain("style=");
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValue(HttpProperties.DEFAULT_CSP);
        assertThat(page.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        assertThat(page.headers().allValues("X-Content-Type-Options")).containsExactly("nosniff");
    }

    @Test
    void aHeaderOverTheLimitIsRefusedByTheContainer() throws Exception {
        HttpResponse<String> response = send(at("/api/v1/search?q=x").header("X-Padding", "a".repeat(9000)));
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
        assertThat(response.body()).doesNotContain("Tomcat");
    }

    @Test
    void tooManyParametersAreRefused() throws Exception {
        StringBuilder query = new StringBuilder("/api/v1/search?q=x");
        for (int i = 0; i < 300; i++) {
            query.append("&p").append(i).append("=1");
        }
        HttpResponse<String> response = send(at(query.toString()));
        // before the fix: 500 internal-error (Tomcat's InvalidParameterException reached the catch-all)
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
        assertThat(response.body()).contains("\"code\":\"invalid-parameters\"");
    }

    @Test
    void tooManyMultipartPartsAreRefused() throws Exception {
        String boundary = "koclip-boundary";
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            body.append("--")
                    .append(boundary)
                    .append("\r\nContent-Disposition: form-data; name=\"labels\"\r\n\r\nlabel ")
                    .append(i)
                    .append("\r\n");
        }
        body.append("--")
                .append(boundary)
                .append("\r\nContent-Disposition: form-data; name=\"image\"; filename=\"a.png\"\r\n")
                .append("Content-Type: image/png\r\n\r\nnot really\r\n--")
                .append(boundary)
                .append("--\r\n");
        HttpResponse<String> response = send(at("/api/v1/classify")
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
        // Spring reports Tomcat's part-count limit as an upload over the size limit
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.body()).contains("\"code\":\"upload-too-large\"");
    }

    @Test
    void aRequestLineOverTheLimitIsRefused() throws Exception {
        // The JDK client refuses such a URI itself, so this one goes over a plain socket.
        try (Socket socket = new Socket("localhost", port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET /api/v1/search?q=" + "a".repeat(9000) + " HTTP/1.1\r\nHost: localhost\r\n"
                            + "Connection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(answer).startsWith("HTTP/1.1 400");
        }
    }
}
