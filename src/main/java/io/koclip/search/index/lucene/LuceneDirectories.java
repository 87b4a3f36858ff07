package io.koclip.search.index.lucene;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.MMapDirectory;

/**
 * Opens the index folders that are searched, with the kernel's read-ahead chosen per file.
 *
 * <p>Since Lucene 10.3 {@link MMapDirectory} gives the kernel no advice unless asked, so every mapped
 * file gets the default read-ahead: a page fault reads the pages around it too. That suits files read
 * front to back, and an index that fits in memory warms up fast. It does not suit the vector files, which
 * a query reads by ordinal all over the file: once the index outgrows the page cache each rescored
 * candidate drags in its neighbours and evicts the graph and the quantized vectors that the next query
 * needs. On 2M × 512 int8 (5.2 GB) under a 3 GiB memory limit this made steady-state search ×190 slower (1.3
 * against 248 QPS; docs/benchmarks.md, "The big index"). {@link MMapDirectory#ADVISE_BY_CONTEXT} passes on the
 * hints Lucene's formats attach to each file (random for vectors, normal for doc values and postings).
 *
 * <p>The JVM property {@value #PROPERTY} chooses: {@code by-context} (the default) or {@code normal}
 * (Lucene's default, kept for comparison: {@code bench-knn} under {@code -Dkoclip.index.read-advice=normal}).
 */
final class LuceneDirectories {
    static final String PROPERTY = "koclip.index.read-advice";

    enum ReadAdvice {
        BY_CONTEXT,
        NORMAL
    }

    private LuceneDirectories() {}

    /** {@link FSDirectory#open} with the read advice of {@link #readAdvice()} on a mapped directory. */
    static Directory open(Path folder) throws IOException {
        ReadAdvice advice = readAdvice();
        FSDirectory directory = FSDirectory.open(folder);
        if (directory instanceof MMapDirectory mapped && advice == ReadAdvice.BY_CONTEXT) {
            mapped.setReadAdvice(MMapDirectory.ADVISE_BY_CONTEXT);
        }
        return directory;
    }

    /** The read advice {@value #PROPERTY} asks for; a value other than the two fails with both named. */
    static ReadAdvice readAdvice() {
        String value = System.getProperty(PROPERTY, "by-context");
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "by-context" -> ReadAdvice.BY_CONTEXT;
            case "normal" -> ReadAdvice.NORMAL;
            default ->
                throw new IllegalArgumentException(
                        "-D" + PROPERTY + "=" + value + ": expected by-context (the default) or normal");
        };
    }
}
