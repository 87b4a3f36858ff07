package io.koclip.search.search;

import org.jspecify.annotations.Nullable;

/**
 * One weighted term of a composed query ({@link SearchService#compose}): a text, an indexed image or
 * an uploaded image. The query vector is the normalized weighted sum of the terms' unit embeddings,
 * as rclip's {@code 2:cat + ./x.jpg - dog}. Weights are checked by the service (range
 * [-{@value #MAX_WEIGHT}, {@value #MAX_WEIGHT}], not 0, at least one positive).
 */
public sealed interface ComposeTerm {
    /** The largest absolute weight of a term. */
    double MAX_WEIGHT = 10;

    /** The most terms of one query. */
    int MAX_TERMS = 8;

    /** How much of this term's unit embedding goes into the sum; negative subtracts it. */
    double weight();

    /** A text, embedded with the request's template like a search query. */
    record Text(String text, double weight) implements ComposeTerm {}

    /** An indexed image, by id: its stored embedding. */
    record Image(String id, double weight) implements ComposeTerm {}

    /** An uploaded image (decoded and encoded under the inference limiter). */
    record Upload(byte[] bytes, @Nullable String name, double weight) implements ComposeTerm {}
}
