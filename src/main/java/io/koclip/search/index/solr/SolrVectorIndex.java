package io.koclip.search.index.solr;

import io.koclip.search.index.Hit;
import io.koclip.search.index.ImageDocument;
import io.koclip.search.index.IndexMetadata;
import io.koclip.search.index.IndexModelMismatchException;
import io.koclip.search.index.IndexNotFoundException;
import io.koclip.search.index.IndexQuery;
import io.koclip.search.index.IndexStats;
import io.koclip.search.index.IndexedFile;
import io.koclip.search.index.LexicalQuery;
import io.koclip.search.index.ModelIdentity;
import io.koclip.search.index.VectorChecks;
import io.koclip.search.index.VectorIndex;
import io.koclip.search.index.VectorQuery;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.solr.client.solrj.SolrRequest;
import org.apache.solr.client.solrj.impl.CloudSolrClient;
import org.apache.solr.client.solrj.request.GenericSolrRequest;
import org.apache.solr.client.solrj.request.QueryRequest;
import org.apache.solr.client.solrj.request.UpdateRequest;
import org.apache.solr.client.solrj.response.QueryResponse;
import org.apache.solr.common.SolrDocument;
import org.apache.solr.common.SolrDocumentList;
import org.apache.solr.common.params.CursorMarkParams;
import org.apache.solr.common.params.ModifiableSolrParams;
import org.apache.solr.common.util.NamedList;
import org.jspecify.annotations.Nullable;

/**
 * One generation collection of the SolrCloud backend, open for writing (bound to that collection) or
 * read-only (bound to whatever the alias points at as of the last {@link #refresh()}).
 *
 * <ul>
 *   <li>{@link #upsertAll} and {@link #deleteAll}: one update request per batch, validated whole first,
 *       retried with back-off (upserts and deletes by id are idempotent).
 *   <li>{@link #search} of a {@link VectorQuery}: {@code {!knn f=vector topK=numCandidates}} with one
 *       {@code fq} per restriction (pre-filtering) and {@code rows=k}. Solr's {@code topK} is per shard
 *       and is also each shard's result count, so every shard explores {@code numCandidates} (the
 *       candidate policy's per-shard reading in {@link VectorQuery}) and the best k of the merged lists
 *       come back. Scores are Solr's {@code (1 + dot) / 2}, turned back into the cosine.
 *   <li>{@link #search} of a {@link LexicalQuery}: edismax over the text fields, one per source with its boost (Nori), OR of the words,
 *       the same filters. BM25 statistics are per shard (Solr's default stats cache).
 *   <li>{@link #get}, {@link #indexedFile}: real-time get, which reads the update log and so sees writes
 *       before any commit (allowed: "a backend may make writes visible earlier").
 *   <li>{@link #findByContentHash}, {@link #forEachIndexedFile} (cursorMark paging by id), {@link #stats}:
 *       searches, visible after {@link #refresh()}.
 * </ul>
 *
 * <p>Durability and the checkpoint: {@link #commit} is a hard commit on every shard (waitSearcher), and
 * only when it has returned without error is the checkpoint written to the alias properties. Shards
 * commit separately, and a crash can come between the two steps, so the recorded checkpoint is at most
 * as new as the documents: a resumed ingest redoes work, it never loses any. Both steps are retried.
 *
 * <p>Thread-safe: SolrJ's cloud client is thread-safe; the metadata and the read-only target are
 * volatile and replaced whole. The index owns its client and closes it in {@link #close()}.
 */
final class SolrVectorIndex implements VectorIndex {
    /** Documents per cursorMark page of {@link #forEachIndexedFile}. */
    private static final int SCAN_PAGE = 1000;

    private final CloudSolrClient client;
    private final SolrBackend backend;
    private final boolean writable;
    private final Object commitLock = new Object();
    private final AtomicBoolean dirty = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();

    /** The collection searched and written, with its metadata; replaced by a read-only refresh. */
    private volatile Target target;

