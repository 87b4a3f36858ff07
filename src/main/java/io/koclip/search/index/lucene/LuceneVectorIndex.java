package io.koclip.search.index.lucene;

import io.koclip.search.index.Hit;
import io.koclip.search.index.ImageDocument;
import io.koclip.search.index.IndexBackup;
import io.koclip.search.index.IndexMetadata;
import io.koclip.search.index.IndexQuery;
import io.koclip.search.index.IndexStats;
import io.koclip.search.index.IndexedFile;
import io.koclip.search.index.LexicalQuery;
import io.koclip.search.index.SearchFilter;
import io.koclip.search.index.Snippet;
import io.koclip.search.index.VectorChecks;
import io.koclip.search.index.VectorFormat;
import io.koclip.search.index.VectorIndex;
import io.koclip.search.index.VectorQuery;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.IndexCommit;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.SnapshotDeletionPolicy;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.AcceptDocs;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.PrefixQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.RescoreTopNQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TopKnnCollector;
import org.apache.lucene.store.Directory;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.quantization.QuantizedByteVectorValues.ScalarEncoding;
import org.jspecify.annotations.Nullable;

/**
 * {@link VectorIndex} on embedded Lucene: one {@link IndexWriter} (absent when read-only) and one
 * {@link SearcherManager} for near-real-time searches. Opened by {@link LuceneBackend}.
 *
 * <p>Thread-safe: {@code IndexWriter} and {@code SearcherManager} are; commits (which set the live
 * commit data and commit) are serialized on {@code commitLock}. Searches acquire a searcher and
 * release it in {@code finally}.
 *
 * <p>Scores: the field uses DOT_PRODUCT on unit vectors, whose Lucene score is {@code (1 + cos) / 2};
 * hits report the cosine. With a quantized format the HNSW scores are approximate, so the candidates
 * are rescored exactly with the raw float vectors (which quantized formats keep) by Lucene's
 * {@link RescoreTopNQuery} before the top k are chosen. Lexical queries run BM25F over the text
 * fields ({@link TextAnalysis#query}, each field weighted by its source's boost), analyzed like they
 * were indexed (Nori, with the backend's user dictionary); each hit gets a {@link Snippets snippet}.
 */
final class LuceneVectorIndex implements VectorIndex {
    private final Path path;
    private final Directory directory;
    private final @Nullable IndexWriter writer;
    private final SearcherManager searchers;
    private final TextAnalysis text;
    private final Object commitLock = new Object();
    private final double exactFilterRatio;
    // The committed metadata (writer) or the one this reader opened with (read-only, updated on refresh).
    private volatile IndexMetadata metadata;

