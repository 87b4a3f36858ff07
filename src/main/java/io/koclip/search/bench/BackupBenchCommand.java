package io.koclip.search.bench;

import io.koclip.search.index.ImageDocument;
import io.koclip.search.index.IndexBackup;
import io.koclip.search.index.IndexSpec;
import io.koclip.search.index.ModelIdentity;
import io.koclip.search.index.SearchFilter;
import io.koclip.search.index.VectorIndex;
import io.koclip.search.index.VectorQuery;
import io.koclip.search.index.lucene.LuceneBackend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.NoMergePolicy;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench-backup}: time per GiB of a backup (copy + CheckIndex) and a restore of an index of a
 * chosen size. Builds {@code --docs} random unit vectors through the index SPI once (HNSW included),
 * then grows the index to {@code --copies} times that by adding the built segments again with Lucene's
 * {@code addIndexes} (a file copy, no graph building), so a GiB-sized index takes minutes, not an
 * hour. Then: a backup of the closed index, a backup of the open index while {@code --searchers}
 * threads search and one thread writes and commits, and a restore. One JSON line per phase.
 *
 * <p>Keep {@code --copies} at 10 or fewer: more equal segments than the merge policy's segments per tier
 * make the live phase's first commit start a merge of them all (their HNSW graphs rebuilt), which the
 * close then waits for (a 26-copy run was still merging after 40 minutes).
 */
@Command(
        name = "bench-backup",
        mixinStandardHelpOptions = true,
        description = "Backup and restore speed (seconds per GiB) on a generated index; JSON lines on stdout.")
public final class BackupBenchCommand implements Callable<Integer> {
    private static final ModelIdentity MODEL = new ModelIdentity("bench-backup", "random", 512);

    @Option(
            names = "--dir",
            defaultValue = "target/bench/backup",
            paramLabel = "DIR",
            description = "Work folder (emptied first).")
    Path dir;

    @Option(
            names = "--docs",
            defaultValue = "50000",
            paramLabel = "N",
            description = "Documents built with HNSW (default: ${DEFAULT-VALUE}).")
    int docs;

    @Option(
            names = "--copies",
            defaultValue = "10",
            paramLabel = "N",
            description = "The index is this many copies of the built segments (default: ${DEFAULT-VALUE}).")
    int copies;

    @Option(
            names = "--searchers",
            defaultValue = "2",
            paramLabel = "N",
            description = "Search threads during the live backup (default: ${DEFAULT-VALUE}).")
    int searchers;

    @Override
    public Integer call() throws Exception {
        try (BenchOutput out = BenchOutput.reserve()) {
            delete(dir);
            Path built = dir.resolve("built");
            Path index = dir.resolve("index");
            Random random = new Random(42);
            long t0 = System.nanoTime();
            try (VectorIndex v = new LuceneBackend(built).open(IndexSpec.of(MODEL))) {
                List<ImageDocument> batch = new ArrayList<>();
                for (int i = 0; i < docs; i++) {
                    batch.add(document("d" + i, random));
                    if (batch.size() == 1000) {
                        v.upsertAll(batch);
                        batch.clear();
                    }
                }
                v.upsertAll(batch);
                v.commit("{\"bench\":true}");
            }
            double buildSeconds = (System.nanoTime() - t0) / 1e9;
            long t1 = System.nanoTime();
            grow(built, index, copies);
            double growSeconds = (System.nanoTime() - t1) / 1e9;
            LuceneBackend backend = new LuceneBackend(index);
            out.line(Map.of(
                    "phase", "build",
                    "documents", (long) docs * copies,
                    "bytes", size(index),
                    "hnswSeconds", round(buildSeconds),
                    "growSeconds", round(growSeconds),
                    "machine", Machine.describe()));

            out.line(line("backup-closed", backend.backup(dir.resolve("backup-closed")), Map.of()));

            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong searches = new AtomicLong();
            AtomicLong writes = new AtomicLong();
            IndexBackup live;
            try (VectorIndex v = backend.open(IndexSpec.of(MODEL))) {
                List<Thread> threads = new ArrayList<>();
                for (int t = 0; t < searchers; t++) {
                    Random r = new Random(t);
                    threads.add(Thread.ofPlatform().start(() -> {
                        while (!stop.get()) {
                            try {
                                v.search(new VectorQuery(unit(r), 10, 100, SearchFilter.NONE));
                                searches.incrementAndGet();
                            } catch (IOException e) {
                                throw new IllegalStateException("search during the backup failed", e);
                            }
                        }
                    }));
                }
                Random w = new Random(7);
                threads.add(Thread.ofPlatform().start(() -> {
                    int i = 0;
                    while (!stop.get()) {
                        try {
                            v.upsert(document("w" + i++, w));
                            writes.incrementAndGet();
                            if (i % 100 == 0) {
                                v.commit(null);
                            }
                        } catch (IOException e) {
                            throw new IllegalStateException("write during the backup failed", e);
                        }
                    }
                }));
                try {
                    live = v.backup(dir.resolve("backup-live"));
                } finally {
                    stop.set(true);
                    for (Thread t : threads) {
                        t.join();
                    }
                }
                // Printed before the close, which waits for the merges the writes started.
                out.line(line(
                        "backup-live", live, Map.of("searchesDuring", searches.get(), "writesDuring", writes.get())));
            }
            out.line(line("restore", new LuceneBackend(dir.resolve("restored")).restore(live.location()), Map.of()));
        }
        return 0;
    }

    /** {@code target} = {@code copies} times the segments of {@code built}, with its commit data. */
    private static void grow(Path built, Path target, int copies) throws IOException {
        try (Directory from = FSDirectory.open(built);
                Directory to = FSDirectory.open(target);
                IndexWriter writer = new IndexWriter(
                        to,
                        // addIndexes(Directory) copies the segments with their own codec: no re-encoding.
                        new IndexWriterConfig().setMergePolicy(NoMergePolicy.INSTANCE))) {
            for (int c = 0; c < copies; c++) {
                writer.addIndexes(from);
            }
            writer.setLiveCommitData(
                    SegmentInfos.readLatestCommit(from).getUserData().entrySet(), true);
            writer.commit();
        }
    }

    private static Map<String, Object> line(String phase, IndexBackup b, Map<String, Object> extra) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("phase", phase);
        m.put("documents", b.documents());
        m.put("files", b.files());
        m.put("bytes", b.bytes());
        m.put("gib", round(b.bytes() / (1024.0 * 1024 * 1024)));
        m.put("copySeconds", round(b.copySeconds()));
        m.put("checkSeconds", round(b.checkSeconds()));
        m.put("secondsPerGiB", round(b.secondsPerGib()));
        m.putAll(extra);
        m.put("load", round(Machine.loadAverage()));
        return m;
    }

    private static ImageDocument document(String id, Random random) {
        return new ImageDocument(id, id + ".jpg", "h" + id, 640, 480, 100_000, 0, "jpeg", null, unit(random));
    }

    private static float[] unit(Random random) {
        float[] v = new float[512];
        double norm = 0;
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) random.nextGaussian();
            norm += v[i] * v[i];
        }
        float scale = (float) (1 / Math.sqrt(norm));
        for (int i = 0; i < v.length; i++) {
            v[i] *= scale;
        }
        return v;
    }

    private static double round(double x) {
        return Math.round(x * 1000) / 1000.0;
    }

    private static long size(Path folder) throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(Files::isRegularFile)
                    .mapToLong(f -> f.toFile().length())
                    .sum();
        }
    }

    private static void delete(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
