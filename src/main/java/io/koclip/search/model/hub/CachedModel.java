package io.koclip.search.model.hub;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One repo in the Hub cache.
 *
 * @param repo {@code org/name}
 * @param folder its {@code models--org--name} folder
 * @param refs branch or tag to commit hash, as last pulled
 * @param snapshots commit hashes with a snapshot folder
 * @param bytes total size of its blobs (partial downloads included)
 */
public record CachedModel(String repo, Path folder, Map<String, String> refs, List<String> snapshots, long bytes) {
    public CachedModel {
        refs = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(refs));
        snapshots = List.copyOf(snapshots);
    }
}
