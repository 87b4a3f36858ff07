package io.koclip.search.options;

import io.koclip.search.index.IndexBackend;
import io.koclip.search.index.lucene.LuceneBackend;
import io.koclip.search.index.solr.SolrBackend;
import io.koclip.search.index.solr.SolrSettings;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * The options that name the index a command works on ({@code @Mixin IndexMixin index}), and the one
 * place in the command line that picks the backend for them: the Lucene folder {@code --index}, or a
 * SolrCloud alias ({@code --solr URL[,URL] --collection NAME}; docs/solr.md).
 */
public final class IndexMixin {
    @Option(
            names = "--index",
            defaultValue = "index",
            paramLabel = "DIR",
            description = "Index folder; created by ingest if needed (default: ${DEFAULT-VALUE}).")
    Path folder;

    @Option(
            names = "--user-dictionary",
            paramLabel = "FILE",
            description = "Nori user dictionary for the text fields (Lucene backend): one word per line, optionally"
                    + " followed by its parts; names and places kept whole (docs/operations.md, \"Text sources\").")
    Path userDictionary;

    @Option(
            names = "--backend",
            paramLabel = "lucene|solr",
            description = "Index engine (default: solr when --solr is given, else lucene).")
    String engine;

    @Option(
            names = "--solr",
            paramLabel = "URL[,URL]",
            description = "SolrCloud node base URLs (http://host:8983/solr); selects the SolrCloud backend.")
    String solrUrls;

    @Option(
            names = "--collection",
            defaultValue = SolrSettings.DEFAULT_ALIAS,
            paramLabel = "NAME",
            description = "SolrCloud collection alias (default: ${DEFAULT-VALUE}).")
    String collection;

    @Option(
            names = "--shards",
            defaultValue = "2",
            paramLabel = "N",
            description = "Shards of a new SolrCloud collection (default: ${DEFAULT-VALUE}).")
    int shards;

    @Option(
            names = "--replicas",
            defaultValue = "2",
            paramLabel = "N",
            description = "Replicas per shard of a new SolrCloud collection (default: ${DEFAULT-VALUE}).")
    int replicas;

    /** The {@code --user-dictionary} file, or null. */
    public @Nullable Path userDictionary() {
        return userDictionary;
    }

    /** Whether the command line named an index ({@code --index}, {@code --backend} or {@code --solr}). */
    public boolean chosen() {
        return engine != null || solrUrls != null || !folder.equals(Path.of("index"));
    }

    /** The backend whose live index these options name. */
    public IndexBackend backend() {
        String chosen = engine != null ? engine : solrUrls != null ? "solr" : "lucene";
        return switch (chosen) {
            case "lucene" -> new LuceneBackend(folder, userDictionary);
            case "solr" -> {
                if (userDictionary != null) {
                    throw new IllegalArgumentException("--user-dictionary: applies to the Lucene backend; a SolrCloud"
                            + " collection analyzes with its configset (docs/solr.md)");
                }
                yield
                // Basic auth from the environment only, like the server's koclip.index.solr.* properties.
                new SolrBackend(new SolrSettings(
                        SolrSettings.parseUrls(solrUrls != null ? solrUrls : "http://127.0.0.1:8983/solr"),
                        collection,
                        SolrSettings.DEFAULT_CONFIGSET,
                        shards,
                        replicas,
                        System.getenv("KOCLIP_INDEX_SOLR_USERNAME"),
                        System.getenv("KOCLIP_INDEX_SOLR_PASSWORD")));
            }
            default -> throw new IllegalArgumentException("--backend: '" + engine + "' is not one of [lucene, solr]");
        };
    }

    @Override
    public String toString() {
        return engine == null && solrUrls == null
                ? folder.toString()
                : backend().describe();
    }
}
