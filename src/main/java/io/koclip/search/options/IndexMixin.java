package io.koclip.search.options;

import io.koclip.search.index.IndexBackend;
import io.koclip.search.index.lucene.LuceneBackend;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The options that name the index a command works on ({@code @Mixin IndexMixin index}), and the one
 * place in the command line that picks the backend for them.
 */
public final class IndexMixin {
    @Option(
            names = "--index",
            defaultValue = "index",
            paramLabel = "DIR",
            description = "Index folder; created by ingest if needed (default: ${DEFAULT-VALUE}).")
    Path folder;

    /** The backend whose live index these options name. */
    public IndexBackend backend() {
        return new LuceneBackend(folder);
    }

    @Override
    public String toString() {
        return folder.toString();
    }
}
