package io.koclip.search.index;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;
import org.apache.lucene.codecs.Codec;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene104.Lucene104Codec;
import org.apache.lucene.codecs.lucene104.Lucene104HnswScalarQuantizedVectorsFormat;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.IntField;
import org.apache.lucene.document.KeywordField;
import org.apache.lucene.document.LongField;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.PrefixQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.VectorUtil;
import org.apache.lucene.util.quantization.QuantizedByteVectorValues.ScalarEncoding;
import org.jspecify.annotations.Nullable;

/**
 * {@link VectorIndex} on embedded Lucene: one {@link IndexWriter} (absent when read-only) and one
 * {@link SearcherManager} for near-real-time searches. Built by {@link LuceneIndexes}.
 *
 * <p>Thread-safe: {@code IndexWriter} and {@code SearcherManager} are; commits (which set the live
 * commit data and commit) are serialized on {@code commitLock}. Searches acquire a searcher and
 * release it in {@code finally}.
 *
 * <p>Scores: the field uses DOT_PRODUCT on unit vectors, whose Lucene score is {@code (1 + cos) / 2};
 * hits report the cosine. With a quantized format the HNSW scores are approximate, so the candidates
 * are rescored exactly with the raw float vectors (which quantized formats keep) before the top k
 * are chosen.
 */
final class LuceneVectorIndex implements VectorIndex {
    private final Path path;
    private final Directory directory;
    private final @Nullable IndexWriter writer;
    private final SearcherManager searchers;
    private final ModelIdentity model;
    private final VectorFormat format;
    private final Object commitLock = new Object();
    // Guarded by commitLock: what the next commit records (model identity, format, checkpoint, ...).
    private final Map<String, String> commitData;
    private volatile Map<String, String> committedData;

    LuceneVectorIndex(
            Path path,
            Directory directory,
            @Nullable IndexWriter writer,
            SearcherManager searchers,
            ModelIdentity model,
            VectorFormat format,
            Map<String, String> commitData) {
        this.path = path;
        this.directory = directory;
        this.writer = writer;
        this.searchers = searchers;
        this.model = model;
        this.format = format;
        this.commitData = new LinkedHashMap<>(commitData);
        this.committedData = Map.copyOf(commitData);
    }

    /** A Lucene 10.4+ codec whose vector field uses {@code format} with the given HNSW parameters. */
    static Codec codec(VectorFormat format, int m, int beamWidth) {
        return codec(format, m, beamWidth, 1, null);
    }

