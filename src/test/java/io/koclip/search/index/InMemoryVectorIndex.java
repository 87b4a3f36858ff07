package io.koclip.search.index;

import io.koclip.search.model.Embeddings;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A brute-force {@link VectorIndex} for tests: exact kNN, filters applied before ranking, a lexical
 * query that counts shared lower-cased words of the caption. Writes are visible at once.
 *
 * <p>A handle on a {@link Store}: handles opened again on the same store (as a backend reopens an
 * index) see the same documents. Thread-safe: every operation holds the store's lock.
 */
public final class InMemoryVectorIndex implements VectorIndex {

    /** The documents and metadata of one index, shared by its handles. */
    public static final class Store {
        final Map<String, ImageDocument> documents = new LinkedHashMap<>();
        IndexMetadata metadata;
        int commits;

        Store(IndexMetadata metadata) {
            this.metadata = metadata;
        }
    }

    private final Store store;
    private final boolean checkVectors;
    private final boolean readOnly;
    private final AtomicBoolean closed = new AtomicBoolean();

    /** A new index that checks vectors against {@code model}'s dimension and unit norm, like a real backend. */
    public InMemoryVectorIndex(ModelIdentity model) {
        this(new Store(IndexMetadata.fresh(IndexSpec.of(model))), true);
    }

    /** A new lenient index for tests that do not care about vector shapes (any dimension accepted). */
    public InMemoryVectorIndex(String modelName, String fingerprint) {
        this(new Store(IndexMetadata.fresh(IndexSpec.of(new ModelIdentity(modelName, fingerprint, 1)))), false);
    }

    /** The same stored documents, opened again (after {@code closed} was closed). */
    public InMemoryVectorIndex(InMemoryVectorIndex closed) {
        this(closed.store, closed.checkVectors);
    }

    InMemoryVectorIndex(Store store, boolean checkVectors) {
        this(store, checkVectors, false);
    }

    InMemoryVectorIndex(Store store, boolean checkVectors, boolean readOnly) {
        this.store = store;
        this.checkVectors = checkVectors;
        this.readOnly = readOnly;
    }

    private void ensureWritable() throws IOException {
        ensureOpen();
        if (readOnly) {
            throw new IllegalStateException("this in-memory index is open read-only");
        }
    }

    Store store() {
        return store;
    }

    boolean checksVectors() {
        return checkVectors;
    }

    private void ensureOpen() throws IOException {
        if (closed.get()) {
            throw new IOException("closed");
        }
    }

    @Override
    public IndexMetadata metadata() {
        synchronized (store) {
            return store.metadata;
        }
    }

    @Override
    public void upsertAll(List<ImageDocument> documents) throws IOException {
        synchronized (store) {
            ensureWritable();
            if (checkVectors) {
                for (ImageDocument d : documents) {
                    VectorChecks.requireUnitVector(
                            d.vector(), store.metadata.model().dimension(), "vector of '" + d.path() + "'");
                }
            }
            for (ImageDocument d : documents) {
                store.documents.put(d.id(), d);
            }
        }
    }

    @Override
    public void deleteAll(Collection<String> ids) throws IOException {
        synchronized (store) {
            ensureWritable();
            ids.forEach(store.documents::remove);
        }
    }

    @Override
    public List<Hit> search(IndexQuery query) throws IOException {
        synchronized (store) {
            ensureOpen();
            List<Hit> hits = new ArrayList<>();
            switch (query) {
                case VectorQuery knn -> {
                    float[] vector = knn.vector();
                    if (checkVectors) {
                        VectorChecks.requireUnitVector(
                                vector, store.metadata.model().dimension(), "query vector");
                    }
                    for (ImageDocument d : store.documents.values()) {
                        if (matches(d, knn.filter())) {
                            hits.add(new Hit(withoutVector(d), Embeddings.dot(vector, d.vector())));
                        }
                    }
                }
                case LexicalQuery lexical -> {
                    Set<String> words = words(lexical.text());
                    for (ImageDocument d : store.documents.values()) {
                        if (!d.text().isEmpty() && matches(d, lexical.filter())) {
                            long shared = words(d.joinedText()).stream()
                                    .filter(words::contains)
                                    .count();
                            if (shared > 0) {
                                hits.add(new Hit(withoutVector(d), shared));
                            }
                        }
                    }
                }
            }
            hits.sort(Comparator.comparingDouble((Hit h) -> -h.score())
                    .thenComparing(h -> h.document().id()));
            return List.copyOf(hits.subList(0, Math.min(query.k(), hits.size())));
        }
    }

