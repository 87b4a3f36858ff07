package io.koclip.search.index;

import io.koclip.search.model.ModelBundle;

/**
 * Which model made an index's vectors. Recorded in every commit's user data; an index opened with
 * another identity is refused ({@link IndexModelMismatchException}), because vectors from two models
 * are not comparable.
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

    @Override
    public String toString() {
        return "'" + name + "' (fingerprint " + fingerprint + ", " + dimension + " dimensions)";
    }
}
