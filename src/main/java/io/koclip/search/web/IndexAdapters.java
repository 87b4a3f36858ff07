package io.koclip.search.web;

import io.koclip.search.index.IndexOptions;
import io.koclip.search.index.LuceneIndexes;
import io.koclip.search.index.ModelIdentity;
import io.koclip.search.ingest.IngestJob;
import io.koclip.search.ingest.IngestOptions;
import io.koclip.search.ingest.IngestProgress;
import io.koclip.search.model.ClipModel;
import io.koclip.search.search.LiveIndex;
import java.util.Locale;

/**
 * Adapts the index and ingest packages to the server's seams ({@link LiveIndex.Opener},
 * {@link IngestRunner}): the one place that knows their concrete classes.
 */
final class IndexAdapters {
    private IndexAdapters() {}

    /** Lucene indexes recorded for the server's model; another model's index is refused when opened. */
    static LiveIndex.Opener opener(ClipModel model, IndexOptions options) {
        ModelIdentity identity = ModelIdentity.of(model.bundle());
        return folder -> LuceneIndexes.open(folder, options, identity);
    }

    /** The ingest job (incremental, committing as it goes), its progress mapped to the job API's. */
    static IngestRunner ingestRunner(ClipModel model, IngestProperties properties) {
        return (source, target, progress, cancelled) -> {
            IngestOptions options = IngestOptions.defaults(source).withPrune(properties.prune());
            if (properties.workers() > 0) {
                options = options.withWorkers(properties.workers());
            }
            IngestJob job = new IngestJob(model, target, options);
            return job.run(p -> progress.accept(progress(p)), cancelled);
        };
    }

    static JobProgress progress(IngestProgress p) {
        return new JobProgress(
                p.done(), p.scanComplete() ? p.scanned() : -1, p.phase().name().toLowerCase(Locale.ROOT));
    }
}
