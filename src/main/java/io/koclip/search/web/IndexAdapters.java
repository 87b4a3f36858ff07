package io.koclip.search.web;

import io.koclip.search.image.ImageDecoder;
import io.koclip.search.model.ClipModel;
import io.koclip.search.search.LiveIndex;

/**
 * Adapts the index and ingest packages to the server's seams ({@link LiveIndex.Opener},
 * {@link IngestRunner}): the one place that knows their concrete classes.
 */
final class IndexAdapters {
    private IndexAdapters() {}

    static LiveIndex.Opener opener(ClipModel model) {
        return folder -> {
            throw new IllegalStateException("no index backend is built in yet (the Lucene index is on its way)");
        };
    }

    static IngestRunner ingestRunner(ClipModel model, ImageDecoder decoder) {
        return (source, target, progress, cancelled) -> {
            throw new IllegalStateException("no ingest job is built in yet");
        };
    }
}
