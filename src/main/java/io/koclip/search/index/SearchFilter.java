package io.koclip.search.index;

import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Restrictions applied inside the kNN query (pre-filtering, so k hits come back when k match).
 *
 * @param pathPrefix only paths starting with this folder prefix ("set-a/"), or null
 * @param minWidth only images at least this wide, or null
 * @param minHeight only images at least this tall, or null
 * @param modifiedFrom only files modified at or after this epoch millisecond, or null
 * @param modifiedTo only files modified at or before this epoch millisecond, or null
 * @param formats only these formats, or empty for all
 */
public record SearchFilter(
        @Nullable String pathPrefix,
        @Nullable Integer minWidth,
        @Nullable Integer minHeight,
        @Nullable Long modifiedFrom,
        @Nullable Long modifiedTo,
        Set<String> formats) {
    public static final SearchFilter NONE = new SearchFilter(null, null, null, null, null, Set.of());

    public SearchFilter {
        formats = Set.copyOf(formats);
    }

    public boolean isEmpty() {
        return this.equals(NONE);
    }
}
