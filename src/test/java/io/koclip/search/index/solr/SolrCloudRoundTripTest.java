package io.koclip.search.index.solr;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.solr.client.solrj.SolrRequest;
import org.apache.solr.client.solrj.SolrServerException;
import org.apache.solr.client.solrj.impl.CloudSolrClient;
import org.apache.solr.client.solrj.impl.HttpJdkSolrClient;
import org.apache.solr.client.solrj.request.CollectionAdminRequest;
import org.apache.solr.client.solrj.request.ConfigSetAdminRequest;
import org.apache.solr.client.solrj.request.GenericSolrRequest;
import org.apache.solr.client.solrj.request.QueryRequest;
import org.apache.solr.client.solrj.request.UpdateRequest;
import org.apache.solr.client.solrj.request.schema.SchemaRequest;
import org.apache.solr.client.solrj.response.QueryResponse;
import org.apache.solr.common.SolrDocument;
import org.apache.solr.common.SolrDocumentList;
import org.apache.solr.common.SolrInputDocument;
import org.apache.solr.common.params.ModifiableSolrParams;
import org.apache.solr.common.util.ContentStreamBase;
import org.apache.solr.common.util.NamedList;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The round trip the SolrCloud backend will stand on, against real Solr 9.10.1 nodes through SolrJ 10 only:
 * configset upload from the classpath, a 2-shard x 2-replica collection whose vector dimension is a
 * collection-creation property, writes with vectors, commit semantics, kNN with filters, Korean lexical
 * search, real-time get, a reindex-style alias switch carrying metadata in alias properties, and one
 * node stopped and restarted under a replicated collection.
 *
 * <p>Prints {@code TIMING name ms=N} lines (in target/surefire-reports/*-output.txt) for docs/solr.md.
 */
@Tag("solr")
class SolrCloudRoundTripTest {
    private static final String CONFIGSET = "koclip-roundtrip";
    private static final String COLLECTION_A = "roundtrip_a";
    private static final String COLLECTION_B = "roundtrip_b";
    private static final String COLLECTION_C = "roundtrip_c";
    private static final String ALIAS = "roundtrip";
    private static final int DIMENSION = 8;
    private static final int DOCS = 40;

    private static SolrCloudProcess cluster;
    private static CloudSolrClient client;
    private static List<float[]> vectors;

    @BeforeAll
    static void startCluster() throws Exception {
        long seed = System.nanoTime();
        System.out.println("SolrCloudRoundTripTest seed=" + seed);
        vectors = unitVectors(new Random(seed), DOCS, DIMENSION);

        cluster = SolrCloudProcess.shared();
        System.out.println("Solr nodes on Java " + cluster.javaVersion() + ", log " + cluster.log());
        timing("cluster-start (child JVM to READY)", cluster.startup());
        timing("cluster-start (launcher: ZooKeeper + 2 nodes)", cluster.launcherStartup());
        // Solr URLs, not ZooKeeper: SolrJ 10's ZooKeeper cluster-state provider lives in
        // solr-solrj-zookeeper, which (with ZooKeeper and Netty) is not on the product's classpath.
        client = new CloudSolrClient.Builder(cluster.solrUrls()).build();

        long t0 = System.nanoTime();
        new ConfigSetAdminRequest.Upload()
                .setConfigSetName(CONFIGSET)
                .setUploadStream(
                        new ContentStreamBase.ByteArrayStream(configsetZip(), CONFIGSET + ".zip", "application/zip"))
                .process(client);
        timing("configset-upload", since(t0));

        t0 = System.nanoTime();
        CollectionAdminRequest.Create create = CollectionAdminRequest.createCollection(COLLECTION_A, CONFIGSET, 2, 2)
                .setProperties(Map.of("koclip.vector.dimension", Integer.toString(DIMENSION)));
        create.setWaitForFinalState(true); // returns once every replica is active
        create.process(client);
        timing("collection-create 2x2", since(t0));
    }

    @AfterAll
    static void cleanUp() throws Exception {
        if (client != null) {
            CollectionAdminRequest.deleteAlias(ALIAS).process(client);
            for (String c : List.of(COLLECTION_A, COLLECTION_B, COLLECTION_C)) {
                if (CollectionAdminRequest.listCollections(client).contains(c)) {
                    CollectionAdminRequest.deleteCollection(c).process(client);
                }
            }
            new ConfigSetAdminRequest.Delete().setConfigSetName(CONFIGSET).process(client);
            client.close(); // its threads would keep the JVM alive
        }
        // The cluster is shared by the JVM's Solr tests and stopped at JVM exit.
    }

    @Test
    void theCollectionPropertySetsTheVectorDimension() throws Exception {
        SchemaRequest.FieldType request = new SchemaRequest.FieldType("knn_vector");
        Map<String, Object> type =
                request.process(client, COLLECTION_A).getFieldType().getAttributes();
        assertThat(String.valueOf(type.get("vectorDimension"))).isEqualTo(Integer.toString(DIMENSION));
        assertThat(String.valueOf(type.get("similarityFunction"))).isEqualTo("dot_product");
    }

    @Test
    void aReplicaAddedLaterGetsTheDimensionToo() throws Exception {
        CollectionAdminRequest.Create create = CollectionAdminRequest.createCollection(COLLECTION_C, CONFIGSET, 1, 1)
                .setProperties(Map.of("koclip.vector.dimension", Integer.toString(DIMENSION)));
        create.setWaitForFinalState(true);
        create.process(client);
        CollectionAdminRequest.AddReplica add = CollectionAdminRequest.addReplicaToShard(COLLECTION_C, "shard1");
        add.setWaitForFinalState(true);
        add.process(client);

        NamedList<Object> status = new CollectionAdminRequest.ClusterStatus()
                .setCollectionName(COLLECTION_C)
                .process(client)
                .getResponse();
        Map<String, String> dimensionByCore = new java.util.TreeMap<>();
        for (Object replica :
                values(child(status, "cluster", "collections", COLLECTION_C, "shards", "shard1", "replicas"))) {
            String core = String.valueOf(child(replica, "core"));
            // Ask that core itself, not the collection (which would answer from any one replica).
            try (HttpJdkSolrClient node =
                    new HttpJdkSolrClient.Builder(String.valueOf(child(replica, "base_url"))).build()) {
                Object dimension = new SchemaRequest.FieldType("knn_vector")
                        .process(node, core)
                        .getFieldType()
                        .getAttributes()
                        .get("vectorDimension");
                dimensionByCore.put(core, String.valueOf(dimension));
            }
        }
        assertThat(dimensionByCore).hasSize(2);
        assertThat(dimensionByCore.values()).containsOnly(Integer.toString(DIMENSION));
    }

    @Test
    void writesAreInvisibleUntilCommitExceptToRealTimeGet_thenKnnWithFiltersIsExact() throws Exception {
        UpdateRequest add = new UpdateRequest();
        for (int i = 0; i < DOCS; i++) {
            add.add(document(i));
        }
        long t0 = System.nanoTime();
        add.process(client, COLLECTION_A);
        timing("index " + DOCS + " docs (one request, no commit)", since(t0));

        // autoSoftCommit is off and the autoCommit does not open a searcher: nothing visible yet ...
        assertThat(count(COLLECTION_A, "id:img-*")).isZero();
        // ... except through the real-time get handler, which reads the update log.
        SolrDocument viaGet = client.getById(COLLECTION_A, "img-3");
        assertThat((Object) viaGet).isNotNull(); // SolrDocument is a Map and an Iterable: cast for AssertJ
        assertThat(viaGet.getFieldValue("path")).isEqualTo(path(3));
        ModifiableSolrParams ids = new ModifiableSolrParams();
        ids.set("ids", "img-1,img-2");
        GenericSolrRequest get =
                new GenericSolrRequest(SolrRequest.METHOD.GET, "/get", ids).setRequiresCollection(true);
        SolrDocumentList viaGeneric = (SolrDocumentList)
                get.process(client, COLLECTION_A).getResponse().get("response");
        assertThat(viaGeneric).extracting(d -> d.getFieldValue("id")).containsExactlyInAnyOrder("img-1", "img-2");
        // stored="true" on the vector field: a document reads back whole, vector included.
        assertThat(vectorOf(viaGeneric.get(0))).hasSize(DIMENSION);

        t0 = System.nanoTime();
        client.commit(COLLECTION_A, true, true); // hard commit, waitFlush, waitSearcher: opens a searcher
        timing("hard commit (openSearcher, waitSearcher)", since(t0));
        assertThat(count(COLLECTION_A, "id:img-*")).isEqualTo(DOCS);

        // kNN pre-filtered by format and path prefix; topK 20 per shard covers every matching doc, so the
        // result must be the brute-force top 5 among the matching docs.
        float[] query = vectors.get(7);
        ModifiableSolrParams knn = new ModifiableSolrParams();
        knn.set("q", "{!knn f=vector topK=20}" + vectorText(query));
        knn.add("fq", "format:png");
        knn.add("fq", "{!prefix f=path}set-a/");
        knn.set("fl", "id,score");
        knn.set("rows", 5);
        t0 = System.nanoTime();
        QueryResponse hits = new QueryRequest(knn).process(client, COLLECTION_A);
        timing("knn query", since(t0));
        List<Integer> expected = IntStream.range(0, DOCS)
                .filter(i -> format(i).equals("png") && path(i).startsWith("set-a/"))
                .boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> -dot(vectors.get(i), query)))
                .limit(5)
                .toList();
        assertThat(hits.getResults())
                .extracting(d -> d.getFieldValue("id"))
                .containsExactlyElementsOf(
                        expected.stream().map(SolrCloudRoundTripTest::id).toList());
        // dot_product scores are (1 + dot) / 2, like Lucene's DOT_PRODUCT.
        float top = ((Number) hits.getResults().get(0).getFieldValue("score")).floatValue();
        assertThat(top).isCloseTo((1 + dot(vectors.get(expected.get(0)), query)) / 2, Offset.offset(1e-4f));

        // topK is per shard: 2 shards x topK 3 = up to 6 hits, whatever rows says.
        ModifiableSolrParams perShard = new ModifiableSolrParams();
        perShard.set("q", "{!knn f=vector topK=3}" + vectorText(query));
        perShard.set("rows", 20);
        assertThat(new QueryRequest(perShard)
                        .process(client, COLLECTION_A)
                        .getResults()
                        .getNumFound())
                .isEqualTo(6);

        // Korean captions go through Nori: "원" matches "빨간 원이 있는 그림" (the particle 이 is dropped).
        assertThat(ids(COLLECTION_A, "caption:원")).containsExactlyInAnyOrder("img-0", "img-10", "img-20", "img-30");
        assertThat(ids(COLLECTION_A, "caption:사각형")).isNotEmpty().doesNotContain("img-0");

        // Deletes by id are visible after the next commit.
        new UpdateRequest().deleteById("img-39").process(client, COLLECTION_A);
        client.commit(COLLECTION_A, true, true);
        assertThat(count(COLLECTION_A, "id:img-*")).isEqualTo(DOCS - 1);
        assertThat((Object) client.getById(COLLECTION_A, "img-39")).isNull();
    }

    @Test
    void anAliasSwitchMovesQueriesAndItsPropertiesAtOnce() throws Exception {
        SolrInputDocument inA = document(0);
        inA.setField("id", "only-in-a");
        inA.removeField("caption"); // stays out of the other test's caption queries
        new UpdateRequest().add(inA).process(client, COLLECTION_A);
        client.commit(COLLECTION_A, true, true);
        long t0 = System.nanoTime();
        CollectionAdminRequest.Create create = CollectionAdminRequest.createCollection(COLLECTION_B, CONFIGSET, 2, 1)
                .setProperties(Map.of("koclip.vector.dimension", Integer.toString(DIMENSION)));
        create.setWaitForFinalState(true);
        create.process(client);
        timing("collection-create 2x1", since(t0));
        SolrInputDocument other = document(1);
        other.setField("id", "only-in-b");
        other.removeField("caption");
        new UpdateRequest().add(other).process(client, COLLECTION_B);
        client.commit(COLLECTION_B, true, true);

        CollectionAdminRequest.createAlias(ALIAS, COLLECTION_A).process(client);
        CollectionAdminRequest.setAliasProperty(ALIAS)
                .addProperty("model.name", "model-a")
                .addProperty("model.fingerprint", "fingerprint-a")
                .process(client);
        assertThat(aliasProperties()).containsEntry("model.fingerprint", "fingerprint-a");
        assertThat(ids(ALIAS, "id:only-in-*")).containsExactly("only-in-a");

        // The reindex switch: re-point the alias, then replace its metadata.
        t0 = System.nanoTime();
        CollectionAdminRequest.createAlias(ALIAS, COLLECTION_B).process(client);
        timing("alias switch (CREATEALIAS)", since(t0));
        // Re-pointing keeps the old properties: the model identity has to be rewritten with the switch.
        assertThat(aliasProperties()).containsEntry("model.fingerprint", "fingerprint-a");
        t0 = System.nanoTime();
        CollectionAdminRequest.setAliasProperty(ALIAS)
                .addProperty("model.name", "model-b")
                .addProperty("model.fingerprint", "fingerprint-b")
                .process(client);
        timing("alias properties update", since(t0));
        assertThat(aliasProperties())
                .containsEntry("model.name", "model-b")
                .containsEntry("model.fingerprint", "fingerprint-b");
        // The same client sees the new target right away (no stale alias cache to wait out).
        assertThat(ids(ALIAS, "id:only-in-*")).containsExactly("only-in-b");
    }

    @Test
    void aStoppedNodeLeavesEveryShardAnsweringAndComesBackOnItsPort() throws Exception {
        // 2 shards x 2 replicas on 2 nodes: each node holds one replica of each shard.
        SolrInputDocument survivor = document(5);
        survivor.setField("id", "survivor"); // ids img-* and captions belong to the write test
        survivor.removeField("caption");
        new UpdateRequest().add(survivor).process(client, COLLECTION_A);
        client.commit(COLLECTION_A, true, true);
        String stoppedUrl = cluster.solrUrls().get(1);
        long t0 = System.nanoTime();
        cluster.stopNode(1);
        timing("stop one node", since(t0));
        try {
            assertThat(liveNodes()).hasSize(1);
            assertThat(ids(COLLECTION_A, "id:survivor")).containsExactly("survivor");
        } finally {
            t0 = System.nanoTime();
            assertThat(cluster.startNode(1)).isEqualTo(stoppedUrl);
            timing("restart the node (live again)", since(t0));
        }
        t0 = System.nanoTime();
        awaitAllReplicasActive(COLLECTION_A);
        timing("replicas active again after the restart", since(t0));
        assertThat(liveNodes()).hasSize(2);
        assertThat(ids(COLLECTION_A, "id:survivor")).containsExactly("survivor");
    }

    /** Live node names (host:port_solr) from CLUSTERSTATUS, which needs no ZooKeeper client. */
    private static List<?> liveNodes() throws SolrServerException, IOException {
        NamedList<Object> status =
                new CollectionAdminRequest.ClusterStatus().process(client).getResponse();
        return (List<?>) child(status, "cluster", "live_nodes");
    }

    /** Polls CLUSTERSTATUS until every replica of the collection reports state "active" (60 s at most). */
    private static void awaitAllReplicasActive(String collection) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        List<String> states = List.of();
        while (System.nanoTime() < deadline) {
            NamedList<Object> status = new CollectionAdminRequest.ClusterStatus()
                    .setCollectionName(collection)
                    .process(client)
                    .getResponse();
            Object shards = child(status, "cluster", "collections", collection, "shards");
            states = new ArrayList<>();
            for (Object shard : values(shards)) {
                for (Object replica : values(child(shard, "replicas"))) {
                    states.add(String.valueOf(child(replica, "state")));
                }
            }
            if (!states.isEmpty() && states.stream().allMatch("active"::equals)) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("replicas of " + collection + " not all active after 60 s: " + states);
    }

    /** Walks nested NamedList / Map responses by key. */
    private static Object child(Object node, String... path) {
        Object current = node;
        for (String key : path) {
            current = current instanceof NamedList<?> list ? list.get(key) : ((Map<?, ?>) current).get(key);
            if (current == null) {
                throw new IllegalStateException("no '" + key + "' in the response at " + List.of(path));
            }
        }
        return current;
    }

    private static List<Object> values(Object node) {
        List<Object> values = new ArrayList<>();
        if (node instanceof NamedList<?> list) {
            list.forEach(e -> values.add(e.getValue()));
        } else {
            values.addAll(((Map<?, ?>) node).values());
        }
        return values;
    }

    private static Map<String, String> aliasProperties() throws SolrServerException, IOException {
        return new CollectionAdminRequest.ListAliases()
                .process(client)
                .getAliasProperties()
                .getOrDefault(ALIAS, Map.of());
    }

    private static long count(String collection, String q) throws SolrServerException, IOException {
        ModifiableSolrParams params = new ModifiableSolrParams();
        params.set("q", q);
        params.set("rows", 0);
        return new QueryRequest(params).process(client, collection).getResults().getNumFound();
    }

    private static List<String> ids(String collection, String q) throws SolrServerException, IOException {
        ModifiableSolrParams params = new ModifiableSolrParams();
        params.set("q", q);
        params.set("fl", "id");
        params.set("rows", 100);
        List<String> ids = new ArrayList<>();
        for (SolrDocument d :
                new QueryRequest(params).process(client, collection).getResults()) {
            ids.add((String) d.getFieldValue("id"));
        }
        return ids;
    }

    private static SolrInputDocument document(int i) {
        SolrInputDocument doc = new SolrInputDocument();
        doc.setField("id", id(i));
        doc.setField("path", path(i));
        doc.setField("contentHash", String.format("%064x", i));
        doc.setField("width", 100 + i);
        doc.setField("height", 80 + i);
        doc.setField("bytes", 1000L * i);
        doc.setField("modified", 1_700_000_000_000L + i);
        doc.setField("format", format(i));
        doc.setField("caption", i % 10 == 0 ? "빨간 원이 있는 그림" : "파란 사각형 " + i);
        List<Float> vector = new ArrayList<>(DIMENSION);
        for (float x : vectors.get(i)) {
            vector.add(x);
        }
        doc.setField("vector", vector);
        return doc;
    }

    private static String id(int i) {
        return "img-" + i;
    }

    private static String path(int i) {
        return (i % 2 == 0 ? "set-a/" : "set-b/") + "image-" + i + ".jpg";
    }

    private static String format(int i) {
        return i % 3 == 0 ? "jpeg" : "png";
    }

    private static float[] vectorOf(SolrDocument doc) {
        List<?> values = (List<?>) doc.getFieldValue("vector");
        float[] v = new float[values.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = ((Number) values.get(i)).floatValue();
        }
        return v;
    }

    private static String vectorText(float[] v) {
        return IntStream.range(0, v.length)
                .mapToObj(i -> Float.toString(v[i]))
                .collect(Collectors.joining(",", "[", "]"));
    }

    private static float dot(float[] a, float[] b) {
        float sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }

    private static List<float[]> unitVectors(Random random, int count, int dimension) {
        List<float[]> result = new ArrayList<>(count);
        for (int n = 0; n < count; n++) {
            float[] v = new float[dimension];
            double norm = 0;
            for (int i = 0; i < dimension; i++) {
                v[i] = (float) random.nextGaussian();
                norm += v[i] * v[i];
            }
            for (int i = 0; i < dimension; i++) {
                v[i] /= (float) Math.sqrt(norm);
            }
            result.add(v);
        }
        return result;
    }

    /** The product's configset (src/main/resources/solr/koclip/conf) as the zip the upload API takes. */
    static byte[] configsetZip() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (String file : List.of("schema.xml", "solrconfig.xml")) {
                try (InputStream in = SolrCloudRoundTripTest.class.getResourceAsStream("/solr/koclip/conf/" + file)) {
                    if (in == null) {
                        throw new IllegalStateException("configset file missing from the classpath: " + file);
                    }
                    zip.putNextEntry(new ZipEntry(file));
                    in.transferTo(zip);
                    zip.closeEntry();
                }
            }
        }
        return bytes.toByteArray();
    }

    private static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    private static void timing(String name, Duration d) {
        System.out.println("TIMING " + name + " ms=" + d.toMillis());
    }
}
