package io.koclip.search.web;

import io.koclip.search.image.DecodeOptions;
import io.koclip.search.index.IndexBackend;
import io.koclip.search.index.lucene.LuceneBackend;
import io.koclip.search.index.solr.SolrBackend;
import io.koclip.search.ingest.IngestJob;
import io.koclip.search.ingest.IngestOptions;
import io.koclip.search.ingest.IngestProgress;
import io.koclip.search.ingest.IngestSettings;
import io.koclip.search.model.ClipModel;
import java.util.Locale;

/**
 * Adapts the index and ingest packages to the server's seams ({@link IndexBackend},
 * {@link IngestRunner}): the one place that knows their concrete classes.
 */
final class IndexAdapters {
    private IndexAdapters() {}

    /** The configured index backend ({@code koclip.index.backend}), its text analysis ({@code koclip.text}). */
    static IndexBackend backend(IndexProperties properties, TextProperties text) {
        return switch (properties.backend()) {
            case "lucene" -> new LuceneBackend(properties.path(), text.userDictionary());
            case "solr" -> {
                if (text.userDictionary() != null) {
                    throw new IllegalArgumentException("koclip.text.user-dictionary: applies to the lucene backend;"
                            + " a SolrCloud collection analyzes with its configset (docs/solr.md)");
                }
                yield new SolrBackend(properties.solr().settings());
            }
            default ->
                throw new IllegalArgumentException(
                        "koclip.index.backend: '" + properties.backend() + "' is not one of [lucene, solr]");
        };
    }

    /**
     * The ingest job (incremental, committing as it goes), its progress mapped to the job API's. A job's
     * settings override the configured ones ({@code koclip.ingest.*}); unset ones take the defaults.
     * Images decode as the server's uploads do ({@code koclip.image.*}).
     */
    static IngestRunner ingestRunner(ClipModel model, IngestProperties properties, DecodeOptions decoding) {
        IngestSettings configured = properties.settings();
        return (source, settings, target, progress, cancelled) -> {
            IngestOptions options = configured.overriddenBy(settings).toOptions(source);
            IngestJob job = new IngestJob(model, target, options, decoding);
            return job.run(p -> progress.accept(progress(p)), cancelled);
        };
    }

    static JobProgress progress(IngestProgress p) {
        return new JobProgress(
                p.done(), p.scanComplete() ? p.scanned() : -1, p.phase().name().toLowerCase(Locale.ROOT));
    }
}
