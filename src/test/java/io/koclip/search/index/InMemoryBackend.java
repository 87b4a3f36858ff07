package io.koclip.search.index;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The in-memory test backend: one live {@link InMemoryVectorIndex.Store}, reindex into a fresh store
 * that activation makes live. Passes the same contract suite as the real backends.
 *
 * <p>Thread-safe: the live store is switched under the backend's lock.
 */
public class InMemoryBackend implements IndexBackend {
    private InMemoryVectorIndex.@Nullable Store live;
    private boolean lenient;
    private @Nullable InMemoryVectorIndex lastOpened;

    /** A backend with no index yet: the first {@link #open} creates it for the spec's model. */
    public InMemoryBackend() {}

    /** A backend whose live index holds {@code existing}'s documents. */
    public InMemoryBackend(InMemoryVectorIndex existing) {
        this.live = existing.store();
        this.lenient = !existing.checksVectors();
    }

    @Override
    public String describe() {
        return "in-memory index";
    }

    @Override
    public BackendStatus status() {
        return BackendStatus.up("memory");
    }

    @Override
    public synchronized VectorIndex open(IndexSpec spec) throws IOException {
        if (live == null) {
            live = new InMemoryVectorIndex.Store(IndexMetadata.fresh(spec));
            lenient = false;
        } else {
            synchronized (live) {
                live.metadata = live.metadata.reopenedWith(spec, describe());
            }
        }
        return handle(live);
    }

    @Override
    public synchronized VectorIndex openReadOnly(ModelIdentity model) throws IOException {
        if (live == null) {
            throw new IndexNotFoundException(describe());
        }
        live.metadata.model().requireSame(model, describe());
        InMemoryVectorIndex index = new InMemoryVectorIndex(live, !lenient, true);
        return index;
    }

    private InMemoryVectorIndex handle(InMemoryVectorIndex.Store store) {
        InMemoryVectorIndex index = new InMemoryVectorIndex(store, !lenient);
        lastOpened = index;
        return index;
    }

    @Override
    public synchronized Optional<IndexMetadata> metadata() {
        return live == null ? Optional.empty() : Optional.of(live.metadata);
    }

    @Override
    public synchronized IndexCheck check(@Nullable PrintStream log) {
        if (live == null) {
            return new IndexCheck(false, 0, 0, null, List.of("no index"), "");
        }
        return new IndexCheck(true, live.documents.size(), 1, live.metadata, List.of(), "");
    }

    @Override
    public synchronized Reindex prepareReindex(IndexSpec spec) {
        IndexMetadata base = IndexMetadata.fresh(spec);
        InMemoryVectorIndex.Store fresh = new InMemoryVectorIndex.Store(base);
        InMemoryVectorIndex index = new InMemoryVectorIndex(fresh, !lenient);
        return new Reindex() {
            private boolean done;

            @Override
            public VectorIndex index() {
                return index;
            }

            @Override
            public void activate() throws IOException {
                if (done) {
                    throw new IllegalStateException("this reindex is already activated or discarded");
                }
                index.commit(null);
                index.close();
                synchronized (InMemoryBackend.this) {
                    live = fresh;
                }
                done = true;
            }

            @Override
            public void close() {
                done = true;
                index.close();
            }
        };
    }

    /** The handle most recently opened on the live index. */
    public synchronized @Nullable InMemoryVectorIndex lastOpened() {
        return lastOpened;
    }
}