    record Target(String collection, IndexMetadata metadata) {}

    SolrVectorIndex(CloudSolrClient client, SolrBackend backend, Target target, boolean writable) {
        this.client = client;
        this.backend = backend;
        this.target = target;
        this.writable = writable;
    }

    /** The collection this index reads and writes now. */
    String collection() {
        return target.collection();
    }

    @Override
    public IndexMetadata metadata() {
        return target.metadata();
    }

    @Override
    public void upsertAll(List<ImageDocument> documents) throws IOException {
        requireWritable();
        Target t = target;
        int dimension = t.metadata().model().dimension();
        for (ImageDocument document : documents) {
            requireText(document.id(), "id");
            requireText(document.path(), "path");
            requireText(document.contentHash(), "contentHash");
            requireText(document.format(), "format");
            if (document.width() < 1 || document.height() < 1) {
                throw new IllegalArgumentException("image size of '" + document.path() + "': " + document.width() + "x"
                        + document.height() + " must be at least 1x1");
            }
            VectorChecks.requireUnitVector(document.vector(), dimension, "vector of '" + document.path() + "'");
        }
        if (documents.isEmpty()) {
            return;
        }
        UpdateRequest request = new UpdateRequest();
        for (ImageDocument document : documents) {
            request.add(SolrSchema.toSolr(document));
        }
        dirty.set(true);
        SolrCalls.retried(
                "writing " + documents.size() + " documents to " + t.collection(),
                () -> request.process(client, t.collection()));
    }

    @Override
    public void deleteAll(Collection<String> ids) throws IOException {
        requireWritable();
        if (ids.isEmpty()) {
            return;
        }
        Target t = target;
        UpdateRequest request = new UpdateRequest().deleteById(List.copyOf(ids));
        dirty.set(true);
        SolrCalls.retried(
                "deleting " + ids.size() + " documents from " + t.collection(),
                () -> request.process(client, t.collection()));
    }

    @Override
    public List<Hit> search(IndexQuery query) throws IOException {
        return switch (query) {
            case VectorQuery knn -> searchVectors(knn);
            case LexicalQuery lexical -> searchText(lexical);
        };
    }

    private List<Hit> searchVectors(VectorQuery query) throws IOException {
        Target t = target;
        float[] vector = query.vector();
        VectorChecks.requireUnitVector(vector, t.metadata().model().dimension(), "query vector");
        ModifiableSolrParams params = new ModifiableSolrParams();
        // topK per shard >= k, or a shard could not contribute k hits
        params.set("q", SolrSchema.knn(vector, Math.max(query.k(), query.numCandidates())));
        SolrSchema.addFilters(params, query.filter());
        params.set("rows", query.k());
        params.set("fl", SolrSchema.DISPLAY_FIELDS + ",score");
        List<Hit> hits = new ArrayList<>(query.k());
        for (SolrDocument doc : query(t, params, "kNN search").getResults()) {
            // dot_product scores are (1 + dot) / 2
            float cosine = 2 * ((Number) doc.getFieldValue("score")).floatValue() - 1;
            hits.add(new Hit(SolrSchema.fromSolr(doc, false), Math.max(-1f, Math.min(1f, cosine))));
        }
        return hits;
    }

    private List<Hit> searchText(LexicalQuery query) throws IOException {
        Target t = target;
        ModifiableSolrParams params = new ModifiableSolrParams();
        params.set("defType", "edismax");
        params.set("qf", SolrSchema.TEXT_QUERY_FIELDS);
        params.set("q.op", "OR");
        params.set("uf", "-*"); // no field:value syntax from users
        params.set("q", SolrSchema.words(query.text()));
        SolrSchema.addFilters(params, query.filter());
        params.set("rows", query.k());
        params.set("fl", SolrSchema.DISPLAY_FIELDS + ",score");
        List<Hit> hits = new ArrayList<>(query.k());
        for (SolrDocument doc : query(t, params, "text search").getResults()) {
            hits.add(new Hit(SolrSchema.fromSolr(doc, false), ((Number) doc.getFieldValue("score")).floatValue()));
        }
        return hits;
    }

