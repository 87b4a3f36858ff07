package io.koclip.search.index.solr;

import io.koclip.search.index.BackendStatus;
import io.koclip.search.index.IndexBackend;
import io.koclip.search.index.IndexCheck;
import io.koclip.search.index.IndexMetadata;
import io.koclip.search.index.IndexNotFoundException;
import io.koclip.search.index.IndexOptions;
import io.koclip.search.index.IndexSpec;
import io.koclip.search.index.ModelIdentity;
import io.koclip.search.index.VectorFormat;
import io.koclip.search.index.VectorIndex;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.solr.client.solrj.SolrClient;
import org.apache.solr.client.solrj.SolrRequest;
import org.apache.solr.client.solrj.impl.CloudSolrClient;
import org.apache.solr.client.solrj.impl.HttpJdkSolrClient;
import org.apache.solr.client.solrj.request.CollectionAdminRequest;
import org.apache.solr.client.solrj.request.ConfigSetAdminRequest;
import org.apache.solr.client.solrj.request.GenericSolrRequest;
import org.apache.solr.client.solrj.request.QueryRequest;
import org.apache.solr.common.params.ModifiableSolrParams;
import org.apache.solr.common.util.ContentStreamBase;
import org.apache.solr.common.util.NamedList;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SolrCloud backend: the live index is a collection alias ({@code koclip}) pointing at one
 * generation collection ({@code koclip_g1}, {@code koclip_g2}, ...), made from the product's configset.
 *
 * <ul>
 *   <li>{@link #open} uploads the configset when the cluster lacks it, and creates the first generation
 *       (shards x replicas of {@link SolrSettings}, with the collection properties
 *       {@code koclip.vector.dimension} = the model's dimension and {@code koclip.hnsw.m},
 *       {@code koclip.hnsw.beamWidth}) and the alias when there is none.
 *   <li>Metadata lives in the alias's properties, keyed by collection ({@link SolrMetadata}).
 *   <li>Vectors are float32 only: Solr 9.10's {@code DenseVectorField} has no quantized form, so a spec
 *       asking for int8, int4 or bbq is refused. HNSW M and beam width are fixed when a collection is
 *       created (they are core properties the schema substitutes); other values asked of an existing
 *       collection are ignored with a warning, and a reindex applies them.
 *   <li>Reindex: {@link #prepareReindex} creates the next generation and records its metadata under its
 *       own keys; {@link Reindex#activate()} re-points the alias (CREATEALIAS: one ZooKeeper write, so
 *       queries through the alias move at once), then deletes the previous generation and its keys;
 *       closing an unactivated reindex deletes the fresh collection.
 * </ul>
 *
 * <p>Solr cannot tell this backend whether another process writes the same collection, so
 * {@link #open} does not refuse a second writer: run one ingest per alias at a time.
 *
 * <p>Thread-safe: holds only its settings. Every index it opens owns a client, closed with the index;
 * the backend's own calls (metadata, check, reindex) use a client for the call.
 */
public final class SolrBackend implements IndexBackend {
    private static final Logger log = LoggerFactory.getLogger(SolrBackend.class);

    private final SolrSettings settings;
    private final Pattern generation;

    public SolrBackend(SolrSettings settings) {
        this.settings = settings;
        this.generation = Pattern.compile(Pattern.quote(settings.alias()) + "_g(\\d+)");
    }

    public SolrSettings settings() {
        return settings;
    }

    @Override
    public String describe() {
        return "solr alias " + settings.alias() + " at " + String.join(",", settings.urls());
    }

    @Override
    public VectorIndex open(IndexSpec spec) throws IOException {
        requireFloat32(spec.options().vectors());
        CloudSolrClient client = SolrCalls.cloud(settings);
        try {
            SolrMetadata.AliasView view = SolrMetadata.read(client, settings.alias());
            String collection = view.collection();
            IndexMetadata metadata;
            Optional<IndexMetadata> recorded = Optional.empty();
            if (collection == null) {
                metadata = IndexMetadata.fresh(spec);
                collection = createGeneration(client, metadata);
                pointAlias(client, collection);
                log.info("created {} with collection {} for model {}", describe(), collection, spec.model());
            } else {
                recorded = view.metadataOf(collection);
                // An alias without our keys (a crash right after creating it): adopt it for this spec.
                metadata =
                        recorded.isPresent() ? reopened(recorded.get(), spec, collection) : IndexMetadata.fresh(spec);
            }
            if (!recorded.equals(Optional.of(metadata))) {
                SolrMetadata.write(client, settings.alias(), collection, metadata);
            }
            return new SolrVectorIndex(client, this, new SolrVectorIndex.Target(collection, metadata), true);
        } catch (IOException | RuntimeException e) {
            client.close();
            throw e;
        }
    }

    /** The recorded metadata opened with {@code spec}: same model and format; HNSW parameters stay. */
    private IndexMetadata reopened(IndexMetadata recorded, IndexSpec spec, String collection) {
        IndexMetadata asked = recorded.reopenedWith(spec, "solr collection " + collection);
        if (asked.m() != recorded.m() || asked.beamWidth() != recorded.beamWidth()) {
            log.warn(
                    "solr collection {} was created with HNSW m={}, beamWidth={}; m={}, beamWidth={} take a reindex"
                            + " (a collection's HNSW parameters are fixed at creation)",
                    collection,
                    recorded.m(),
                    recorded.beamWidth(),
                    asked.m(),
                    asked.beamWidth());
        }
        return recorded;
    }

    /** Solr 9.10 stores float32 vectors only. */
    private static void requireFloat32(@Nullable VectorFormat format) {
        if (format != null && format != VectorFormat.FLOAT32) {
            throw new IllegalArgumentException("vector format " + format + " is not available on the SolrCloud"
                    + " backend: Solr 9.10's DenseVectorField stores float32 vectors only (no quantized form);"
                    + " use float32, or the embedded Lucene backend for " + format);
        }
    }

    @Override
    public VectorIndex openReadOnly(ModelIdentity model) throws IOException {
        CloudSolrClient client = SolrCalls.cloud(settings);
        try {
            SolrMetadata.AliasView view = SolrMetadata.read(client, settings.alias());
            String collection = view.collection();
            if (collection == null) {
                throw new IndexNotFoundException(describe());
            }
            IndexMetadata metadata =
                    view.metadataOf(collection).orElseThrow(() -> new IndexNotFoundException(describe()));
            metadata.model().requireSame(model, "solr collection " + collection);
            return new SolrVectorIndex(client, this, new SolrVectorIndex.Target(collection, metadata), false);
        } catch (IOException | RuntimeException e) {
            client.close();
            throw e;
        }
    }

    @Override
    public Optional<IndexMetadata> metadata() throws IOException {
        try (CloudSolrClient client = SolrCalls.cloud(settings)) {
            SolrMetadata.AliasView view = SolrMetadata.read(client, settings.alias());
            return view.collection() == null ? Optional.empty() : view.metadataOf(view.collection());
        }
    }

    /**
     * The cluster as health sees it, from one LISTALIASES and one CLUSTERSTATUS (no retries: a probe
     * should answer quickly): {@code liveNodes}, {@code alias}, {@code collection} and its
     * {@code generation}, {@code shards}, and {@code replicas}: counts by state, where a replica whose node
     * is not live counts as {@code down} whatever ZooKeeper still records. UP when every replica is active
     * on a live node; DEGRADED when some are not but every shard has an active replica on a live node
     * (searches still get every document); DOWN when some shard has none (searches fail, unless
     * tolerant), when there is no alias, or when the cluster does not answer.
     */
    @Override
    public BackendStatus status() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("alias", settings.alias());
        try (CloudSolrClient client = SolrCalls.cloud(settings)) {
            SolrMetadata.AliasView view = SolrMetadata.read(client, settings.alias());
            String collection = view.collection();
            CollectionAdminRequest.ClusterStatus request = new CollectionAdminRequest.ClusterStatus();
            if (collection != null) {
                request.setCollectionName(collection);
            }
            NamedList<Object> status = SolrCalls.once("cluster status", () -> request.process(client))
                    .getResponse();
            List<String> liveNodes = new ArrayList<>();
            for (Object node : (List<?>) SolrResponses.child(status, "cluster", "live_nodes")) {
                liveNodes.add(String.valueOf(node));
            }
            details.put("liveNodes", liveNodes);
            if (collection == null) {
                details.put("error", "no alias " + settings.alias() + " (no index yet)");
                return new BackendStatus("solr", BackendStatus.State.DOWN, details);
            }
            details.put("collection", collection);
            Matcher m = generation.matcher(collection);
            details.put("generation", m.matches() ? Integer.parseInt(m.group(1)) : -1);
            Object shards = SolrResponses.child(status, "cluster", "collections", collection, "shards");
            Map<String, Integer> replicas = new TreeMap<>();
            List<String> unavailableShards = new ArrayList<>();
            int shardCount = 0;
            boolean allActive = true;
            for (Map.Entry<String, Object> shard : SolrResponses.entries(shards)) {
                shardCount++;
                boolean served = false;
                for (Map.Entry<String, Object> replica :
                        SolrResponses.entries(SolrResponses.optionalChild(shard.getValue(), "replicas"))) {
                    String state = String.valueOf(SolrResponses.optionalChild(replica.getValue(), "state"));
                    String node = String.valueOf(SolrResponses.optionalChild(replica.getValue(), "node_name"));
                    String counted = liveNodes.contains(node) ? state : "down";
                    replicas.merge(counted, 1, Integer::sum);
                    served |= "active".equals(counted);
                    allActive &= "active".equals(counted);
                }
                if (!served) {
                    unavailableShards.add(shard.getKey());
                }
            }
            details.put("shards", shardCount);
            details.put("replicas", replicas);
            BackendStatus.State state;
            if (!unavailableShards.isEmpty()) {
                details.put("unavailableShards", unavailableShards);
                state = BackendStatus.State.DOWN;
            } else {
                state = allActive ? BackendStatus.State.UP : BackendStatus.State.DEGRADED;
            }
            return new BackendStatus("solr", state, details);
        } catch (IOException | RuntimeException e) {
            details.put("error", String.valueOf(e.getMessage()));
            return new BackendStatus("solr", BackendStatus.State.DOWN, details);
        }
    }

    /**
     * The cluster's view of the live collection: clean when every shard has an active leader and every
     * replica is active on a live node. Solr checks segments itself (checksums on replication and
     * recovery); there is no remote CheckIndex.
     */
    @Override
    public IndexCheck check(@Nullable PrintStream out) throws IOException {
        try (CloudSolrClient client = SolrCalls.cloud(settings)) {
            SolrMetadata.AliasView view = SolrMetadata.read(client, settings.alias());
            String collection = view.collection();
            if (collection == null) {
                return new IndexCheck(false, 0, 0, null, List.of("no alias " + settings.alias()), "");
            }
            IndexMetadata metadata = view.metadataOf(collection).orElse(null);
            List<String> problems = new ArrayList<>();
            StringBuilder detail = new StringBuilder();
            NamedList<Object> status = SolrCalls.retried(
                            "cluster status of " + collection,
                            () -> new CollectionAdminRequest.ClusterStatus()
                                    .setCollectionName(collection)
                                    .process(client))
                    .getResponse();
            List<String> liveNodes = new ArrayList<>();
            for (Object node : (List<?>) SolrResponses.child(status, "cluster", "live_nodes")) {
                liveNodes.add(String.valueOf(node));
            }
            detail.append("live nodes: ").append(liveNodes).append('\n');
            Object shards = SolrResponses.child(status, "cluster", "collections", collection, "shards");
            int shardCount = 0;
            for (Map.Entry<String, Object> shard : SolrResponses.entries(shards)) {
                shardCount++;
                boolean activeLeader = false;
                Object replicas = SolrResponses.optionalChild(shard.getValue(), "replicas");
                for (Map.Entry<String, Object> replica : SolrResponses.entries(replicas)) {
                    String state = String.valueOf(SolrResponses.optionalChild(replica.getValue(), "state"));
                    String node = String.valueOf(SolrResponses.optionalChild(replica.getValue(), "node_name"));
                    boolean leader =
                            "true".equals(String.valueOf(SolrResponses.optionalChild(replica.getValue(), "leader")));
                    boolean live = liveNodes.contains(node);
                    detail.append(shard.getKey())
                            .append(' ')
                            .append(replica.getKey())
                            .append(" on ")
                            .append(node)
                            .append(": ")
                            .append(state)
                            .append(leader ? " (leader)" : "")
                            .append(live ? "" : " (node not live)")
                            .append('\n');
                    if (!"active".equals(state) || !live) {
                        problems.add(shard.getKey() + " replica " + replica.getKey() + " on " + node + " is " + state
                                + (live ? "" : " and its node is not live"));
                    } else if (leader) {
                        activeLeader = true;
                    }
                }
                if (!activeLeader) {
                    problems.add(shard.getKey() + " has no active leader: its documents cannot be written or read");
                }
            }
            if (metadata == null) {
                problems.add("alias " + settings.alias() + " records no metadata for " + collection);
            }
            long documents = -1;
            try {
                ModifiableSolrParams params = new ModifiableSolrParams();
                params.set("q", "*:*");
                params.set("rows", 0);
                documents = new QueryRequest(params)
                        .process(client, collection)
                        .getResults()
                        .getNumFound();
            } catch (Exception e) {
                problems.add("counting the documents of " + collection + " failed: " + e.getMessage());
            }
            for (String orphan : orphanGenerations(client, collection)) {
                detail.append("collection ")
                        .append(orphan)
                        .append(" is a generation no alias points at")
                        .append(" (a reindex running now, or left by a crash: delete it if none runs)\n");
            }
            if (out != null) {
                out.print(detail);
            }
            boolean clean = problems.isEmpty();
            return new IndexCheck(
                    clean, Math.max(0, documents), shardCount, metadata, problems, clean ? "" : detail.toString());
        }
    }

    @Override
    public Reindex prepareReindex(IndexSpec spec) throws IOException {
        requireFloat32(spec.options().vectors());
        Optional<IndexMetadata> live = metadata();
        if (live.isEmpty()) {
            // CREATEALIAS and ALIASPROP need an alias: create the (empty) live generation first.
            open(IndexSpec.of(spec.model())).close();
            live = metadata();
        }
        IndexOptions asked = spec.options();
        IndexMetadata l = live.orElseThrow();
        // Null options take the live index's, so a reindex keeps its HNSW parameters unless asked.
        IndexMetadata fresh = IndexMetadata.fresh(new IndexSpec(
                spec.model(),
                new IndexOptions(
                        VectorFormat.FLOAT32,
                        asked.m() != null ? asked.m() : l.m(),
                        asked.beamWidth() != null ? asked.beamWidth() : l.beamWidth())));
        CloudSolrClient client = SolrCalls.cloud(settings);
        try {
            String collection = createGeneration(client, fresh);
            SolrMetadata.write(client, settings.alias(), collection, fresh);
            log.info("reindex of {} into {}", describe(), collection);
            return new CollectionReindex(
                    new SolrVectorIndex(client, this, new SolrVectorIndex.Target(collection, fresh), true),
                    spec.model());
        } catch (IOException | RuntimeException e) {
            client.close();
            throw e;
        }
    }

    /** A reindex into a new generation collection. Not thread-safe: one caller drives it. */
    private final class CollectionReindex implements Reindex {
        private final SolrVectorIndex index;
        private final ModelIdentity model;
        private boolean activated;
        private boolean closed;

        CollectionReindex(SolrVectorIndex index, ModelIdentity model) {
            this.index = index;
            this.model = model;
        }

        @Override
        public VectorIndex index() {
            return index;
        }

        @Override
        public void activate() throws IOException {
            if (activated || closed) {
                throw new IllegalStateException("reindex into " + index.collection() + " is already "
                        + (activated ? "activated" : "discarded"));
            }
            String fresh = index.collection();
            index.commit(null);
            index.close();
            try (CloudSolrClient client = SolrCalls.cloud(settings)) {
                SolrMetadata.AliasView before = SolrMetadata.read(client, settings.alias());
                before.metadataOf(fresh)
                        .orElseThrow(
                                () -> new IllegalStateException("the fresh collection " + fresh + " records no model"))
                        .model()
                        .requireSame(model, "solr collection " + fresh);
                long t0 = System.nanoTime();
                pointAlias(client, fresh);
                activated = true;
                log.info(
                        "switched {} from {} to {} in {} ms",
                        describe(),
                        before.collection(),
                        fresh,
                        (System.nanoTime() - t0) / 1_000_000);
                String previous = before.collection();
                if (previous != null && !previous.equals(fresh)) {
                    try {
                        deleteCollection(client, previous);
                        SolrMetadata.remove(client, SolrMetadata.read(client, settings.alias()), previous);
                    } catch (IOException | RuntimeException e) {
                        // The switch happened; a leftover generation only takes space (check lists it).
                        log.warn("switched to {}, but deleting the previous generation {} failed", fresh, previous, e);
                    }
                }
            }
        }

        @Override
        public void close() throws IOException {
            if (activated || closed) {
                return;
            }
            closed = true;
            String fresh = index.collection();
            index.abandon();
            try (CloudSolrClient client = SolrCalls.cloud(settings)) {
                deleteCollection(client, fresh);
                SolrMetadata.remove(client, SolrMetadata.read(client, settings.alias()), fresh);
            }
            log.info("discarded the unactivated reindex collection {}", fresh);
        }
    }

    /** Creates the next generation collection for {@code metadata} (uploading the configset if needed). */
    private String createGeneration(CloudSolrClient client, IndexMetadata metadata) throws IOException {
        ensureConfigset(client);
        List<String> existing =
                SolrCalls.retried("listing the collections", () -> CollectionAdminRequest.listCollections(client));
        int next = 1;
        for (String name : existing) {
            Matcher m = generation.matcher(name);
            if (m.matches()) {
                next = Math.max(next, Integer.parseInt(m.group(1)) + 1);
            }
        }
        String collection = settings.alias() + "_g" + next;
        CollectionAdminRequest.Create create = CollectionAdminRequest.createCollection(
                        collection, settings.configset(), settings.shards(), settings.replicas())
                .setProperties(Map.of(
                        SolrSchema.DIMENSION_PROPERTY,
                                Integer.toString(metadata.model().dimension()),
                        SolrSchema.M_PROPERTY, Integer.toString(metadata.m()),
                        SolrSchema.BEAM_WIDTH_PROPERTY, Integer.toString(metadata.beamWidth())));
        create.setWaitForFinalState(true); // returns once every replica is active
        long t0 = System.nanoTime();
        // Not retried: a second CREATE of a half-made collection fails; the caller sees the first error.
        SolrCalls.once(
                "creating collection " + collection + " (" + settings.shards() + " shards x " + settings.replicas()
                        + " replicas, configset " + settings.configset() + ")",
                () -> create.process(client));
        log.info("created collection {} in {} ms", collection, (System.nanoTime() - t0) / 1_000_000);
        return collection;
    }

    private void ensureConfigset(CloudSolrClient client) throws IOException {
        List<String> configsets = SolrCalls.retried(
                "listing the configsets",
                () -> new ConfigSetAdminRequest.List().process(client).getConfigSets());
        if (configsets != null && configsets.contains(settings.configset())) {
            return;
        }
        byte[] zip = SolrSchema.configsetZip();
        SolrCalls.once(
                "uploading configset " + settings.configset(),
                () -> new ConfigSetAdminRequest.Upload()
                        .setConfigSetName(settings.configset())
                        .setUploadStream(new ContentStreamBase.ByteArrayStream(
                                zip, settings.configset() + ".zip", "application/zip"))
                        .process(client));
        log.info("uploaded configset {} from the jar", settings.configset());
    }

    private void pointAlias(CloudSolrClient client, String collection) throws IOException {
        SolrCalls.retried(
                "pointing alias " + settings.alias() + " at " + collection,
                () -> CollectionAdminRequest.createAlias(settings.alias(), collection)
                        .process(client));
    }

    private static void deleteCollection(CloudSolrClient client, String collection) throws IOException {
        List<String> existing =
                SolrCalls.retried("listing the collections", () -> CollectionAdminRequest.listCollections(client));
        if (existing.contains(collection)) {
            SolrCalls.once(
                    "deleting collection " + collection,
                    () -> CollectionAdminRequest.deleteCollection(collection).process(client));
        }
    }

    /** Generation collections of this alias other than {@code live}. */
    private List<String> orphanGenerations(CloudSolrClient client, String live) throws IOException {
        List<String> existing =
                SolrCalls.retried("listing the collections", () -> CollectionAdminRequest.listCollections(client));
        return existing.stream()
                .filter(c -> generation.matcher(c).matches() && !c.equals(live))
                .sorted()
                .toList();
    }

    /**
     * The index size on disk of one replica per shard (the leader's), from each node's CoreAdmin STATUS;
     * -1 when some node does not answer. Cached for {@value #SIZE_TTL_MS} ms: health and the metrics
     * gauge ask often, and it costs one request per shard.
     */
    long sizeBytes(SolrClient client, String collection) {
        CachedSize cached = size;
        long now = System.nanoTime();
        if (cached != null && cached.collection.equals(collection) && now - cached.at < SIZE_TTL_MS * 1_000_000) {
            return cached.bytes;
        }
        long bytes = 0;
        try {
            NamedList<Object> status = new CollectionAdminRequest.ClusterStatus()
                    .setCollectionName(collection)
                    .process(client)
                    .getResponse();
            Object shards = SolrResponses.child(status, "cluster", "collections", collection, "shards");
            for (Map.Entry<String, Object> shard : SolrResponses.entries(shards)) {
                for (Map.Entry<String, Object> replica :
                        SolrResponses.entries(SolrResponses.optionalChild(shard.getValue(), "replicas"))) {
                    Object r = replica.getValue();
                    if (!"true".equals(String.valueOf(SolrResponses.optionalChild(r, "leader")))) {
                        continue;
                    }
                    String core = String.valueOf(SolrResponses.child(r, "core"));
                    String baseUrl = String.valueOf(SolrResponses.child(r, "base_url"));
                    ModifiableSolrParams params = new ModifiableSolrParams();
                    params.set("action", "STATUS");
                    params.set("core", core);
                    try (HttpJdkSolrClient node = SolrCalls.node(settings, baseUrl)) {
                        NamedList<Object> answer = new GenericSolrRequest(
                                        SolrRequest.METHOD.GET, "/admin/cores", params)
                                .process(node)
                                .getResponse();
                        bytes += ((Number) SolrResponses.child(answer, "status", core, "index", "sizeInBytes"))
                                .longValue();
                    }
                }
            }
        } catch (Exception e) {
            log.debug("index size of {} unavailable", collection, e);
            bytes = -1;
        }
        size = new CachedSize(collection, now, bytes);
        return bytes;
    }

    private static final long SIZE_TTL_MS = 30_000;

    private record CachedSize(String collection, long at, long bytes) {}

    private volatile @Nullable CachedSize size;

    @Override
    public String toString() {
        return "SolrBackend[" + settings + "]";
    }
}