    /**
     * The codec with {@code mergeWorkers} threads of {@code mergeExecutor} building each merged
     * segment's HNSW graph (Lucene's concurrent merge builder); 1 and null: the merging thread alone.
     * The worker count is not part of the index: any codec of the same format reads it.
     */
    static Codec codec(
            VectorFormat format, int m, int beamWidth, int mergeWorkers, @Nullable ExecutorService mergeExecutor) {
        KnnVectorsFormat vectors = switch (format) {
            case FLOAT32 -> new Lucene99HnswVectorsFormat(m, beamWidth, mergeWorkers, mergeExecutor);
            case INT8 -> quantized(ScalarEncoding.UNSIGNED_BYTE, m, beamWidth, mergeWorkers, mergeExecutor);
            case INT4 -> quantized(ScalarEncoding.PACKED_NIBBLE, m, beamWidth, mergeWorkers, mergeExecutor);
            case BBQ -> quantized(ScalarEncoding.SINGLE_BIT_QUERY_NIBBLE, m, beamWidth, mergeWorkers, mergeExecutor);
        };
        // The codec keeps Lucene104's name; the per-field wrapper records the vector format's own SPI
        // name in each segment, so any Lucene 10.5 reader opens the index without this class.
        return new Lucene104Codec() {
            @Override
            public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
                return vectors;
            }
        };
    }

    private static KnnVectorsFormat quantized(
            ScalarEncoding encoding, int m, int beamWidth, int mergeWorkers, @Nullable ExecutorService mergeExecutor) {
        return new Lucene104HnswScalarQuantizedVectorsFormat(encoding, m, beamWidth, mergeWorkers, mergeExecutor);
    }

    VectorFormat format() {
        return format;
    }

    @Override
    public void upsert(ImageDocument document) throws IOException {
        IndexWriter w = requireWriter();
        requireText(document.id(), "id");
        requireText(document.path(), "path");
        requireText(document.contentHash(), "contentHash");
        requireText(document.format(), "format");
        if (document.width() < 1 || document.height() < 1) {
            throw new IllegalArgumentException("image size of '" + document.path() + "': " + document.width() + "x"
                    + document.height() + " must be at least 1x1");
        }
        VectorChecks.requireUnitVector(document.vector(), model.dimension(), "vector of '" + document.path() + "'");
        w.updateDocument(new Term(LuceneSchema.ID, document.id()), LuceneSchema.toLucene(document));
    }

    @Override
    public void delete(String id) throws IOException {
        requireWriter().deleteDocuments(new Term(LuceneSchema.ID, id));
    }

    @Override
    public List<Hit> search(VectorQuery query) throws IOException {
        float[] target = query.vector();
        VectorChecks.requireUnitVector(target, model.dimension(), "query vector");
        int k = query.k();
        int candidates = Math.min(
                10_000,
                Math.max(
                        k,
                        query.numCandidates() > 0
                                ? query.numCandidates()
                                : Math.max(100, (format.quantized() ? 4 : 2) * k)));
        Query knn = new KnnFloatVectorQuery(LuceneSchema.VECTOR, target, candidates, filterQuery(query.filter()));
        IndexSearcher searcher = searchers.acquire();
        try {
            TopDocs top = searcher.search(knn, candidates);
            float[] exact = format.quantized() ? exactScores(searcher, target, top.scoreDocs) : null;
            List<ScoredDoc> scored = new ArrayList<>(top.scoreDocs.length);
            for (int i = 0; i < top.scoreDocs.length; i++) {
                ScoreDoc sd = top.scoreDocs[i];
                // Lucene's DOT_PRODUCT score is (1 + cos) / 2, floored at 0.
                float cosine = exact != null ? exact[i] : 2 * sd.score - 1;
                scored.add(new ScoredDoc(sd.doc, cosine));
            }
            if (format.quantized()) {
                scored.sort(
                        Comparator.comparingDouble((ScoredDoc s) -> -s.score).thenComparingInt(s -> s.doc));
            }
            StoredFields stored = searcher.storedFields();
            List<Hit> hits = new ArrayList<>(Math.min(k, scored.size()));
            for (ScoredDoc s : scored.subList(0, Math.min(k, scored.size()))) {
                Document doc = stored.document(s.doc, LuceneSchema.DISPLAY_FIELDS);
                hits.add(new Hit(LuceneSchema.fromLucene(doc, null), Math.max(-1f, Math.min(1f, s.score))));
            }
            return hits;
        } finally {
            searchers.release(searcher);
        }
    }

    private record ScoredDoc(int doc, float score) {}

    static @Nullable Query filterQuery(SearchFilter filter) {
        if (filter.isEmpty()) {
            return null;
        }
        BooleanQuery.Builder b = new BooleanQuery.Builder();
        if (filter.pathPrefix() != null && !filter.pathPrefix().isEmpty()) {
            b.add(new PrefixQuery(new Term(LuceneSchema.PATH, filter.pathPrefix())), BooleanClause.Occur.FILTER);
        }
        if (filter.minWidth() != null) {
            b.add(
                    IntField.newRangeQuery(LuceneSchema.WIDTH, filter.minWidth(), Integer.MAX_VALUE),
                    BooleanClause.Occur.FILTER);
        }
        if (filter.minHeight() != null) {
            b.add(
                    IntField.newRangeQuery(LuceneSchema.HEIGHT, filter.minHeight(), Integer.MAX_VALUE),
                    BooleanClause.Occur.FILTER);
        }
        if (filter.modifiedFrom() != null || filter.modifiedTo() != null) {
            long from = filter.modifiedFrom() == null ? Long.MIN_VALUE : filter.modifiedFrom();
            long to = filter.modifiedTo() == null ? Long.MAX_VALUE : filter.modifiedTo();
            b.add(LongField.newRangeQuery(LuceneSchema.MODIFIED, from, to), BooleanClause.Occur.FILTER);
        }
        if (!filter.formats().isEmpty()) {
            List<BytesRef> formats = filter.formats().stream()
                    .map(f -> new BytesRef(f.toLowerCase(Locale.ROOT)))
                    .toList();
            b.add(KeywordField.newSetQuery(LuceneSchema.FORMAT, formats), BooleanClause.Occur.FILTER);
        }
        return b.build();
    }

    @Override
    public Optional<ImageDocument> get(String id) throws IOException {
        return findOne(new Term(LuceneSchema.ID, id), true);
    }

    @Override
    public Optional<IndexedFile> indexedFile(String id) throws IOException {
        IndexSearcher searcher = searchers.acquire();
        try {
            TopDocs top = searcher.search(new TermQuery(new Term(LuceneSchema.ID, id)), 1);
            if (top.scoreDocs.length == 0) {
                return Optional.empty();
            }
            Document doc = searcher.storedFields().document(top.scoreDocs[0].doc, LuceneSchema.FILE_FIELDS);
            return Optional.of(LuceneSchema.fileFromLucene(doc));
        } finally {
            searchers.release(searcher);
        }
    }

    @Override
    public Optional<ImageDocument> findByContentHash(String contentHash) throws IOException {
        return findOne(new Term(LuceneSchema.CONTENT_HASH, contentHash), true);
    }

    private Optional<ImageDocument> findOne(Term term, boolean withVector) throws IOException {
        IndexSearcher searcher = searchers.acquire();
        try {
            TopDocs top = searcher.search(new TermQuery(term), 1);
            if (top.scoreDocs.length == 0) {
                return Optional.empty();
            }
            int docId = top.scoreDocs[0].doc;
            Document doc = searcher.storedFields().document(docId, LuceneSchema.DISPLAY_FIELDS);
            return Optional.of(LuceneSchema.fromLucene(doc, withVector ? vectorOf(searcher, docId) : null));
        } finally {
            searchers.release(searcher);
        }
    }

    @Override
    public void forEachIndexedFile(Consumer<IndexedFile> action) throws IOException {
        IndexSearcher searcher = searchers.acquire();
        try {
            for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
                LeafReader reader = leaf.reader();
                Bits live = reader.getLiveDocs();
                StoredFields stored = reader.storedFields();
                for (int doc = 0; doc < reader.maxDoc(); doc++) {
                    if (live == null || live.get(doc)) {
                        action.accept(LuceneSchema.fileFromLucene(stored.document(doc, LuceneSchema.FILE_FIELDS)));
                    }
                }
            }
        } finally {
            searchers.release(searcher);
        }
    }

    /** The raw float32 vector of a top-level doc id; a copy owned by the caller. */
    private static float[] vectorOf(IndexSearcher searcher, int docId) throws IOException {
        List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
        LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(docId, leaves));
        int local = docId - leaf.docBase;
        FloatVectorValues values = leaf.reader().getFloatVectorValues(LuceneSchema.VECTOR);
        if (values == null) {
            throw new IllegalStateException("document " + docId + " has no vector");
        }
        KnnVectorValues.DocIndexIterator it = values.iterator();
        if (it.advance(local) != local) {
            throw new IllegalStateException("document " + docId + " has no vector");
        }
        return values.vectorValue(it.index()).clone();
    }

    /**
     * Exact cosines of {@code docs} against {@code target}, from the raw float vectors that quantized
     * formats keep beside the quantized ones. Candidates are visited in doc-id order with one vector
     * iterator per segment (iterators only move forward), instead of one lookup per candidate.
     *
     * @return cosines aligned with {@code docs}
     */
    private static float[] exactScores(IndexSearcher searcher, float[] target, ScoreDoc[] docs) throws IOException {
        float[] scores = new float[docs.length];
        Integer[] order = new Integer[docs.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, Comparator.comparingInt(i -> docs[i].doc));
        List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
        FloatVectorValues values = null;
        KnnVectorValues.DocIndexIterator iterator = null;
        int leafIndex = -1;
        for (int i : order) {
            int docId = docs[i].doc;
            int leaf = ReaderUtil.subIndex(docId, leaves);
            if (leaf != leafIndex) {
                leafIndex = leaf;
                values = leaves.get(leaf).reader().getFloatVectorValues(LuceneSchema.VECTOR);
                if (values == null) {
                    throw new IllegalStateException("document " + docId + " has no vector");
                }
                iterator = values.iterator();
            }
            int local = docId - leaves.get(leaf).docBase;
            int at = iterator.docID() >= local ? iterator.docID() : iterator.advance(local);
            if (at != local) {
                throw new IllegalStateException("document " + docId + " has no vector");
            }
            scores[i] = VectorUtil.dotProduct(target, values.vectorValue(iterator.index()));
        }
        return scores;
    }

    @Override
    public void refresh() throws IOException {
        searchers.maybeRefreshBlocking();
    }

    @Override
    public void commit(Map<String, String> userData) throws IOException {
        IndexWriter w = requireWriter();
        synchronized (commitLock) {
            commitData.putAll(userData);
            Map<String, String> snapshot = Map.copyOf(commitData);
            // doIncrementVersion: a commit happens even with no document changes, so new user data is durable.
            w.setLiveCommitData(snapshot.entrySet(), true);
            w.commit();
            committedData = snapshot;
        }
        searchers.maybeRefreshBlocking();
    }

    @Override
    public IndexStats stats() throws IOException {
        IndexSearcher searcher = searchers.acquire();
        long documents;
        try {
            documents = searcher.getIndexReader().numDocs();
        } finally {
            searchers.release(searcher);
        }
        long size = 0;
        for (String file : directory.listAll()) {
            try {
                size += directory.fileLength(file);
            } catch (IOException e) {
                // A file deleted by a concurrent merge between listAll and fileLength: not part of the index.
            }
        }
        Map<String, String> data = writer == null ? readOnlyCommitData() : committedData;
        return new IndexStats(documents, size, model.name(), model.fingerprint(), data);
    }

    private Map<String, String> readOnlyCommitData() throws IOException {
        IndexSearcher searcher = searchers.acquire();
        try {
            return Map.copyOf(((org.apache.lucene.index.DirectoryReader) searcher.getIndexReader())
                    .getIndexCommit()
                    .getUserData());
        } finally {
            searchers.release(searcher);
        }
    }

    private IndexWriter requireWriter() {
        if (writer == null) {
            throw new IllegalStateException("index " + path + " is open read-only");
        }
        return writer;
    }

    private static void requireText(@Nullable String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + ": '" + value + "' must not be blank");
        }
    }

    /** Closes searchers, then the writer (committing pending writes with the current commit data), then the directory. */
    @Override
    public void close() throws IOException {
        try (Directory d = directory;
                IndexWriter w = writer;
                SearcherManager s = searchers) {
            if (w != null && w.isOpen() && w.hasUncommittedChanges()) {
                synchronized (commitLock) {
                    w.setLiveCommitData(Map.copyOf(commitData).entrySet(), true);
                }
            }
        }
    }

    @Override
    public String toString() {
        return "LuceneVectorIndex[" + path + ", " + format + (writer == null ? ", read-only" : "") + "]";
    }
}