    LuceneVectorIndex(
            Path path,
            Directory directory,
            @Nullable IndexWriter writer,
            SearcherManager searchers,
            TextAnalysis text,
            IndexMetadata metadata,
            double exactFilterRatio) {
        this.path = path;
        this.exactFilterRatio = exactFilterRatio;
        this.directory = directory;
        this.writer = writer;
        this.searchers = searchers;
        this.text = text;
        this.metadata = metadata;
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

    @Override
    public IndexMetadata metadata() {
        return metadata;
    }

    @Override
    public void upsertAll(List<ImageDocument> documents) throws IOException {
        IndexWriter w = requireWriter();
        int dimension = metadata.model().dimension();
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
        for (ImageDocument document : documents) {
            w.updateDocument(new Term(LuceneSchema.ID, document.id()), LuceneSchema.toLucene(document));
        }
    }

    @Override
    public void deleteAll(Collection<String> ids) throws IOException {
        IndexWriter w = requireWriter();
        if (!ids.isEmpty()) {
            w.deleteDocuments(
                    ids.stream().map(id -> new Term(LuceneSchema.ID, id)).toArray(Term[]::new));
        }
    }

    @Override
    public List<Hit> search(IndexQuery query) throws IOException {
        return switch (query) {
            case VectorQuery knn -> searchVectors(knn);
            case LexicalQuery lexical -> searchText(lexical);
        };
    }

    private List<Hit> searchVectors(VectorQuery query) throws IOException {
        float[] target = query.vector();
        VectorChecks.requireUnitVector(target, metadata.model().dimension(), "query vector");
        int k = query.k();
        int candidates = query.numCandidates();
        Query filter = filterQuery(query.filter());
        if (filter == null && !metadata.vectors().quantized()) {
            return nearest(target, k, candidates);
        }
        Query knn = filter == null
                ? new KnnFloatVectorQuery(LuceneSchema.VECTOR, target, candidates)
                : new FilteredKnnQuery(LuceneSchema.VECTOR, target, candidates, filter, exactFilterRatio);
        if (metadata.vectors().quantized()) {
            // Quantized HNSW scores are approximate: rescore every candidate with the raw float vectors.
            knn = RescoreTopNQuery.createFullPrecisionRescorerQuery(knn, target, LuceneSchema.VECTOR, candidates);
        }
        return topHits(knn, k, LuceneVectorIndex::cosine);
    }

    /** Lucene's DOT_PRODUCT score is (1 + cos) / 2, floored at 0: the cosine it stands for. */
    private static float cosine(float luceneScore) {
        return Math.max(-1f, Math.min(1f, 2 * luceneScore - 1));
    }

    /**
     * Unfiltered float32 kNN on a single segment, searched through the leaf reader's HNSW API with a
     * collector: the same graph walk that {@link KnnFloatVectorQuery} does, without turning its result
     * into a query and collecting that query a second time (the rewrite, a per-query weight and scorer,
     * a top-docs collector and a sort). Several segments go through the query, whose per-segment
     * candidate budget and merge of the segments' results are Lucene's own.
     */
    private List<Hit> nearest(float[] target, int k, int candidates) throws IOException {
        IndexSearcher searcher = searchers.acquire();
        try {
            List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
            if (leaves.size() != 1) {
                return topHits(
                        searcher,
                        new KnnFloatVectorQuery(LuceneSchema.VECTOR, target, candidates),
                        k,
                        LuceneVectorIndex::cosine);
            }
            LeafReader reader = leaves.get(0).reader();
            TopKnnCollector collector = new TopKnnCollector(candidates, Integer.MAX_VALUE);
            reader.searchNearestVectors(
                    LuceneSchema.VECTOR,
                    target,
                    collector,
                    AcceptDocs.fromLiveDocs(reader.getLiveDocs(), reader.maxDoc()));
            ScoreDoc[] best = collector.topDocs().scoreDocs; // best first
            return load(searcher, Arrays.copyOf(best, Math.min(k, best.length)), LuceneVectorIndex::cosine);
        } finally {
            searchers.release(searcher);
        }
    }

    private List<Hit> searchText(LexicalQuery query) throws IOException {
        Query words = TextAnalysis.query(text.analyzer(), query.text(), LuceneSchema.textFieldBoosts());
        if (words == null) {
            return List.of(); // only stop words or punctuation: nothing to match
        }
        Query filter = filterQuery(query.filter());
        Query lucene = filter == null
                ? words
                : new BooleanQuery.Builder()
                        .add(words, BooleanClause.Occur.MUST)
                        .add(filter, BooleanClause.Occur.FILTER)
                        .build();
        IndexSearcher searcher = searchers.acquire();
        try {
            TopDocs top = searcher.search(lucene, query.k());
            List<@Nullable Snippet> snippets = Snippets.of(searcher, text.analyzer(), words, top);
            StoredFields stored = searcher.storedFields();
            List<Hit> hits = new ArrayList<>(top.scoreDocs.length);
            for (int i = 0; i < top.scoreDocs.length; i++) {
                ScoreDoc sd = top.scoreDocs[i];
                Document doc = stored.document(sd.doc, LuceneSchema.DISPLAY_FIELDS);
                hits.add(new Hit(LuceneSchema.fromLucene(doc, null), sd.score, snippets.get(i))); // BM25F
            }
            return hits;
        } finally {
            searchers.release(searcher);
        }
    }

    /** How a hit's Lucene score becomes the score the SPI reports. */
    @FunctionalInterface
    private interface ScoreMapping {
        float apply(float luceneScore);
    }

    /** The best {@code k} documents of {@code query}, their display fields loaded, scores mapped. */
    private List<Hit> topHits(Query query, int k, ScoreMapping score) throws IOException {
        IndexSearcher searcher = searchers.acquire();
        try {
            return topHits(searcher, query, k, score);
        } finally {
            searchers.release(searcher);
        }
    }

    private static List<Hit> topHits(IndexSearcher searcher, Query query, int k, ScoreMapping score)
            throws IOException {
        return load(searcher, searcher.search(query, k).scoreDocs, score);
    }

    /**
     * The hits of top-level {@code docs} (best first), in that order. Each hit's fields come from its
     * {@link LuceneSchema#DISPLAY} doc-values record, read per segment in doc-id order (doc values
     * iterate forwards); the caption, and every field of a document without a readable record, come
     * from stored fields.
     */
    private static List<Hit> load(IndexSearcher searcher, ScoreDoc[] docs, ScoreMapping score) throws IOException {
        Integer[] byDoc = new Integer[docs.length];
        for (int i = 0; i < byDoc.length; i++) {
            byDoc[i] = i;
        }
        Arrays.sort(byDoc, Comparator.comparingInt(i -> docs[i].doc));
        List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
        Hit[] hits = new Hit[docs.length];
        StoredFields stored = null;
        int leafIndex = -1;
        BinaryDocValues display = null;
        for (int i : byDoc) {
            int doc = docs[i].doc;
            int sub = ReaderUtil.subIndex(doc, leaves);
            LeafReaderContext leaf = leaves.get(sub);
            if (sub != leafIndex) {
                leafIndex = sub;
                display = leaf.reader().getBinaryDocValues(LuceneSchema.DISPLAY);
            }
            ImageDocument document = null;
            if (display != null && display.advanceExact(doc - leaf.docBase)) {
                BytesRef record = display.binaryValue();
                if (LuceneSchema.readableDisplay(record)) {
                    Document textFields = null;
                    if (LuceneSchema.displayHasText(record)) {
                        stored = stored != null ? stored : searcher.storedFields();
                        textFields = stored.document(doc, LuceneSchema.TEXT_FIELDS);
                    }
                    document = LuceneSchema.fromDisplay(record, textFields);
                }
            }
            if (document == null) {
                stored = stored != null ? stored : searcher.storedFields();
                document = LuceneSchema.fromLucene(stored.document(doc, LuceneSchema.DISPLAY_FIELDS), null);
            }
            hits[i] = new Hit(document, score.apply(docs[i].score));
        }
        return Arrays.asList(hits);
    }

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
        return findOne(new Term(LuceneSchema.ID, id));
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

    /** One search for every id ({@link TermInSetQuery} on the id field) on one searcher. */
    @Override
    public Map<String, IndexedFile> indexedFiles(Collection<String> ids) throws IOException {
        Set<BytesRef> terms = new HashSet<>();
        for (String id : ids) {
            terms.add(new BytesRef(id));
        }
        Map<String, IndexedFile> found = new HashMap<>();
        if (terms.isEmpty()) {
            return found;
        }
        IndexSearcher searcher = searchers.acquire();
        try {
            // ids are unique: at most one live document per term
            TopDocs top = searcher.search(new TermInSetQuery(LuceneSchema.ID, terms), terms.size());
            StoredFields stored = searcher.storedFields();
            for (ScoreDoc sd : top.scoreDocs) {
                IndexedFile file = LuceneSchema.fileFromLucene(stored.document(sd.doc, LuceneSchema.FILE_FIELDS));
                found.put(file.id(), file);
            }
            return found;
        } finally {
            searchers.release(searcher);
        }
    }

    @Override
    public Optional<ImageDocument> findByContentHash(String contentHash) throws IOException {
        return findOne(new Term(LuceneSchema.CONTENT_HASH, contentHash));
    }

    /** The first document matching {@code term}, vector included. */
    private Optional<ImageDocument> findOne(Term term) throws IOException {
        IndexSearcher searcher = searchers.acquire();
        try {
            TopDocs top = searcher.search(new TermQuery(term), 1);
            if (top.scoreDocs.length == 0) {
                return Optional.empty();
            }
            int docId = top.scoreDocs[0].doc;
            Document doc = searcher.storedFields().document(docId, LuceneSchema.DISPLAY_FIELDS);
            return Optional.of(LuceneSchema.fromLucene(doc, vectorOf(searcher, docId)));
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

    @Override
    public void refresh() throws IOException {
        searchers.maybeRefreshBlocking();
        if (writer == null) {
            metadata = readerMetadata();
        }
    }

    @Override
    public void commit(@Nullable String checkpoint) throws IOException {
        IndexWriter w = requireWriter();
        synchronized (commitLock) {
            IndexMetadata next = checkpoint == null ? metadata : metadata.withCheckpoint(checkpoint);
            // doIncrementVersion: a commit happens even with no document changes, so new metadata is durable.
            w.setLiveCommitData(LuceneSchema.commitData(next).entrySet(), true);
            w.commit();
            metadata = next;
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
        return new IndexStats(documents, size, metadata);
    }

    /**
     * Holds the last commit with the writer's {@link SnapshotDeletionPolicy} (so merges and later
     * commits do not delete its files), copies and checks it, and releases it. Writes, commits and
     * searches go on meanwhile; several backups may run at once.
     */
    @Override
    public IndexBackup backup(Path target) throws IOException {
        IndexWriter w = requireWriter();
        if (!(w.getConfig().getIndexDeletionPolicy() instanceof SnapshotDeletionPolicy snapshots)) {
            throw new IllegalStateException("index " + path + " was opened without snapshots; it cannot be backed up");
        }
        IndexCommit commit = snapshots.snapshot();
        try {
            return LuceneBackups.copy(directory, commit, target);
        } finally {
            snapshots.release(commit);
            w.deleteUnusedFiles();
        }
    }

    /** The metadata of the commit the read-only searcher sees now. */
    private IndexMetadata readerMetadata() throws IOException {
        IndexSearcher searcher = searchers.acquire();
        try {
            Map<String, String> data = ((DirectoryReader) searcher.getIndexReader())
                    .getIndexCommit()
                    .getUserData();
            return LuceneSchema.metadata(data, path.toString()).orElse(metadata);
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
                TextAnalysis analysis = text;
                IndexWriter w = writer;
                SearcherManager s = searchers) {
            if (w != null && w.isOpen() && w.hasUncommittedChanges()) {
                synchronized (commitLock) {
                    w.setLiveCommitData(LuceneSchema.commitData(metadata).entrySet(), true);
                }
            }
        }
    }

    @Override
    public String toString() {
        return "LuceneVectorIndex[" + path + ", " + metadata.vectors() + (writer == null ? ", read-only" : "") + "]";
    }
}
