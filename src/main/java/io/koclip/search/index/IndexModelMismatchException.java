package io.koclip.search.index;

import java.nio.file.Path;

/**
 * The index was built with another model than the one in use: its vectors cannot be compared with
 * this model's embeddings. The message says to reindex.
 */
public final class IndexModelMismatchException extends IllegalStateException {
    private final ModelIdentity recorded;
    private final ModelIdentity requested;

    public IndexModelMismatchException(Path index, ModelIdentity recorded, ModelIdentity requested) {
        this(index.toString(), recorded, requested);
    }

    /** @param index names the index in the message (its folder, or the index object) */
    public IndexModelMismatchException(String index, ModelIdentity recorded, ModelIdentity requested) {
        super("index " + index + " was built with model " + recorded + ", but the model in use is " + requested
                + ": vectors of different models are not comparable. Reindex: run `ingest --model "
                + requested.name() + "` into an empty --index folder, or use --model " + recorded.name()
                + " with the bundle the index was built from");
        this.recorded = recorded;
        this.requested = requested;
    }

    /** The model recorded in the index. */
    public ModelIdentity recorded() {
        return recorded;
    }

    /** The model that tried to open it. */
    public ModelIdentity requested() {
        return requested;
    }
}
