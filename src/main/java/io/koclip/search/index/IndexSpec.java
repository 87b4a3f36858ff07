package io.koclip.search.index;

/**
 * What a caller asks of the index it opens or creates: the model whose vectors it will hold and how
 * to store them ({@link IndexOptions}: null fields keep what the index records).
 */
public record IndexSpec(ModelIdentity model, IndexOptions options) {
    public IndexSpec {
        if (model == null) {
            throw new IllegalArgumentException("index spec: model must not be null");
        }
        if (options == null) {
            throw new IllegalArgumentException("index spec: options must not be null");
        }
    }

    /** The model with the recorded (or default) vector options. */
    public static IndexSpec of(ModelIdentity model) {
        return new IndexSpec(model, IndexOptions.defaults());
    }
}