    private QueryResponse query(Target t, ModifiableSolrParams params, String what) throws IOException {
        // Searches are retried too: a replica that went down mid-request is left out on the next try.
        return SolrCalls.retried(
                what + " on " + t.collection(),
                () -> new QueryRequest(params, SolrRequest.METHOD.POST).process(client, t.collection()));
    }

    @Override
    public Optional<ImageDocument> get(String id) throws IOException {
        return realTimeGet(id, "*").map(doc -> SolrSchema.fromSolr(doc, true));
    }

    @Override
    public Optional<IndexedFile> indexedFile(String id) throws IOException {
        return realTimeGet(id, SolrSchema.FILE_FIELDS).map(SolrSchema::fileFromSolr);
    }

    /** Ids per real-time get of {@link #indexedFiles}: 22-character ids keep a GET line near 3 KB. */
    static final int GET_CHUNK = 100;

    /** Real-time get of {@value #GET_CHUNK} ids per request (repeated {@code id} parameters, never split). */
    @Override
    public Map<String, IndexedFile> indexedFiles(Collection<String> ids) throws IOException {
        Target t = target;
        List<String> all = List.copyOf(new LinkedHashSet<>(ids));
        Map<String, IndexedFile> found = new HashMap<>();
        for (int from = 0; from < all.size(); from += GET_CHUNK) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + GET_CHUNK));
            ModifiableSolrParams params = new ModifiableSolrParams();
            params.set("id", chunk.toArray(String[]::new));
            params.set("fl", SolrSchema.FILE_FIELDS);
            GenericSolrRequest request =
                    new GenericSolrRequest(SolrRequest.METHOD.GET, "/get", params).setRequiresCollection(true);
            NamedList<Object> answer = SolrCalls.retried(
                    "real-time get of " + chunk.size() + " ids from " + t.collection(),
                    () -> request.process(client, t.collection()).getResponse());
            // one id=... answers {"doc": ...} (or nothing); more answer {"response": [...]}
            List<SolrDocument> docs = new ArrayList<>();
            if (answer.get("response") instanceof SolrDocumentList list) {
                docs.addAll(list);
            } else if (answer.get("doc") instanceof SolrDocument doc) {
                docs.add(doc);
            }
            for (SolrDocument doc : docs) {
                IndexedFile file = SolrSchema.fileFromSolr(doc);
                found.put(file.id(), file);
            }
        }
        return found;
    }

    private Optional<SolrDocument> realTimeGet(String id, String fields) throws IOException {
        Target t = target;
        ModifiableSolrParams params = new ModifiableSolrParams();
        params.set("ids", id);
        params.set("fl", fields);
        GenericSolrRequest request =
                new GenericSolrRequest(SolrRequest.METHOD.GET, "/get", params).setRequiresCollection(true);
        SolrDocumentList docs =
                SolrCalls.retried("real-time get of " + id + " from " + t.collection(), () -> (SolrDocumentList)
                        request.process(client, t.collection()).getResponse().get("response"));
        return docs == null || docs.isEmpty() ? Optional.empty() : Optional.of(docs.get(0));
    }

    @Override
    public Optional<ImageDocument> findByContentHash(String contentHash) throws IOException {
        Target t = target;
        ModifiableSolrParams params = new ModifiableSolrParams();
        params.set("q", "{!term f=" + SolrSchema.CONTENT_HASH + " v=$hash}");
        params.set("hash", contentHash);
        params.set("rows", 1);
        params.set("fl", "*");
        SolrDocumentList docs = query(t, params, "content-hash look-up").getResults();
        return docs.isEmpty() ? Optional.empty() : Optional.of(SolrSchema.fromSolr(docs.get(0), true));
    }

    @Override
    public void forEachIndexedFile(Consumer<IndexedFile> action) throws IOException {
        Target t = target;
        String cursor = CursorMarkParams.CURSOR_MARK_START;
        while (true) {
            ModifiableSolrParams params = new ModifiableSolrParams();
            params.set("q", "*:*");
            params.set("sort", SolrSchema.ID + " asc"); // cursorMark needs a total order ending in the unique key
            params.set("rows", SCAN_PAGE);
            params.set("fl", SolrSchema.FILE_FIELDS);
            params.set(CursorMarkParams.CURSOR_MARK_PARAM, cursor);
            QueryResponse page = query(t, params, "scan");
            for (SolrDocument doc : page.getResults()) {
                action.accept(SolrSchema.fileFromSolr(doc));
            }
            String next = page.getNextCursorMark();
            if (next == null || next.equals(cursor)) {
                return;
            }
            cursor = next;
        }
    }

    /**
     * Writer: a soft commit on every shard (new searchers, no fsync), so searches see the writes.
     * Read-only: follows the alias to the collection it points at now (after a reindex, the new one)
     * and re-reads its metadata; another process's commits are visible without any call.
     *
     * @throws IndexModelMismatchException if the alias now points at another model's collection
     */
    @Override
    public void refresh() throws IOException {
        if (writable) {
            Target t = target;
            SolrCalls.retried(
                    "soft commit of " + t.collection(), () -> client.commit(t.collection(), true, true, true));
            return;
        }
        Target t = target;
        SolrMetadata.AliasView view =
                SolrMetadata.read(client, backend.settings().alias());
        if (view.collection() == null) {
            throw new IndexNotFoundException(backend.describe());
        }
        IndexMetadata now = view.metadataOf(view.collection()).orElse(t.metadata());
        ModelIdentity model = t.metadata().model();
        now.model().requireSame(model, "solr collection " + view.collection());
        target = new Target(view.collection(), now);
    }

    @Override
    public void commit(@Nullable String checkpoint) throws IOException {
        requireWritable();
        synchronized (commitLock) {
            Target t = target;
            // 1. documents durable and visible on every shard ...
            SolrCalls.retried("hard commit of " + t.collection(), () -> client.commit(t.collection(), true, true));
            dirty.set(false);
            // 2. ... then the checkpoint that describes them (a crash in between: an older checkpoint).
            if (checkpoint != null && !checkpoint.equals(t.metadata().checkpoint())) {
                IndexMetadata next = t.metadata().withCheckpoint(checkpoint);
                SolrMetadata.write(client, backend.settings().alias(), t.collection(), next);
                target = new Target(t.collection(), next);
            }
        }
    }

    @Override
    public IndexStats stats() throws IOException {
        Target t = target;
        ModifiableSolrParams params = new ModifiableSolrParams();
        params.set("q", "*:*");
        params.set("rows", 0);
        long documents = query(t, params, "document count").getResults().getNumFound();
        return new IndexStats(documents, backend.sizeBytes(client, t.collection()), t.metadata());
    }

    private void requireWritable() {
        if (!writable) {
            throw new IllegalStateException("solr collection " + target.collection() + " is open read-only");
        }
        if (closed.get()) {
            throw new IllegalStateException("solr collection " + target.collection() + " is closed");
        }
    }

    private static void requireText(@Nullable String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + ": '" + value + "' must not be blank");
        }
    }

    /** Hard-commits writes not yet durable (keeping the recorded checkpoint), then closes the client. */
    @Override
    public void close() throws IOException {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try (CloudSolrClient c = client) {
            if (writable && dirty.get()) {
                Target t = target;
                SolrCalls.retried("hard commit of " + t.collection(), () -> c.commit(t.collection(), true, true));
            }
        }
    }

    /** Closes the client without committing (a discarded reindex). */
    void abandon() throws IOException {
        if (closed.compareAndSet(false, true)) {
            client.close();
        }
    }

    @Override
    public String toString() {
        return "SolrVectorIndex[" + target.collection() + (writable ? "" : ", read-only") + "]";
    }
}
