package io.koclip.search.index.lucene;

import io.koclip.search.index.BackendStatus;
import io.koclip.search.index.IndexBackend;
import io.koclip.search.index.IndexBackup;
import io.koclip.search.index.IndexCheck;
import io.koclip.search.index.IndexMetadata;
import io.koclip.search.index.IndexNotFoundException;
import io.koclip.search.index.IndexOptions;
import io.koclip.search.index.IndexSpec;
import io.koclip.search.index.ModelIdentity;
import io.koclip.search.index.VectorIndex;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.apache.lucene.codecs.KnnVectorsReader;
import org.apache.lucene.codecs.hnsw.HnswGraphProvider;
import org.apache.lucene.codecs.perfield.PerFieldKnnVectorsFormat;
import org.apache.lucene.index.CheckIndex;
import org.apache.lucene.index.CodecReader;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexCommit;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.KeepOnlyLastCommitDeletionPolicy;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.index.SnapshotDeletionPolicy;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.Lock;
import org.apache.lucene.store.LockObtainFailedException;
import org.apache.lucene.util.Version;
import org.apache.lucene.util.hnsw.HnswGraph;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded Lucene backend: the live index is one folder.
 *
 * <p>On disk: an ordinary Lucene 10.5 index whose every commit carries the {@link IndexMetadata} as
 * user data ({@code model.name}, {@code model.fingerprint}, {@code model.dimension},
 * {@code index.vectors}, {@code index.m}, {@code index.beamWidth}, {@code ingest.checkpoint}) and the
 * schema version ({@code koclip.schema}). A new index is committed once, empty, at creation so that it
 * records its model from the start; metadata is durable exactly when the documents beside it are.
 *
 * <p>Reindex: the fresh index is built in the sibling folder {@code <folder>.next}; activation renames
 * {@code folder → folder.old} and {@code folder.next → folder}, checks that the new index opens with its
 * model, and deletes {@code folder.old}. A crash between the two renames is repaired by the next
 * {@link #open}: a missing {@code folder} is restored from {@code folder.next} (complete: it was
 * committed and closed before the renames) or else from {@code folder.old}.
 *
 * <p>Backup: {@link #backup} (nobody writes the folder) and {@link VectorIndex#backup} (the open
 * writer's {@link SnapshotDeletionPolicy} holds the last commit while it is copied) copy one commit
 * into a new folder through {@code <target>.partial} and CheckIndex; {@link #restore} copies a backup
 * into {@code <folder>.restoring} and switches it in with the reindex's renames.
 *
 * <p>One process may open the folder for writing at a time (Lucene's {@code write.lock}); any number
 * may open it read-only and see its commits after {@link VectorIndex#refresh()}. Thread-safe: holds only
 * the folder; every index it opens is thread-safe.
 */
public final class LuceneBackend implements IndexBackend {
    private static final Logger log = LoggerFactory.getLogger(LuceneBackend.class);

    /**
     * Heap used to buffer documents before a segment is flushed: the default of {@link #withRamBufferMb}.
     * Each flush writes a segment with its own HNSW graph; background merges join them later.
     */
    public static final double DEFAULT_RAM_BUFFER_MB = 64;

    /**
     * The most {@link #withRamBufferMb} accepts: Lucene flushes one indexing thread's buffer at its
     * per-thread hard limit ({@code IndexWriterConfig.setRAMPerThreadHardLimitMB}, 1 945 MB by default)
     * whatever the total buffer is, so a larger value buys nothing.
     */
    public static final double MAX_RAM_BUFFER_MB = 1945;

    /**
     * The exact-search ratio of filtered kNN ({@link FilteredKnnQuery}): a segment whose filter leaves
     * {@code matching} documents is scored exactly, without a graph walk, when {@code matching² <=
     * ratio * candidates * segment size}. Measured with {@code bench-knn --exact-filter-ratio}
     * (docs/benchmarks.md, "Exact search up front"): where the walk and exact search cost the same, that
     * ratio lay between 18 and 49 at 20k vectors, between 10 and 99 at 100k and between 22 and 100 at 1M
     * (40 and 100 candidates); 30 picks the faster route at every filter measured there.
     */
    public static final double DEFAULT_EXACT_FILTER_RATIO = 30;

    private final Path folder;
    private final @Nullable Path userDictionary;
    private final double exactFilterRatio;
    private final double ramBufferMb;

    /** The backend whose live index is {@code folder} (made absolute), without a user dictionary. */
    public LuceneBackend(Path folder) {
        this(folder, null);
    }

    /**
     * The backend whose live index is {@code folder} (made absolute), its text analyzed with a Nori
     * user dictionary ({@link TextAnalysis}: names and places kept whole).
     *
     * @param userDictionary a Nori user dictionary file, or null for none; read when an index opens
     *     (a bad file fails the open with a message that names it)
     */
    public LuceneBackend(Path folder, @Nullable Path userDictionary) {
        this(folder, userDictionary, DEFAULT_EXACT_FILTER_RATIO, DEFAULT_RAM_BUFFER_MB);
    }

    private LuceneBackend(Path folder, @Nullable Path userDictionary, double exactFilterRatio, double ramBufferMb) {
        this.folder = folder.toAbsolutePath().normalize();
        this.userDictionary = userDictionary;
        this.exactFilterRatio = FilteredKnnQuery.requireRatio(exactFilterRatio);
        if (!(ramBufferMb >= 1 && ramBufferMb <= MAX_RAM_BUFFER_MB)) {
            throw new IllegalArgumentException("RAM buffer: " + ramBufferMb + " MB must be between 1 and "
                    + MAX_RAM_BUFFER_MB + " (Lucene's per-thread flush limit)");
        }
        this.ramBufferMb = ramBufferMb;
    }

    /**
     * This backend with another indexing RAM buffer ({@link #DEFAULT_RAM_BUFFER_MB}): a larger one
     * flushes fewer, larger segments, so fewer HNSW graphs are merged later; the heap must hold it.
     * For bulk builds and the benchmarks that compare a merged graph with one built in a single pass.
     *
     * @throws IllegalArgumentException outside 1 to {@link #MAX_RAM_BUFFER_MB}
     */
    public LuceneBackend withRamBufferMb(double megabytes) {
        return new LuceneBackend(folder, userDictionary, exactFilterRatio, megabytes);
    }

    /**
     * This backend with another exact-search ratio for filtered kNN ({@link #DEFAULT_EXACT_FILTER_RATIO};
     * 0: Lucene's own strategy alone); for benchmarks that compare ratios on one index.
     */
    public LuceneBackend withExactFilterRatio(double ratio) {
        return new LuceneBackend(folder, userDictionary, ratio, ramBufferMb);
    }

    /** The exact-search ratio of filtered kNN that the indexes this backend opens use. */
    public double exactFilterRatio() {
        return exactFilterRatio;
    }

    /** The user dictionary the text fields are analyzed with, or null. */
    public @Nullable Path userDictionary() {
        return userDictionary;
    }

    /** The live index folder (absolute). */
    public Path folder() {
        return folder;
    }

    @Override
    public String describe() {
        return "lucene index " + folder + (userDictionary == null ? "" : " (user dictionary " + userDictionary + ")");
    }

    /** Always UP: an embedded index has no engine apart from this process (the index's own health tells). */
    @Override
    public BackendStatus status() {
        return BackendStatus.up("lucene");
    }

    @Override
    public VectorIndex open(IndexSpec spec) throws IOException {
        restoreInterruptedSwitch();
        VectorIndex index = openWriter(folder, spec);
        // The write lock is ours: a leftover fresh or old folder belongs to no running reindex.
        deleteIfExists(sibling(".next"));
        deleteIfExists(sibling(".old"));
        return index;
    }

    @Override
    public VectorIndex openReadOnly(ModelIdentity model) throws IOException {
        if (!Files.isDirectory(folder)) {
            throw new IndexNotFoundException(folder);
        }
        TextAnalysis text = new TextAnalysis(userDictionary);
        Directory directory = LuceneDirectories.open(folder);
        try {
            if (!DirectoryReader.indexExists(directory)) {
                throw new IndexNotFoundException(folder);
            }
            Map<String, String> recorded =
                    SegmentInfos.readLatestCommit(directory).getUserData();
            IndexMetadata metadata = LuceneSchema.metadata(recorded, folder.toString())
                    .orElseThrow(() -> new IndexNotFoundException(folder));
            metadata.model().requireSame(model, folder.toString());
            SearcherManager searchers = new SearcherManager(directory, null);
            return new LuceneVectorIndex(folder, directory, null, searchers, text, metadata, exactFilterRatio);
        } catch (IOException | RuntimeException e) {
            text.close();
            closeAfterFailure(e, null, directory);
            throw e;
        }
    }

    @Override
    public Optional<IndexMetadata> metadata() throws IOException {
        return readMetadata(folder);
    }

    @Override
    public IndexCheck check(@Nullable PrintStream infoStream) throws IOException {
        if (!Files.isDirectory(folder)) {
            return new IndexCheck(false, 0, 0, null, List.of("no index folder " + folder), "");
        }
        try (Directory directory = FSDirectory.open(folder)) {
            if (!DirectoryReader.indexExists(directory)) {
                return new IndexCheck(false, 0, 0, null, List.of("no Lucene index in " + folder), "");
            }
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            CheckIndex.Status status;
            try (PrintStream captured = new PrintStream(buffer, true, StandardCharsets.UTF_8);
                    CheckIndex checker = new CheckIndex(directory)) {
                checker.setInfoStream(infoStream != null ? infoStream : captured, false);
                checker.setLevel(CheckIndex.Level.MIN_LEVEL_FOR_SLOW_CHECKS);
                status = checker.checkIndex();
            } catch (LockObtainFailedException e) {
                throw new IllegalStateException(
                        "index " + folder + " is open for writing in another process; stop it before checking", e);
            }
            List<String> problems = new ArrayList<>();
            if (status.missingSegments) {
                problems.add("the segments file is missing or unreadable");
            }
            if (status.numBadSegments > 0) {
                problems.add(status.numBadSegments + " of " + status.numSegments + " segments are broken; "
                        + status.totLoseDocCount + " documents would be lost by repairing");
            }
            if (status.toolOutOfDate) {
                problems.add("the index was written by a newer Lucene than " + Version.LATEST);
            }
            long documents = 0;
            if (!status.missingSegments) {
                try (DirectoryReader reader = DirectoryReader.open(directory)) {
                    documents = reader.numDocs();
                }
            }
            IndexMetadata metadata = status.userData == null
                    ? null
                    : LuceneSchema.metadata(status.userData, folder.toString()).orElse(null);
            String detail = status.clean ? "" : buffer.toString(StandardCharsets.UTF_8);
            return new IndexCheck(status.clean, documents, status.numSegments, metadata, problems, detail);
        }
    }

    /**
     * Backs up the latest commit while holding the write lock, so no other process changes the folder
     * during the copy (a running server or ingest is backed up through its open index instead:
     * {@code POST /api/v1/admin/backup}).
     */
    @Override
    public IndexBackup backup(Path target) throws IOException {
        if (!Files.isDirectory(folder)) {
            throw new IndexNotFoundException(folder);
        }
        try (Directory directory = FSDirectory.open(folder);
                Lock lock = writeLock(directory, "back it up through that process (POST /api/v1/admin/backup)")) {
            if (!DirectoryReader.indexExists(directory)) {
                throw new IndexNotFoundException(folder);
            }
            List<IndexCommit> commits = DirectoryReader.listCommits(directory);
            return LuceneBackups.copy(directory, commits.getLast(), target);
        }
    }

    /**
     * Copies the backup's latest commit into {@code <folder>.restoring} (checked), then, holding the live
     * folder's write lock, renames {@code folder → folder.old} and {@code folder.restoring → folder} and
     * deletes the old one. A crash between the renames leaves {@code folder.old}, which the next
     * {@link #open} puts back: the restore is then simply not done.
     */
    @Override
    public IndexBackup restore(Path from) throws IOException {
        Path source = from.toAbsolutePath().normalize();
        if (source.equals(folder)) {
            throw new IllegalArgumentException("restore --from " + source + " is the live index itself");
        }
        Path restoring = sibling(".restoring");
        LuceneBackups.delete(restoring);
        IndexBackup copied;
        try (Directory backup = FSDirectory.open(source)) {
            if (!Files.isDirectory(source) || !DirectoryReader.indexExists(backup)) {
                throw new IllegalArgumentException("restore --from " + source + " holds no index");
            }
            copied = LuceneBackups.copy(
                    backup, DirectoryReader.listCommits(backup).getLast(), restoring);
        }
        try {
            Path old = sibling(".old");
            if (Files.isDirectory(folder)) {
                try (Directory live = FSDirectory.open(folder);
                        Lock lock = writeLock(live, "stop it before restoring")) {
                    LuceneBackups.delete(old);
                    Files.move(folder, old, StandardCopyOption.ATOMIC_MOVE);
                }
            }
            Files.move(restoring, folder, StandardCopyOption.ATOMIC_MOVE);
            LuceneBackups.delete(old);
        } catch (IOException | RuntimeException e) {
            try {
                LuceneBackups.delete(restoring);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        log.info("restored {} from the backup {}", folder, source);
        return new IndexBackup(
                folder,
                copied.documents(),
                copied.files(),
                copied.bytes(),
                copied.copySeconds(),
                copied.checkSeconds(),
                copied.clean(),
                copied.checkpoint());
    }

    private Lock writeLock(Directory directory, String advice) throws IOException {
        try {
            return directory.obtainLock(IndexWriter.WRITE_LOCK_NAME);
        } catch (LockObtainFailedException e) {
            throw new IllegalStateException(
                    "index " + folder + " is open for writing in another process (its write.lock is held): " + advice,
                    e);
        }
    }

    @Override
    public Reindex prepareReindex(IndexSpec spec) throws IOException {
        Path next = sibling(".next");
        deleteIfExists(next);
        // A fresh index records the spec's options; null ones take the live index's, so a reindex keeps
        // the vector format and HNSW parameters unless asked to change them.
        IndexSpec fresh = spec;
        Optional<IndexMetadata> live = readMetadata(folder);
        if (live.isPresent()) {
            IndexMetadata l = live.get();
            fresh = new IndexSpec(
                    spec.model(),
                    new IndexOptions(
                            spec.options().vectors() != null ? spec.options().vectors() : l.vectors(),
                            spec.options().m() != null ? spec.options().m() : l.m(),
                            spec.options().beamWidth() != null ? spec.options().beamWidth() : l.beamWidth()));
        }
        return new FolderReindex(next, openWriter(next, fresh), spec.model());
    }

    /** A reindex into {@code <folder>.next}. Not thread-safe: one caller drives it. */
    private final class FolderReindex implements Reindex {
        private final Path next;
        private final VectorIndex index;
        private final ModelIdentity model;
        private boolean activated;
        private boolean closed;

        FolderReindex(Path next, VectorIndex index, ModelIdentity model) {
            this.next = next;
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
                throw new IllegalStateException(
                        "reindex into " + next + " is already " + (activated ? "activated" : "discarded"));
            }
            index.commit(null);
            index.close();
            Path old = sibling(".old");
            deleteIfExists(old);
            if (Files.exists(folder)) {
                Files.move(folder, old, StandardCopyOption.ATOMIC_MOVE);
            }
            Files.move(next, folder, StandardCopyOption.ATOMIC_MOVE);
            try {
                IndexMetadata metadata = readMetadata(folder)
                        .orElseThrow(() -> new IllegalStateException("the fresh index records no model"));
                metadata.model().requireSame(model, folder.toString());
            } catch (IOException | RuntimeException e) {
                log.error("the fresh index at {} does not open; keeping the previous one", folder, e);
                Files.move(folder, next, StandardCopyOption.ATOMIC_MOVE);
                if (Files.exists(old)) {
                    Files.move(old, folder, StandardCopyOption.ATOMIC_MOVE);
                }
                throw e;
            }
            deleteIfExists(old);
            activated = true;
            log.info("switched {} to the reindexed index", folder);
        }

        @Override
        public void close() throws IOException {
            if (activated || closed) {
                return;
            }
            closed = true;
            try {
                index.close();
            } finally {
                deleteIfExists(next);
            }
        }
    }

    private VectorIndex openWriter(Path target, IndexSpec spec) throws IOException {
        TextAnalysis text = new TextAnalysis(userDictionary); // a bad dictionary fails before the folder is touched
        Files.createDirectories(target);
        Directory directory = LuceneDirectories.open(target);
        IndexWriter writer = null;
        try {
            Map<String, String> recorded = DirectoryReader.indexExists(directory)
                    ? SegmentInfos.readLatestCommit(directory).getUserData()
                    : Map.of();
            IndexMetadata metadata = LuceneSchema.metadata(recorded, target.toString())
                    .map(m -> m.reopenedWith(spec, target.toString()))
                    .orElseGet(() -> IndexMetadata.fresh(spec).withCheckpoint(recorded.get(LuceneSchema.CHECKPOINT)));
            IndexWriterConfig config = new IndexWriterConfig(text.analyzer())
                    .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND)
                    .setCodec(LuceneVectorIndex.codec(metadata.vectors(), metadata.m(), metadata.beamWidth()))
                    .setRAMBufferSizeMB(ramBufferMb)
                    // Backups of the open index hold their commit with a snapshot (LuceneVectorIndex.backup).
                    .setIndexDeletionPolicy(new SnapshotDeletionPolicy(new KeepOnlyLastCommitDeletionPolicy()))
                    .setCommitOnClose(true);
            try {
                writer = new IndexWriter(directory, config);
            } catch (LockObtainFailedException e) {
                throw new IllegalStateException(
                        "index " + target + " is open for writing in another process (its write.lock is held):"
                                + " stop that process, or use a read-only command",
                        e);
            }
            Map<String, String> commitData = LuceneSchema.commitData(metadata);
            if (!commitData.equals(recorded)) {
                // A new index (or new HNSW parameters) is recorded before the first document.
                writer.setLiveCommitData(commitData.entrySet(), true);
                writer.commit();
            }
            SearcherManager searchers = new SearcherManager(writer, null);
            log.debug("opened index {} ({})", target, metadata);
            return new LuceneVectorIndex(target, directory, writer, searchers, text, metadata, exactFilterRatio);
        } catch (IOException | RuntimeException e) {
            text.close();
            closeAfterFailure(e, writer, directory);
            throw e;
        }
    }

    private void restoreInterruptedSwitch() throws IOException {
        Path next = sibling(".next");
        Path old = sibling(".old");
        if (!Files.exists(folder) && Files.isDirectory(next)) {
            log.warn("index switch was interrupted: restoring {} from {}", folder, next);
            Files.move(next, folder, StandardCopyOption.ATOMIC_MOVE);
        } else if (!Files.exists(folder) && Files.isDirectory(old)) {
            log.warn("index switch was interrupted: restoring {} from {}", folder, old);
            Files.move(old, folder, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    private static Optional<IndexMetadata> readMetadata(Path target) throws IOException {
        if (!Files.isDirectory(target)) {
            return Optional.empty();
        }
        try (Directory directory = FSDirectory.open(target)) {
            return DirectoryReader.indexExists(directory)
                    ? LuceneSchema.metadata(
                            SegmentInfos.readLatestCommit(directory).getUserData(), target.toString())
                    : Optional.empty();
        }
    }

    /**
     * Merges a closed index down to at most {@code maxSegments} segments and commits, writing the merged
     * segments with the codec its metadata records, {@code mergeWorkers} threads building each merged
     * HNSW graph (Lucene's concurrent merge builder; the graph is equivalent, not identical, to a
     * one-thread build). Metadata carries over. Fewer segments mean fewer HNSW graphs to search;
     * benchmarks merge to one so Lucene searches a single graph like hnswlib.
     *
     * @throws IllegalStateException when the index is open for writing elsewhere, or there is none
     */
    public void forceMerge(int maxSegments, int mergeWorkers) throws IOException {
        if (maxSegments < 1) {
            throw new IllegalArgumentException("maxSegments: " + maxSegments + " must be >= 1");
        }
        if (mergeWorkers < 1) {
            throw new IllegalArgumentException("mergeWorkers: " + mergeWorkers + " must be >= 1");
        }
        IndexMetadata metadata = metadata().orElseThrow(() -> new IndexNotFoundException(folder));
        ExecutorService workers = mergeWorkers > 1 ? Executors.newFixedThreadPool(mergeWorkers) : null;
        try (TextAnalysis text = new TextAnalysis(null); // merges analyze nothing
                Directory directory = FSDirectory.open(folder);
                IndexWriter writer = new IndexWriter(
                        directory,
                        new IndexWriterConfig(text.analyzer())
                                .setOpenMode(IndexWriterConfig.OpenMode.APPEND)
                                .setCodec(LuceneVectorIndex.codec(
                                        metadata.vectors(),
                                        metadata.m(),
                                        metadata.beamWidth(),
                                        mergeWorkers,
                                        workers)))) {
            writer.forceMerge(maxSegments, true);
            writer.commit();
        } finally {
            if (workers != null) {
                workers.shutdownNow();
            }
        }
    }

    /** Segments in the index's latest commit. */
    public int segments() throws IOException {
        try (Directory directory = FSDirectory.open(folder);
                DirectoryReader reader = DirectoryReader.open(directory)) {
            return reader.leaves().size();
        }
    }

    /**
     * The shape of the HNSW graphs of the index's latest commit, summed over its segments: nodes, the
     * most levels a segment has, and the mean and largest out-degree on level 0 (the level a search
     * spends its time on: each visited node's neighbours are scored). Reads every level-0 neighbour
     * list once; for benchmarks that compare graphs (Lucene's with hnswlib's, a merged one with one
     * built in a single pass).
     *
     * @throws IllegalStateException when a segment's vectors have no HNSW graph (a flat format)
     */
    public GraphShape graphShape() throws IOException {
        long nodes = 0;
        long edges = 0;
        int maxDegree = 0;
        int levels = 0;
        try (Directory directory = FSDirectory.open(folder);
                DirectoryReader reader = DirectoryReader.open(directory)) {
            for (LeafReaderContext leaf : reader.leaves()) {
                if (!(leaf.reader() instanceof CodecReader codecReader)) {
                    throw new IllegalStateException("segment " + leaf.ord + " is not a codec reader");
                }
                KnnVectorsReader vectors = codecReader.getVectorReader();
                if (vectors instanceof PerFieldKnnVectorsFormat.FieldsReader perField) {
                    vectors = perField.getFieldReader(LuceneSchema.VECTOR);
                }
                if (!(vectors instanceof HnswGraphProvider provider)) {
                    throw new IllegalStateException("segment " + leaf.ord + " has no HNSW graph");
                }
                HnswGraph graph = provider.getGraph(LuceneSchema.VECTOR);
                levels = Math.max(levels, graph.numLevels());
                for (int node = 0; node < graph.size(); node++) {
                    graph.seek(0, node);
                    int degree = 0;
                    while (graph.nextNeighbor() != DocIdSetIterator.NO_MORE_DOCS) {
                        degree++;
                    }
                    edges += degree;
                    maxDegree = Math.max(maxDegree, degree);
                }
                nodes += graph.size();
            }
        }
        return new GraphShape(nodes, levels, nodes == 0 ? 0 : (double) edges / nodes, maxDegree);
    }

    /**
     * What {@link #graphShape} read.
     *
     * @param nodes vectors in the graphs
     * @param levels the most levels a segment's graph has
     * @param meanDegree0 mean out-degree on level 0
     * @param maxDegree0 largest out-degree on level 0 (Lucene's bound is 2 × M)
     */
    public record GraphShape(long nodes, int levels, double meanDegree0, int maxDegree0) {}

    private Path sibling(String suffix) {
        return folder.resolveSibling(folder.getFileName() + suffix);
    }

    private static void deleteIfExists(Path target) throws IOException {
        if (!Files.exists(target)) {
            return;
        }
        try (Stream<Path> files = Files.walk(target)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static void closeAfterFailure(Exception failure, @Nullable IndexWriter writer, Directory directory) {
        try {
            if (writer != null) {
                writer.rollback();
            }
        } catch (IOException | RuntimeException e) {
            failure.addSuppressed(e);
        }
        try {
            directory.close();
        } catch (IOException | RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    @Override
    public String toString() {
        return describe();
    }
}
