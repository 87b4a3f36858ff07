package io.koclip.search.index.solr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.koclip.search.web.SearchApplication;
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
import java.util.ArrayList;
import java.util.List;
import org.apache.solr.client.solrj.impl.CloudSolrClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The real server on the SolrCloud backend: the demo bundle, the sample corpus ingested at start-up
 * into a fresh alias of the test cluster, searches through the REST API, and an admin reindex that
 * builds the next generation collection and moves the alias while searches keep answering.
 */
@Tag("solr")
@SpringBootTest(classes = SearchApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SolrServerTest {
    static final Path CORPUS = Path.of("ingest");
    static final String TOKEN = "solr-server-token";
    static final String ALIAS = "server_" + ProcessHandle.current().pid();

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
        SolrCloudProcess cluster = cluster();
        registry.add("koclip.index.backend", () -> "solr");
        registry.add("koclip.index.solr.urls", () -> String.join(",", cluster.solrUrls()));
        registry.add("koclip.index.solr.collection", () -> ALIAS);
        registry.add("koclip.index.solr.configset", () -> SolrBackendTest.CONFIGSET);
        registry.add("koclip.index.solr.shards", () -> "2");
        registry.add("koclip.index.solr.replicas", () -> "1");
        registry.add("koclip.ingest.source", () -> CORPUS.toAbsolutePath().toString());
        registry.add("koclip.model.bundle", () -> "demo");
        registry.add("koclip.admin.token", () -> TOKEN);
    }

    private static SolrCloudProcess cluster() {
        try {
            return SolrCloudProcess.shared();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterAll
    static void dropAlias() throws Exception {
        try (CloudSolrClient client = new CloudSolrClient.Builder(cluster().solrUrls()).build()) {
            SolrBackendTest.dropAlias(client, ALIAS);
        }
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

    JsonNode search(String query) throws Exception {
        HttpResponse<byte[]> response =
                send(request("/api/v1/search?k=10&q=" + URLEncoder.encode(query, StandardCharsets.UTF_8)));
        assertThat(response.statusCode())
                .as(new String(response.body(), StandardCharsets.UTF_8))
                .isEqualTo(200);
        return json(response);
    }

    String liveCollection() throws Exception {
        try (CloudSolrClient client = new CloudSolrClient.Builder(cluster().solrUrls()).build()) {
            return SolrMetadata.read(client, ALIAS).collection();
        }
    }

    @Test
    void ingestSearchAndReindexOnTheSolrBackend() throws Exception {
        await().atMost(Duration.ofMinutes(5))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> send(request("/actuator/health")).statusCode() == 200);
        JsonNode health = json(send(request("/actuator/health")));
        assertThat(health.at("/components/index/details/documents").asInt()).isEqualTo(150);
        assertThat(health.at("/components/index/details/backend").asString()).isEqualTo("solr");
        JsonNode clusterHealth = health.at("/components/index/details/cluster");
        List<String> liveNodes = new ArrayList<>();
        clusterHealth.get("liveNodes").forEach(n -> liveNodes.add(n.asString()));
        // node names are host:port_solr; the cluster's URLs are http://host:port/solr
        assertThat(liveNodes)
                .containsExactlyInAnyOrderElementsOf(cluster().solrUrls().stream()
                        .map(u -> URI.create(u).getHost() + ":" + URI.create(u).getPort() + "_solr")
                        .toList());
        assertThat(clusterHealth.get("state").asString()).isEqualTo("UP");
        assertThat(clusterHealth.get("alias").asString()).isEqualTo(ALIAS);
        assertThat(clusterHealth.get("collection").asString()).isEqualTo(ALIAS + "_g1");
        assertThat(clusterHealth.get("generation").asInt()).isEqualTo(1);
        assertThat(clusterHealth.get("shards").asInt()).isEqualTo(2);
        assertThat(clusterHealth.at("/replicas/active").asInt()).isEqualTo(2);
        assertThat(health.at("/components/index/status").asString()).isEqualTo("UP");
        for (String[] pair :
                new String[][] {{"빨간 원", "red-circle"}, {"파란 삼각형", "blue-triangle"}, {"green circle", "green-circle"}
                }) {
            assertThat(search(pair[0]).at("/hits/0/path").asString())
                    .as(pair[0])
                    .contains(pair[1]);
        }
        assertThat(liveCollection()).isEqualTo(ALIAS + "_g1");

        HttpResponse<byte[]> accepted = send(request("/api/v1/admin/reindex")
                .header("Authorization", "Bearer " + TOKEN)
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(accepted.statusCode()).isEqualTo(202);
        String jobId = json(accepted).get("jobId").asString();
        int searches = 0;
        String state;
        do {
            assertThat(search("빨간 원").at("/hits/0/path").asString()).contains("red-circle");
            searches++;
            state = json(send(request("/api/v1/admin/jobs/" + jobId).header("Authorization", "Bearer " + TOKEN)))
                    .get("state")
                    .asString();
        } while (!state.equals("succeeded") && !state.equals("failed") && searches < 5000);
        assertThat(state).isEqualTo("succeeded");
        assertThat(liveCollection()).isEqualTo(ALIAS + "_g2");
        assertThat(search("파란 삼각형").at("/hits/0/path").asString()).contains("blue-triangle");
        JsonNode after = json(send(request("/actuator/health")));
        assertThat(after.at("/components/index/details/documents").asInt()).isEqualTo(150);
        assertThat(after.at("/components/index/details/cluster/generation").asInt())
                .isEqualTo(2);
        System.out.println("SolrServerTest: " + searches + " searches answered during the reindex");
    }
}
