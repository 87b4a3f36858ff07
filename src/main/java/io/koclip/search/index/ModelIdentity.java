package io.koclip.search.index;

import io.koclip.search.model.ModelBundle;

/**
 * Which model made an index's vectors. Recorded in the index's {@link IndexMetadata}; an index opened
 * with another identity is refused ({@link #requireSame}), because vectors from two models are not
 * comparable.
 *
 * @param name the bundle's name ({@code demo}, {@code koclip-base})
 * @param fingerprint hex digest of the bundle's files; changes whenever a file changes
 * @param dimension embedding width
 */
public record ModelIdentity(String name, String fingerprint, int dimension) {
    public ModelIdentity {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("model name: '" + name + "' must not be blank");
        }
        if (fingerprint == null || fingerprint.isBlank()) {
            throw new IllegalArgumentException("model fingerprint: '" + fingerprint + "' must not be blank");
        }
        if (dimension < 1 || dimension > 4096) {
            throw new IllegalArgumentException("model dimension: " + dimension + " is not in [1, 4096]");
        }
    }

    /** The identity of a loaded bundle. */
    public static ModelIdentity of(ModelBundle bundle) {
        return new ModelIdentity(bundle.name(), bundle.fingerprint(), bundle.embeddingDim());
    }

    /**
     * The one model-identity rule, used wherever an index meets a model (the CLI, the server, ingest):
     * name, fingerprint and dimension must all be equal, because vectors of two models (or of two
     * exports of one model) are not comparable.
     *
     * @param requested the model about to read or write the index
     * @param where names the index in the message (its folder, its collection)
     * @throws IndexModelMismatchException otherwise, with a message that says how to reindex
     */
    public void requireSame(ModelIdentity requested, String where) {
        if (!equals(requested)) {
            throw new IndexModelMismatchException(where, this, requested);
        }
    }

    @Override
    public String toString() {
        return "'" + name + "' (fingerprint " + fingerprint + ", " + dimension + " dimensions)";
    }
}
