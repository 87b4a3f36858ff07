package io.koclip.search.index;

import org.jspecify.annotations.Nullable;

/**
 * How an index stores its vectors. Null fields mean "what the index already records, or the
 * default for a new index" so that a reader never has to repeat the writer's choices.
 *
 * <p>The vector format is fixed when an index is created: asking for another one is an error that
 * says to reindex. {@code m} and {@code beamWidth} may change between runs; new values apply to
 * segments written afterwards (and to merges).
 *
 * @param vectors vector format, or null for the recorded one ({@link VectorFormat#FLOAT32} for a new index)
 * @param m HNSW maximum connections per node, in [2, 512], or null for the recorded one (16)
 * @param beamWidth HNSW candidate list size while building, in [1, 3200], or null for the recorded one (100)
 */
public record IndexOptions(
        @Nullable VectorFormat vectors,
        @Nullable Integer m,
        @Nullable Integer beamWidth) {
    /** Lucene's default maximum connections per HNSW node. */
    public static final int DEFAULT_M = 16;
    /** Lucene's default HNSW build beam width. */
    public static final int DEFAULT_BEAM_WIDTH = 100;

    public IndexOptions {
        if (m != null && (m < 2 || m > 512)) {
            throw new IllegalArgumentException("m: " + m + " is not in [2, 512]");
        }
        if (beamWidth != null && (beamWidth < 1 || beamWidth > 3200)) {
            throw new IllegalArgumentException("beamWidth: " + beamWidth + " is not in [1, 3200]");
        }
    }

    /** Whatever the index records; float32, m 16, beam width 100 for a new index. */
    public static IndexOptions defaults() {
        return new IndexOptions(null, null, null);
    }

    public IndexOptions withVectors(@Nullable VectorFormat format) {
        return new IndexOptions(format, m, beamWidth);
    }

    public IndexOptions withM(@Nullable Integer value) {
        return new IndexOptions(vectors, value, beamWidth);
    }

    public IndexOptions withBeamWidth(@Nullable Integer value) {
        return new IndexOptions(vectors, m, value);
    }
}
