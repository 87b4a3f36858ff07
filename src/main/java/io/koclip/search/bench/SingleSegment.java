package io.koclip.search.bench;

import java.io.IOException;
import java.nio.file.Path;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;

/** Segment counts of a benchmark index (merging is {@code LuceneIndexes.forceMerge}). */
final class SingleSegment {
    private SingleSegment() {}

    /** Segments in the index's latest commit. */
    static int segments(Path folder) throws IOException {
        try (Directory directory = FSDirectory.open(folder);
                DirectoryReader reader = DirectoryReader.open(directory)) {
            return reader.leaves().size();
        }
    }
}
