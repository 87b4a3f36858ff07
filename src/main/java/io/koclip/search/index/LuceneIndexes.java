package io.koclip.search.index;

import io.koclip.search.model.ModelBundle;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.lucene.index.CheckIndex;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.LockObtainFailedException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens, creates and checks embedded Lucene indexes (the {@link VectorIndex} implementation).
 *
 * <p>On disk: an ordinary Lucene 10.5 index whose every commit carries user data with the model
 * identity ({@code model.name}, {@code model.fingerprint}, {@code model.dimension}), the vector format
 * ({@code index.vectors}, {@code index.m}, {@code index.beamWidth}), the schema version
 * ({@code koclip.schema}) and whatever callers add (the ingest job's {@code ingest.checkpoint}). A
 * new index is committed once, empty, at creation so that it records its model from the start.
 *
 * <p>One process may open an index for writing at a time (Lucene's {@code write.lock}); any number may
 * open it read-only and see its commits after {@link VectorIndex#refresh()}.
 */
public final class LuceneIndexes {
    private static final Logger log = LoggerFactory.getLogger(LuceneIndexes.class);

    /** Heap used to buffer documents before a segment is flushed. */
    private static final double RAM_BUFFER_MB = 64;

    private LuceneIndexes() {}

    /**
     * Opens the index in {@code folder} for reading and writing, creating folder and index if needed.
     *
     * @throws IndexModelMismatchException if the index was built with another model
     * @throws IllegalArgumentException if {@code options} asks for another vector format than the index has
     * @throws IllegalStateException if another process holds the index's write lock
     */
    public static VectorIndex open(Path folder, IndexOptions options, ModelIdentity model) throws IOException {
        Files.createDirectories(folder);
        Directory directory = FSDirectory.open(folder);
        IndexWriter writer = null;
        try {
            Map<String, String> recorded = DirectoryReader.indexExists(directory)
                    ? SegmentInfos.readLatestCommit(directory).getUserData()
                    : Map.of();
            requireSameModel(folder, recorded, model);
            VectorFormat format = resolveFormat(folder, recorded, options);
            int m = options.m() != null ? options.m() : intOr(recorded, LuceneSchema.HNSW_M, IndexOptions.DEFAULT_M);
            int beamWidth = options.beamWidth() != null
                    ? options.beamWidth()
                    : intOr(recorded, LuceneSchema.HNSW_BEAM_WIDTH, IndexOptions.DEFAULT_BEAM_WIDTH);

            IndexWriterConfig config = new IndexWriterConfig(new CaptionAnalyzer())
                    .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND)
                    .setCodec(LuceneVectorIndex.codec(format, m, beamWidth))
                    .setRAMBufferSizeMB(RAM_BUFFER_MB)
                    .setCommitOnClose(true);
            try {
                writer = new IndexWriter(directory, config);
            } catch (LockObtainFailedException e) {
                throw new IllegalStateException(
                        "index " + folder + " is open for writing in another process (its write.lock is held):"
                                + " stop that process, or use a read-only command",
                        e);
            }
            Map<String, String> commitData = new LinkedHashMap<>(recorded);
            commitData.put(LuceneSchema.SCHEMA_KEY, LuceneSchema.SCHEMA_VERSION);
            commitData.put(LuceneSchema.MODEL_NAME, model.name());
            commitData.put(LuceneSchema.MODEL_FINGERPRINT, model.fingerprint());
            commitData.put(LuceneSchema.MODEL_DIMENSION, Integer.toString(model.dimension()));
            commitData.put(LuceneSchema.VECTORS, format.label());
            commitData.put(LuceneSchema.HNSW_M, Integer.toString(m));
            commitData.put(LuceneSchema.HNSW_BEAM_WIDTH, Integer.toString(beamWidth));
            if (!commitData.equals(recorded)) {
                // A new index (or new HNSW parameters) is recorded before the first document.
                writer.setLiveCommitData(Map.copyOf(commitData).entrySet(), true);
                writer.commit();
            }
            SearcherManager searchers = new SearcherManager(writer, null);
            log.debug(
                    "opened index {} ({} vectors, m={}, beamWidth={}, model {})", folder, format, m, beamWidth, model);
            return new LuceneVectorIndex(folder, directory, writer, searchers, model, format, commitData);
        } catch (IOException | RuntimeException e) {
            closeAfterFailure(e, writer, directory);
            throw e;
        }
    }

    /** {@link #open(Path, IndexOptions, ModelIdentity)} for a loaded bundle. */
    public static VectorIndex open(Path folder, IndexOptions options, ModelBundle bundle) throws IOException {
        return open(folder, options, ModelIdentity.of(bundle));
    }

    /** {@link #openReadOnly(Path, ModelIdentity)} for a loaded bundle. */
    public static VectorIndex openReadOnly(Path folder, ModelBundle bundle) throws IOException {
        return openReadOnly(folder, ModelIdentity.of(bundle));
    }

    /**
     * Opens an existing index for searching only: no write lock, so it works beside a writer in another
     * process; {@link VectorIndex#refresh()} picks up that writer's commits.
     *
     * @throws IndexNotFoundException if the folder holds no index
     * @throws IndexModelMismatchException if the index was built with another model
     */
    public static VectorIndex openReadOnly(Path folder, ModelIdentity model) throws IOException {
        if (!Files.isDirectory(folder)) {
            throw new IndexNotFoundException(folder);
        }
        Directory directory = FSDirectory.open(folder);
        try {
            if (!DirectoryReader.indexExists(directory)) {
                throw new IndexNotFoundException(folder);
            }
            Map<String, String> recorded =
                    SegmentInfos.readLatestCommit(directory).getUserData();
            requireSameModel(folder, recorded, model);
            VectorFormat format = resolveFormat(folder, recorded, IndexOptions.defaults());
            SearcherManager searchers = new SearcherManager(directory, null);
            return new LuceneVectorIndex(folder, directory, null, searchers, model, format, recorded);
        } catch (IOException | RuntimeException e) {
            closeAfterFailure(e, null, directory);
            throw e;
        }
    }

    /**
     * Merges a closed index down to at most {@code maxSegments} segments and commits, writing the merged
     * segments with the same codec as {@link #open} (vector format, {@code m}, {@code beamWidth}). Commit
     * user data (model identity, format, checkpoint) carries over. Fewer segments mean fewer HNSW
     * graphs to search; benchmarks merge to one so Lucene searches a single graph like hnswlib.
     *
     * @throws org.apache.lucene.store.LockObtainFailedException when the index is open for writing
     */
    public static void forceMerge(Path folder, VectorFormat format, int m, int beamWidth, int maxSegments)
            throws IOException {
        forceMerge(folder, format, m, beamWidth, maxSegments, 1);
    }

    /**
     * {@link #forceMerge(Path, VectorFormat, int, int, int)} with {@code mergeWorkers} threads building
     * the merged HNSW graph: a bulk build on an otherwise idle machine finishes sooner (Lucene's
     * concurrent merge builder; the graph is equivalent, not identical, to a one-thread build).
     */
    public static void forceMerge(
            Path folder, VectorFormat format, int m, int beamWidth, int maxSegments, int mergeWorkers)
            throws IOException {
        if (maxSegments < 1) {
            throw new IllegalArgumentException("maxSegments: " + maxSegments + " must be >= 1");
        }
        if (mergeWorkers < 1) {
            throw new IllegalArgumentException("mergeWorkers: " + mergeWorkers + " must be >= 1");
        }
        ExecutorService workers = mergeWorkers > 1 ? Executors.newFixedThreadPool(mergeWorkers) : null;
        try (Directory directory = FSDirectory.open(folder);
                IndexWriter writer = new IndexWriter(
                        directory,
                        new IndexWriterConfig(new CaptionAnalyzer())
                                .setOpenMode(IndexWriterConfig.OpenMode.APPEND)
                                .setCodec(LuceneVectorIndex.codec(format, m, beamWidth, mergeWorkers, workers)))) {
            writer.forceMerge(maxSegments, true);
            writer.commit();
        } finally {
            if (workers != null) {
                workers.shutdownNow();
            }
        }
    }

    /** The user data of the index's latest commit, or an empty map when there is no index. */
    public static Map<String, String> commitData(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return Map.of();
        }
        try (Directory directory = FSDirectory.open(folder)) {
            return DirectoryReader.indexExists(directory)
                    ? Map.copyOf(SegmentInfos.readLatestCommit(directory).getUserData())
                    : Map.of();
        }
    }

    /**
     * Runs Lucene's {@link CheckIndex} over every segment (postings, stored fields, doc values, points,
     * vectors, checksums) and counts the live documents. Takes the write lock while it runs.
     *
     * @param infoStream where CheckIndex writes its detailed log, or null to keep it in the result
     *     only when the index is not clean
     */
    public static IndexCheck check(Path folder, @Nullable PrintStream infoStream) throws IOException {
        if (!Files.isDirectory(folder)) {
            return new IndexCheck(false, 0, 0, Map.of(), List.of("no index folder " + folder), "");
        }
        try (Directory directory = FSDirectory.open(folder)) {
            if (!DirectoryReader.indexExists(directory)) {
                return new IndexCheck(false, 0, 0, Map.of(), List.of("no Lucene index in " + folder), "");
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
            List<String> problems = new java.util.ArrayList<>();
            if (status.missingSegments) {
                problems.add("the segments file is missing or unreadable");
            }
            if (status.numBadSegments > 0) {
                problems.add(status.numBadSegments + " of " + status.numSegments + " segments are broken; "
                        + status.totLoseDocCount + " documents would be lost by repairing");
            }
            if (status.toolOutOfDate) {
                problems.add("the index was written by a newer Lucene than " + org.apache.lucene.util.Version.LATEST);
            }
            long documents = 0;
            if (!status.missingSegments) {
                try (DirectoryReader reader = DirectoryReader.open(directory)) {
                    documents = reader.numDocs();
                }
            }
            Map<String, String> userData = status.userData == null ? Map.of() : Map.copyOf(status.userData);
            String log = status.clean ? "" : buffer.toString(StandardCharsets.UTF_8);
            return new IndexCheck(status.clean, documents, status.numSegments, userData, problems, log);
        }
    }

    static void requireSameModel(Path folder, Map<String, String> recorded, ModelIdentity model) {
        String name = recorded.get(LuceneSchema.MODEL_NAME);
        if (name == null) {
            return; // a new index, or one created empty: it takes this model
        }
        String fingerprint = recorded.getOrDefault(LuceneSchema.MODEL_FINGERPRINT, "unknown");
        int dimension = intOr(recorded, LuceneSchema.MODEL_DIMENSION, model.dimension());
        if (!name.equals(model.name()) || !fingerprint.equals(model.fingerprint()) || dimension != model.dimension()) {
            throw new IndexModelMismatchException(folder, new ModelIdentity(name, fingerprint, dimension), model);
        }
    }

    private static VectorFormat resolveFormat(Path folder, Map<String, String> recorded, IndexOptions options) {
        String label = recorded.get(LuceneSchema.VECTORS);
        VectorFormat existing = label == null ? null : VectorFormat.parse(label);
        if (existing != null && options.vectors() != null && options.vectors() != existing) {
            throw new IllegalArgumentException("index " + folder + " stores " + existing + " vectors; "
                    + options.vectors() + " was asked for. The vector format is fixed when an index is created:"
                    + " reindex into an empty --index folder to change it");
        }
        if (existing != null) {
            return existing;
        }
        return options.vectors() != null ? options.vectors() : VectorFormat.FLOAT32;
    }

    private static int intOr(Map<String, String> data, String key, int fallback) {
        String value = data.get(key);
        if (value == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalStateException("index commit data " + key + "='" + value + "' is not an integer", e);
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
}
