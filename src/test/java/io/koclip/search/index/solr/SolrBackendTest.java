package io.koclip.search.index.solr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.koclip.search.index.Hit;
import io.koclip.search.index.IndexBackend;
import io.koclip.search.index.IndexBackendContract;
import io.koclip.search.index.IndexCheck;
import io.koclip.search.index.IndexMetadata;
import io.koclip.search.index.IndexOptions;
import io.koclip.search.index.IndexSpec;
import io.koclip.search.index.SearchFilter;
import io.koclip.search.index.VectorFormat;
import io.koclip.search.index.VectorIndex;
import io.koclip.search.index.VectorQuery;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.solr.client.solrj.impl.CloudSolrClient;
import org.apache.solr.client.solrj.request.CollectionAdminRequest;
import org.apache.solr.client.solrj.request.schema.SchemaRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The SolrCloud backend passes the contract against real Solr 9.10.1 nodes (the JVM's shared 2-node
 * cluster, 2 shards x 1 replica, a fresh alias per test), plus what only a cluster has: the alias
 * switch with per-collection metadata, HNSW parameters per collection, the cluster check.
 */
@Tag("solr")
class SolrBackendTest extends IndexBackendContract {
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    static final String CONFIGSET = "koclip-test";

    private SolrSettings settings;

    @Override
    protected IndexBackend newBackend(Path folder) throws IOException {
        SolrCloudProcess cluster = SolrCloudProcess.shared();
        settings = new SolrSettings(
                cluster.solrUrls(),
                "contract" + SEQUENCE.incrementAndGet() + "_"
                        + ProcessHandle.current().pid(),
                CONFIGSET,
                2,
                1,
                null,
                null);
        return new SolrBackend(settings);
    }

    @Override
    protected Set<VectorFormat> supportedFormats() {
        return Set.of(VectorFormat.FLOAT32);
    }

    @AfterEach
    void dropCollections() throws Exception {
        try (CloudSolrClient client = SolrCalls.cloud(settings)) {
            dropAlias(client, settings.alias());
        }
    }

    /**
     * Deletes the alias and every generation collection of it, with the product's own retries: a pooled
     * connection that a node closed meanwhile reads EOF once (seen in CI), which must not fail a test
     * whose assertions all passed.
     */
    static void dropAlias(CloudSolrClient client, String alias) throws Exception {
        SolrCalls.retried("drop test alias " + alias, () -> {
            if (new CollectionAdminRequest.ListAliases()
                    .process(client)
                    .getAliases()
                    .containsKey(alias)) {
                CollectionAdminRequest.deleteAlias(alias).process(client);
            }
            for (String c : CollectionAdminRequest.listCollections(client)) {
                if (c.startsWith(alias + "_g")) {
                    CollectionAdminRequest.deleteCollection(c).process(client);
                }
            }
            return null;
        });
    }

    private List<String> generations(CloudSolrClient client) throws Exception {
        return CollectionAdminRequest.listCollections(client).stream()
                .filter(c -> c.startsWith(settings.alias() + "_g"))
                .sorted()
                .toList();
    }

