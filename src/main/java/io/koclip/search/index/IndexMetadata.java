package io.koclip.search.index;

import org.jspecify.annotations.Nullable;

/**
 * What an index records about itself, beside its documents: which model made its vectors, how the
 * vectors are stored, and the last ingest checkpoint. Every backend stores it its own way (Lucene:
 * commit user data, so it is durable exactly when the documents are; SolrCloud: collection alias
 * properties) and returns it unchanged.
 *
 * @param model the model whose embeddings the index holds
 * @param vectors how vectors are stored; fixed when the index is created
 * @param m HNSW maximum connections per node
 * @param beamWidth HNSW build beam width
 * @param checkpoint the ingest job's checkpoint (JSON owned by the ingest package), or null when no
 *     ingest has committed yet
 */
public record IndexMetadata(
        ModelIdentity model,
        VectorFormat vectors,
        int m,
        int beamWidth,
        @Nullable String checkpoint) {
    public IndexMetadata {
        if (model == null) {
            throw new IllegalArgumentException("index metadata: model must not be null");
        }
        if (vectors == null) {
            throw new IllegalArgumentException("index metadata: vector format must not be null");
        }
        if (m < 2 || m > 512) {
            throw new IllegalArgumentException("m: " + m + " is not in [2, 512]");
        }
        if (beamWidth < 1 || beamWidth > 3200) {
            throw new IllegalArgumentException("beamWidth: " + beamWidth + " is not in [1, 3200]");
        }
    }

    /** The metadata of a new, empty index for {@code spec}: its options with their defaults filled in. */
    public static IndexMetadata fresh(IndexSpec spec) {
        IndexOptions o = spec.options();
        return new IndexMetadata(
                spec.model(),
                o.vectors() != null ? o.vectors() : VectorFormat.FLOAT32,
                o.m() != null ? o.m() : IndexOptions.DEFAULT_M,
                o.beamWidth() != null ? o.beamWidth() : IndexOptions.DEFAULT_BEAM_WIDTH,
                null);
    }

    /**
     * The metadata an existing index has once opened with {@code spec}: the model must match (one rule,
     * {@link ModelIdentity#requireSame}), the vector format must not change, new HNSW parameters apply
     * to segments written from now on.
     *
     * @param where names the index in messages (its folder or collection)
     * @throws IndexModelMismatchException if the index holds another model's vectors
     * @throws IllegalArgumentException if the spec asks for another vector format
     */
    public IndexMetadata reopenedWith(IndexSpec spec, String where) {
        model.requireSame(spec.model(), where);
        IndexOptions o = spec.options();
        if (o.vectors() != null && o.vectors() != vectors) {
            throw new IllegalArgumentException("index " + where + " stores " + vectors + " vectors; " + o.vectors()
                    + " was asked for. The vector format is fixed when an index is created:"
                    + " reindex into an empty index to change it");
        }
        return new IndexMetadata(
                model,
                vectors,
                o.m() != null ? o.m() : m,
                o.beamWidth() != null ? o.beamWidth() : beamWidth,
                checkpoint);
    }

    public IndexMetadata withCheckpoint(@Nullable String value) {
        return new IndexMetadata(model, vectors, m, beamWidth, value);
    }
}