    private static Set<String> words(String text) {
        return Set.of(text.toLowerCase(Locale.ROOT).split("\\W+")).stream()
                .filter(w -> !w.isEmpty())
                .collect(java.util.stream.Collectors.toSet());
    }

    private static boolean matches(ImageDocument d, SearchFilter f) {
        return (f.pathPrefix() == null || d.path().startsWith(f.pathPrefix()))
                && (f.minWidth() == null || d.width() >= f.minWidth())
                && (f.minHeight() == null || d.height() >= f.minHeight())
                && (f.modifiedFrom() == null || d.modified() >= f.modifiedFrom())
                && (f.modifiedTo() == null || d.modified() <= f.modifiedTo())
                && (f.formats().isEmpty() || f.formats().stream().anyMatch(x -> x.equalsIgnoreCase(d.format())));
    }

    private static ImageDocument withoutVector(ImageDocument d) {
        return new ImageDocument(
                d.id(),
                d.path(),
                d.contentHash(),
                d.width(),
                d.height(),
                d.bytes(),
                d.modified(),
                d.format(),
                d.text(),
                d.textStamp(),
                null);
    }

    @Override
    public Optional<ImageDocument> get(String id) throws IOException {
        synchronized (store) {
            ensureOpen();
            return Optional.ofNullable(store.documents.get(id));
        }
    }

    @Override
    public Optional<IndexedFile> indexedFile(String id) throws IOException {
        return get(id).map(d ->
                new IndexedFile(d.id(), d.path(), d.contentHash(), d.bytes(), d.modified(), d.textStamp()));
    }

    @Override
    public Map<String, IndexedFile> indexedFiles(Collection<String> ids) throws IOException {
        synchronized (store) {
            ensureOpen();
            Map<String, IndexedFile> found = new HashMap<>();
            for (String id : ids) {
                ImageDocument d = store.documents.get(id);
                if (d != null) {
                    found.put(id, new IndexedFile(d.id(), d.path(), d.contentHash(), d.bytes(), d.modified()));
                }
            }
            return found;
        }
    }

    @Override
    public Optional<ImageDocument> findByContentHash(String contentHash) throws IOException {
        synchronized (store) {
            ensureOpen();
            return store.documents.values().stream()
                    .filter(d -> d.contentHash().equals(contentHash))
                    .findFirst();
        }
    }

    @Override
    public void forEachIndexedFile(Consumer<IndexedFile> action) throws IOException {
        List<ImageDocument> snapshot;
        synchronized (store) {
            ensureOpen();
            snapshot = List.copyOf(store.documents.values());
        }
        for (ImageDocument d : snapshot) {
            action.accept(new IndexedFile(d.id(), d.path(), d.contentHash(), d.bytes(), d.modified(), d.textStamp()));
        }
    }

    @Override
    public void refresh() throws IOException {
        ensureOpen();
    }

    @Override
    public void commit(@Nullable String checkpoint) throws IOException {
        synchronized (store) {
            ensureWritable();
            if (checkpoint != null) {
                store.metadata = store.metadata.withCheckpoint(checkpoint);
            }
            store.commits++;
        }
    }

    @Override
    public IndexStats stats() throws IOException {
        synchronized (store) {
            ensureOpen();
            return new IndexStats(store.documents.size(), 0, store.metadata);
        }
    }

    /** Commits of the store, by any handle. */
    public int commits() {
        synchronized (store) {
            return store.commits;
        }
    }

    public boolean isClosed() {
        return closed.get();
    }

    @Override
    public void close() {
        closed.set(true);
    }

    /** A unit vector along {@code axis} mixed with a little of {@code other}, for predictable scores. */
    public static float[] unit(int dim, int axis, int other, float mix) {
        float[] v = new float[dim];
        v[axis] = 1;
        v[other] += mix;
        return Embeddings.normalizeInPlace(v);
    }

    public static ImageDocument document(String id, String path, String hash, float[] vector) {
        return new ImageDocument(id, path, hash, 64, 48, 1000, 1_700_000_000_000L, "png", null, vector);
    }
}
