package io.koclip.search.ingest;

import io.koclip.search.index.VectorIndex;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After the pipeline: removes the documents whose file is gone from the source (deleted, moved, now
 * hidden or a link out of the root), in one {@link VectorIndex#deleteAll}. Does nothing when the
 * source yielded no image at all while the index holds some: an empty source is far more often an
 * unmounted disk than a deliberate deletion of everything.
 *
 * <p>Not thread-safe: run once, on the run thread.
 */
final class Pruner {
    private static final Logger log = LoggerFactory.getLogger(Pruner.class);

    private final VectorIndex index;
    private final SourceScanner scanner;

    Pruner(VectorIndex index, SourceScanner scanner) {
        this.index = index;
        this.scanner = scanner;
    }

    /** @return the documents removed */
    long prune(long scanned) throws IOException {
        index.refresh();
        if (scanned == 0 && index.stats().documents() > 0) {
            log.warn("not pruning: the source {} has no images at all; delete the index to start over", scanner.root());
            return 0;
        }
        List<String> gone = new ArrayList<>();
        index.forEachIndexedFile(file -> {
            if (!scanner.stillPresent(file.path())) {
                gone.add(file.id());
            }
        });
        index.deleteAll(gone);
        return gone.size();
    }
}
