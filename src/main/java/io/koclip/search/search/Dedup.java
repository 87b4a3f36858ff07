package io.koclip.search.search;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** Which files of a ranking collapse into the best-ranked one. */
public enum Dedup {
    /** Every file is a hit. */
    NONE,
    /** Files with identical bytes (same SHA-256) collapse. */
    EXACT,
    /**
     * Files with identical bytes, and files whose embeddings are within
     * {@link NearDuplicates#DEFAULT_MAX_DISTANCE} cosine distance of a better-ranked hit, collapse.
     */
    NEAR;

    /**
     * Parses {@code true} (= exact), {@code false} (= none), {@code exact}, {@code near}, {@code none}
     * (any case); null or blank is {@link #EXACT}.
     *
     * @throws InvalidRequestException naming {@code dedup} for anything else
     */
    public static Dedup parse(@Nullable String value) {
        if (value == null || value.isBlank()) {
            return EXACT;
        }
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "true", "exact" -> EXACT;
            case "false", "none" -> NONE;
            case "near" -> NEAR;
            default -> throw new InvalidRequestException("dedup", "'" + value + "' is not one of true, false, near");
        };
    }

    /** The name in requests. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
