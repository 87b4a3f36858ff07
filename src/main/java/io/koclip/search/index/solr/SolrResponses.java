package io.koclip.search.index.solr;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.solr.common.util.NamedList;
import org.jspecify.annotations.Nullable;

/** Walks Solr's nested admin answers, which come as {@link NamedList}s or maps depending on the parser. */
final class SolrResponses {
    private SolrResponses() {}

    /** The value at {@code path}; IllegalStateException naming the missing key when absent. */
    static Object child(Object node, String... path) {
        Object current = node;
        for (String key : path) {
            current = get(current, key);
            if (current == null) {
                throw new IllegalStateException("no '" + key + "' in Solr's answer at " + List.of(path));
            }
        }
        return current;
    }

    /** The value under {@code key}, or null. */
    static @Nullable Object optionalChild(@Nullable Object node, String key) {
        return node == null ? null : get(node, key);
    }

    private static @Nullable Object get(Object node, String key) {
        if (node instanceof NamedList<?> list) {
            return list.get(key);
        }
        if (node instanceof Map<?, ?> map) {
            return map.get(key);
        }
        return null;
    }

    /** The (name, value) pairs of a NamedList or map; empty for null. */
    @SuppressWarnings("unchecked")
    static List<Map.Entry<String, Object>> entries(@Nullable Object node) {
        List<Map.Entry<String, Object>> entries = new ArrayList<>();
        if (node instanceof NamedList<?> list) {
            list.forEach(e -> entries.add(new AbstractMap.SimpleEntry<>(e.getKey(), e.getValue())));
        } else if (node instanceof Map<?, ?> map) {
            map.forEach((k, v) -> entries.add(new AbstractMap.SimpleEntry<>(String.valueOf(k), v)));
        }
        return entries;
    }
}
