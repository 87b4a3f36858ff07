package io.koclip.search.index.solr;

import static org.assertj.core.api.Assertions.assertThat;

import io.koclip.search.index.BackendStatus;
import io.koclip.search.index.Hit;
import io.koclip.search.index.ImageDocument;
import io.koclip.search.index.IndexCheck;
import io.koclip.search.index.IndexSpec;
import io.koclip.search.index.ModelIdentity;
import io.koclip.search.index.SearchFilter;
import io.koclip.search.index.VectorIndex;
import io.koclip.search.index.VectorQuery;
import io.koclip.search.model.Embeddings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.solr.client.solrj.impl.CloudSolrClient;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * One node of a 2 shards x 2 replicas collection stopped: every shard still has a replica, so searches
 * answer with the full result; restarted, the cluster check is clean again.
 */
@Tag("solr")
class SolrFaultTest {
    private static final int DIM = 16;
    private static final ModelIdentity MODEL = new ModelIdentity("fault-model", "f00d", DIM);

    @Test
    void aStoppedNodeLeavesSearchesWholeAndTheCheckSaysWhy() throws Exception {
        SolrCloudProcess cluster = SolrCloudProcess.shared();
        SolrSettings settings = new SolrSettings(
                cluster.solrUrls(),
                "fault_" + ProcessHandle.current().pid(),
                SolrBackendTest.CONFIGSET,
                2,
                2,
                null,
                null);
        SolrBackend backend = new SolrBackend(settings);
        Random random = new Random(21);
        List<float[]> queries = new ArrayList<>();
        try (VectorIndex index = backend.open(IndexSpec.of(MODEL))) {
            List<ImageDocument> docs = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                docs.add(new ImageDocument(
                        "f" + i, "f/" + i + ".png", "h" + i, 10, 10, 1, 1, "png", null, unit(random)));
            }
            index.upsertAll(docs);
            index.commit("before");
            for (int q = 0; q < 20; q++) {
                queries.add(unit(random));
            }
            List<List<String>> before = answers(index, queries);
            assertThat(before).allSatisfy(ids -> assertThat(ids).hasSize(10));

            cluster.stopNode(1);
            try {
                // the same full answers from the surviving replicas, and the same count
                assertThat(answers(index, queries)).isEqualTo(before);
                assertThat(index.stats().documents()).isEqualTo(400);
                IndexCheck degraded = backend.check(null);
                assertThat(degraded.clean()).isFalse();
                assertThat(degraded.problems()).anySatisfy(p -> assertThat(p).contains("not live"));
                assertThat(degraded.documents()).isEqualTo(400);
                // health: every shard still served, with half the replicas gone
                BackendStatus status = backend.status();
                assertThat(status.state()).isEqualTo(BackendStatus.State.DEGRADED);
                assertThat((List<?>) status.details().get("liveNodes")).hasSize(1);
                assertThat(status.details().get("replicas")).isEqualTo(Map.of("active", 2, "down", 2));
            } finally {
                cluster.startNode(1);
            }
            awaitClean(backend, Duration.ofSeconds(120));
            assertThat(answers(index, queries)).isEqualTo(before);
            BackendStatus recovered = backend.status();
            assertThat(recovered.state()).isEqualTo(BackendStatus.State.UP);
            assertThat((List<?>) recovered.details().get("liveNodes")).hasSize(2);
            assertThat(recovered.details().get("replicas")).isEqualTo(Map.of("active", 4));
        } finally {
            try (CloudSolrClient client = SolrCalls.cloud(settings)) {
                SolrBackendTest.dropAlias(client, settings.alias());
            }
        }
    }

    private static List<List<String>> answers(VectorIndex index, List<float[]> queries) throws Exception {
        List<List<String>> answers = new ArrayList<>();
        for (float[] q : queries) {
            answers.add(index.search(new VectorQuery(q, 10, 400, SearchFilter.NONE)).stream()
                    .map((Hit h) -> h.document().id())
                    .toList());
        }
        return answers;
    }

    /** Polls the cluster check (replicas recover a few seconds after the node is live again). */
    private static void awaitClean(SolrBackend backend, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        IndexCheck check = backend.check(null);
        while (!check.clean() && System.nanoTime() < deadline) {
            Thread.sleep(500);
            check = backend.check(null);
        }
        assertThat(check.problems()).as("check after the restart").isEmpty();
    }

    private static float[] unit(Random random) {
        float[] v = new float[DIM];
        for (int i = 0; i < DIM; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return Embeddings.normalizeInPlace(v);
    }
}
