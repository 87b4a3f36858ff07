package io.koclip.search.search;

import io.koclip.search.index.Hit;
import io.koclip.search.index.ImageDocument;
import io.koclip.search.index.IndexStats;
import io.koclip.search.index.SearchFilter;
import io.koclip.search.index.VectorIndex;
import io.koclip.search.index.VectorQuery;
import io.koclip.search.model.Embeddings;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/** A brute-force {@link VectorIndex} for tests: exact kNN, filters applied before ranking. */
public final class InMemoryVectorIndex implements VectorIndex {
    private final Map<String, ImageDocument> documents;
    private final Map<String, String> commitData;
    private final String modelName;
    private final String fingerprint;
    private final AtomicBoolean closed = new AtomicBoolean();
    private int commits;

    public InMemoryVectorIndex(String modelName, String fingerprint) {
        this.modelName = modelName;
        this.fingerprint = fingerprint;
        this.documents = new LinkedHashMap<>();
        this.commitData = new HashMap<>();
    }

    /** The same stored documents, opened again (after {@code closed} was closed). */
    public InMemoryVectorIndex(InMemoryVectorIndex closed) {
        this.modelName = closed.modelName;
        this.fingerprint = closed.fingerprint;
        this.documents = closed.documents;
        this.commitData = closed.commitData;
    }

    private void ensureOpen() throws IOException {
        if (closed.get()) {
            throw new IOException("closed");
        }
    }

    @Override
    public synchronized void upsert(ImageDocument document) throws IOException {
        ensureOpen();
        documents.put(document.id(), document);
    }

    @Override
    public synchronized void delete(String id) throws IOException {
        ensureOpen();
        documents.remove(id);
    }

    @Override
    public synchronized List<Hit> search(VectorQuery query) throws IOException {
        ensureOpen();
        float[] vector = query.vector();
        List<Hit> hits = new ArrayList<>();
        for (ImageDocument d : documents.values()) {
            if (matches(d, query.filter())) {
                hits.add(new Hit(withoutVector(d), Embeddings.dot(vector, d.vector())));
            }
        }
        hits.sort(Comparator.comparingDouble((Hit h) -> h.score()).reversed());
        return List.copyOf(hits.subList(0, Math.min(query.k(), hits.size())));
    }

    private static boolean matches(ImageDocument d, SearchFilter f) {
        return (f.pathPrefix() == null || d.path().startsWith(f.pathPrefix()))
                && (f.minWidth() == null || d.width() >= f.minWidth())
                && (f.minHeight() == null || d.height() >= f.minHeight())
                && (f.modifiedFrom() == null || d.modified() >= f.modifiedFrom())
                && (f.modifiedTo() == null || d.modified() <= f.modifiedTo())
                && (f.formats().isEmpty() || f.formats().contains(d.format()));
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
                d.caption(),
                null);
    }

    @Override
    public synchronized Optional<ImageDocument> get(String id) throws IOException {
        ensureOpen();
        return Optional.ofNullable(documents.get(id));
    }

    @Override
    public void refresh() {}

    @Override
    public synchronized void commit(Map<String, String> userData) throws IOException {
        ensureOpen();
        commitData.putAll(userData);
        commits++;
    }

    @Override
    public synchronized IndexStats stats() throws IOException {
        ensureOpen();
        return new IndexStats(documents.size(), 0, modelName, fingerprint, Map.copyOf(commitData));
    }

    public synchronized int commits() {
        return commits;
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
