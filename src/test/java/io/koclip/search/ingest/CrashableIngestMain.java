package io.koclip.search.ingest;

import io.koclip.search.index.IndexOptions;
import io.koclip.search.index.IndexSpec;
import io.koclip.search.index.ModelIdentity;
import io.koclip.search.index.VectorIndex;
import io.koclip.search.index.lucene.LuceneBackend;
import java.nio.file.Path;

/**
 * The ingest job alone in a JVM, for {@link CrashResumeTest} to kill and {@link BoundedMemoryTest} to
 * starve of heap: the real pipeline, decoder and Lucene index with the fake model, which can be slowed
 * down so that a kill lands mid-run.
 *
 * <p>Arguments: {@code SOURCE INDEX COMMIT_EVERY MILLIS_PER_IMAGE [WORKERS]}. Prints {@code started},
 * then the report as JSON on one line.
 */
public final class CrashableIngestMain {
    static final ModelIdentity MODEL = new ModelIdentity("fake", "0", FakeEmbedder.DIM);

    private CrashableIngestMain() {}

    public static void main(String[] args) throws Exception {
        Path source = Path.of(args[0]);
        Path indexDir = Path.of(args[1]);
        int commitEvery = Integer.parseInt(args[2]);
        long millisPerImage = Long.parseLong(args[3]);
        int workers = args.length > 4 ? Integer.parseInt(args[4]) : 2;
        try (VectorIndex index = new LuceneBackend(indexDir).open(new IndexSpec(MODEL, IndexOptions.defaults()))) {
            IngestOptions options = IngestOptions.defaults(source)
                    .withWorkers(workers)
                    .withBatchSize(4)
                    .withCommitEvery(commitEvery);
            System.out.println("started");
            IngestReport report = new IngestJob(
                            new FakeEmbedder(millisPerImage, t -> false),
                            Decoder.of(new io.koclip.search.image.ImageDecoder(
                                    options.maxPixels(), options.decodeTimeout())),
                            ContentReader.FILES,
                            index,
                            options)
                    .run();
            System.out.println(
                    tools.jackson.databind.json.JsonMapper.builder().build().writeValueAsString(report));
        }
    }
}
