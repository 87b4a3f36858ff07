package io.koclip.search.model.hub;

import java.nio.file.Path;

/**
 * A model in the local cache, ready to load.
 *
 * @param spec what was asked for ({@code org/name@revision})
 * @param commit the commit the revision resolved to
 * @param folder the snapshot folder ({@code snapshots/{commit}}) that holds the bundle
 * @param bytes total size of the model's files
 */
public record PulledModel(RepoSpec spec, String commit, Path folder, long bytes) {
    /** {@code hf:org/name@commit}: names the exact files, for logs, health and errors. */
    public String location() {
        return RepoSpec.PREFIX + spec.repo() + "@" + commit;
    }
}