    @Test
    void quantizedFormatsAreRefusedNamingSolr() {
        assertThatThrownBy(() -> backend.open(
                        new IndexSpec(MODEL, IndexOptions.defaults().withVectors(VectorFormat.INT8))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Solr 9.10")
                .hasMessageContaining("float32");
    }

    @Test
    void aCollectionGetsTheModelsDimensionAndTheHnswParametersAsked() throws Exception {
        try (VectorIndex index = backend.open(new IndexSpec(MODEL, new IndexOptions(null, 12, 80)));
                CloudSolrClient client = SolrCalls.cloud(settings)) {
            String collection = ((SolrVectorIndex) index).collection();
            assertThat(collection).isEqualTo(settings.alias() + "_g1");
            Map<String, Object> type = new SchemaRequest.FieldType("knn_vector")
                    .process(client, collection)
                    .getFieldType()
                    .getAttributes();
            assertThat(String.valueOf(type.get("vectorDimension"))).isEqualTo(Integer.toString(DIM));
            assertThat(String.valueOf(type.get("hnswMaxConnections"))).isEqualTo("12");
            assertThat(String.valueOf(type.get("hnswBeamWidth"))).isEqualTo("80");
        }
        // HNSW parameters are fixed per collection: asking for others later keeps the recorded ones.
        try (VectorIndex index = backend.open(new IndexSpec(MODEL, new IndexOptions(null, 32, 200)))) {
            assertThat(index.metadata().m()).isEqualTo(12);
            assertThat(index.metadata().beamWidth()).isEqualTo(80);
        }
    }

    @Test
    void activationMovesTheAliasAndDropsThePreviousGenerationAndItsMetadata() throws Exception {
        Random random = new Random(11);
        try (VectorIndex live = backend.open(IndexSpec.of(MODEL))) {
            live.upsert(doc("old", "old.png", "h", randomUnit(random)));
            live.commit("old-checkpoint");
        }
        try (CloudSolrClient client = SolrCalls.cloud(settings)) {
            try (IndexBackend.Reindex reindex = backend.prepareReindex(IndexSpec.of(MODEL))) {
                assertThat(generations(client)).containsExactly(settings.alias() + "_g1", settings.alias() + "_g2");
                reindex.index().upsert(doc("new", "new.png", "h2", randomUnit(random)));
                reindex.index().commit("new-checkpoint");
                // not live yet: the alias still answers from g1 with g1's metadata
                assertThat(backend.metadata().orElseThrow().checkpoint()).isEqualTo("old-checkpoint");
                reindex.activate();
            }
            assertThat(generations(client)).containsExactly(settings.alias() + "_g2");
            SolrMetadata.AliasView view = SolrMetadata.read(client, settings.alias());
            assertThat(view.collection()).isEqualTo(settings.alias() + "_g2");
            // the previous generation's keys are gone (an empty ALIASPROP value deletes a property)
            assertThat(view.properties().keySet())
                    .isNotEmpty()
                    .allMatch(k -> k.startsWith(SolrMetadata.prefix(settings.alias() + "_g2")));
        }
        IndexMetadata metadata = backend.metadata().orElseThrow();
        assertThat(metadata.checkpoint()).isEqualTo("new-checkpoint");
        try (VectorIndex index = backend.openReadOnly(MODEL)) {
            assertThat(index.get("new")).isPresent();
            assertThat(index.get("old")).isEmpty();
        }
    }

    @Test
    void aReadOnlyViewFollowsTheAliasOnRefresh() throws Exception {
        Random random = new Random(12);
        float[] vector = randomUnit(random);
        try (VectorIndex live = backend.open(IndexSpec.of(MODEL))) {
            live.upsert(doc("gen-1", "a.png", "h", vector));
            live.commit(null);
        }
        try (VectorIndex reader = backend.openReadOnly(MODEL)) {
            try (IndexBackend.Reindex reindex = backend.prepareReindex(IndexSpec.of(MODEL))) {
                reindex.index().upsert(doc("gen-2", "a.png", "h", vector));
                reindex.activate();
            }
            reader.refresh();
            List<Hit> hits = reader.search(new VectorQuery(vector, 1, 10, SearchFilter.NONE));
            assertThat(hits).extracting(h -> h.document().id()).containsExactly("gen-2");
        }
    }

    @Test
    void checkReportsEveryShardActiveAndTheDocumentCount() throws Exception {
        assertThat(backend.check(null).clean()).isFalse(); // no alias yet
        try (VectorIndex index = backend.open(IndexSpec.of(MODEL))) {
            List<io.koclip.search.index.ImageDocument> docs = new ArrayList<>();
            Random random = new Random(13);
            for (int i = 0; i < 20; i++) {
                docs.add(doc("c" + i, "c/" + i + ".png", "h" + i, randomUnit(random)));
            }
            index.upsertAll(docs);
            index.commit("c");
        }
        IndexCheck check = backend.check(null);
        assertThat(check.problems()).isEmpty();
        assertThat(check.clean()).isTrue();
        assertThat(check.documents()).isEqualTo(20);
        assertThat(check.segments()).isEqualTo(2); // shards
        assertThat(check.metadata().checkpoint()).isEqualTo("c");
    }

    @Test
    void statsReportTheIndexSizeFromTheCores() throws Exception {
        try (VectorIndex index = backend.open(IndexSpec.of(MODEL))) {
            index.upsert(doc("s", "s.png", "h", randomUnit(new Random(14))));
            index.commit(null);
            assertThat(index.stats().sizeBytes()).isPositive();
        }
    }
}
