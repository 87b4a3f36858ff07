package io.koclip.search.search;

import io.koclip.search.index.VectorIndex;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The index a query runs on: the server's {@link LiveIndex} (readiness, reindex switches), or one
 * index opened by a command ({@link #of}). The query service sees no difference between the two, so
 * the {@code search} command and the REST API answer alike.
 *
 * <p>Implementations are thread-safe when the index they wrap is.
 */
public interface SearchableIndex {

    /**
     * Runs a query on the index.
     *
     * @throws IndexNotReadyException when the index cannot answer now
     * @throws UncheckedIOException when the index fails
     */
    <T> T search(LiveIndex.IndexWork<T> work);

    /** An index opened by the caller, who keeps it open while queries run and closes it after. */
    static SearchableIndex of(VectorIndex index) {
        return new SearchableIndex() {
            @Override
            public <T> T search(LiveIndex.IndexWork<T> work) {
                try {
                    return work.apply(index);
                } catch (IOException e) {
                    throw new UncheckedIOException("index: " + e.getMessage(), e);
                }
            }
        };
    }
}
