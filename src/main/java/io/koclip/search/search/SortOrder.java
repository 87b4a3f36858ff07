package io.koclip.search.search;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The order of a page of hits: by the ranking's score, or newest file first among the best hits.
 */
public enum SortOrder {
    /** Best score first (the ranking's own order). */
    RELEVANCE,
    /**
     * Newest file first (modification time, then score, then id), among the best {@value #DATE_DEPTH}
     * hits of the ranking that pass minScore, the filters and dedup: the set is fixed by relevance, so
     * paging through it is stable, and {@code offset + k} may not exceed it.
     */
    DATE;

    /** How many of the best hits a date-sorted ranking re-orders. */
    public static final int DATE_DEPTH = 1000;

    /**
     * Parses {@code relevance} or {@code date} (any case); null or blank is {@link #RELEVANCE}.
     *
     * @throws InvalidRequestException naming {@code sort} for anything else
     */
    public static SortOrder parse(@Nullable String value) {
        if (value == null || value.isBlank()) {
            return RELEVANCE;
        }
        try {
            return valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("sort", "'" + value + "' is not one of relevance, date");
        }
    }

    /** The name in requests. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
