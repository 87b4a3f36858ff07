package io.koclip.search.ingest;

import io.koclip.search.index.ImageDocument;
import io.koclip.search.index.VectorChecks;
import io.koclip.search.index.VectorIndex;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stage 5, one thread: writes documents in batches ({@link VectorIndex#upsertAll}: one request per
 * batch on a remote engine) and commits them durably with an {@link IngestCheckpoint} as the
 * {@link CommitPolicy} says. Each encoded batch is one {@code upsertAll} together with the copies of its
 * followers; copies sent by the workers are gathered with whatever else is waiting, up to a batch.
 *
 * <p>An invalid document fails only its own file. Each encoded vector is checked
 * ({@link VectorChecks#requireUnitVector}) before it joins a batch, which gives the precise reason and
 * keeps an invalid vector from reaching the followers; should a backend still refuse a batch with
 * {@link IllegalArgumentException} (a rule of its own), the batch is written again document by document
 * and only the refused ones fail.
 *
 * <p>Not thread-safe: the writer thread's, then (final commit) the run thread's once the writer ended.
 */
final class WriteStage {
    private static final Logger log = LoggerFactory.getLogger(WriteStage.class);

    /** What the writer receives. */
    sealed interface Write permits EncodedBatch, Copy {
        /** Documents this record stands for: its weight in the write hand-off. */
        int documents();
    }

    /** One encoder batch. */
    record EncodedBatch(List<EncodeStage.Embedded> images) implements Write {
        @Override
        public int documents() {
            return images.size();
        }
    }

    /** A document whose vector was copied from identical bytes already embedded. */
    record Copy(ImageDocument document) implements Write {
        @Override
        public int documents() {
            return 1;
        }
    }

    /** A document about to be written; {@code leader} is set for an encoded one (its followers fail with it). */
    private record Entry(ImageDocument document, boolean copy, EncodeStage.@Nullable Embedded leader) {}

    private final VectorIndex index;
    private final Handoff<Write> writes;
    private final ContentTable contents;
    private final Failures failures;
    private final IngestMetrics metrics;
    private final CommitPolicy policy;
    private final int batchSize;
    private final int dimension;
    private final String runId = UUID.randomUUID().toString();
    private final Instant started = Instant.now();
    private final String source;
    private final IngestControl control;
    // Documents of this run that the last successful commit made durable (read by the run thread after a failure).
    private volatile long committed;

    WriteStage(
            VectorIndex index,
            Handoff<Write> writes,
            ContentTable contents,
            Failures failures,
            IngestMetrics metrics,
            IngestControl control,
            IngestOptions options,
            String source) {
        this.index = index;
        this.writes = writes;
        this.contents = contents;
        this.failures = failures;
        this.metrics = metrics;
        this.control = control;
        this.policy = new CommitPolicy(options.commitEvery(), options.commitInterval(), System.nanoTime());
        this.batchSize = options.batchSize();
        this.dimension = index.metadata().model().dimension();
        this.source = source;
    }

    /** Writes until the hand-off is drained; the run thread prunes and makes the final commit. */
    void run() throws InterruptedException, IOException {
        while (true) {
            Write first = writes.poll(policy.nanosUntilInterval(System.nanoTime()), TimeUnit.NANOSECONDS);
            if (first == null && writes.isDrained()) {
                return;
            }
            if (first != null) {
                List<Entry> entries = new ArrayList<>();
                add(first, entries);
                Write more;
                while (entries.size() < batchSize && (more = writes.pollNow()) != null) {
                    add(more, entries);
                }
                write(entries);
            }
            if (policy.due(System.nanoTime())) {
                commit(false);
            } else if (contents.needsRefresh()) {
                contents.refreshed();
            }
        }
    }

    private void add(Write write, List<Entry> entries) throws IOException {
        switch (write) {
            case Copy copy -> entries.add(new Entry(copy.document(), true, null));
            case EncodedBatch batch -> {
                for (EncodeStage.Embedded image : batch.images()) {
                    ImageDocument document = image.document();
                    try {
                        VectorChecks.requireUnitVector(
                                document.vector(),
                                dimension,
                                "vector of '" + image.file().path() + "'");
                    } catch (IllegalArgumentException e) {
                        failures.leader(
                                image.file(),
                                image.hash(),
                                IngestFailure.Code.ENCODE_FAILED,
                                "invalid embedding: " + e.getMessage());
                        continue;
                    }
                    entries.add(new Entry(document, false, image));
                    for (PendingFile follower : contents.completed(image.hash(), document)) {
                        entries.add(
                                new Entry(ReadStage.copy(follower, image.hash(), image.bytes(), document), true, null));
                    }
                }
            }
        }
    }

    private void write(List<Entry> entries) throws IOException {
        if (entries.isEmpty()) {
            return;
        }
        List<ImageDocument> documents = new ArrayList<>(entries.size());
        entries.forEach(e -> documents.add(e.document()));
        long t0 = System.nanoTime();
        try {
            index.upsertAll(documents);
        } catch (IllegalArgumentException e) {
            log.warn(
                    "the index refused a batch of {}; writing its documents one by one: {}",
                    documents.size(),
                    e.getMessage());
            for (Entry entry : entries) {
                writeOne(entry);
            }
            return;
        } finally {
            metrics.addSince(IngestMetrics.Timer.INDEX, t0);
        }
        for (Entry entry : entries) {
            written(entry);
        }
    }

    private void writeOne(Entry entry) throws IOException {
        long t0 = System.nanoTime();
        try {
            index.upsert(entry.document());
        } catch (IllegalArgumentException e) {
            String reason = "invalid embedding: " + e.getMessage();
            if (entry.leader() != null) {
                failures.leader(entry.leader().file(), entry.leader().hash(), IngestFailure.Code.ENCODE_FAILED, reason);
            } else {
                failures.path(entry.document().path(), IngestFailure.Code.ENCODE_FAILED, reason);
            }
            return;
        } finally {
            metrics.addSince(IngestMetrics.Timer.INDEX, t0);
        }
        written(entry);
    }

    private void written(Entry entry) {
        metrics.indexed.incrementAndGet();
        if (entry.copy()) {
            metrics.duplicates.incrementAndGet();
        }
        policy.written(1);
    }

    /** Documents of this run made durable by the last successful commit. */
    long committed() {
        return committed;
    }

    /** A durable commit with the checkpoint; then the content table's view is refreshed. */
    void commit(boolean complete) throws IOException {
        long t0 = System.nanoTime();
        IngestCheckpoint checkpoint = new IngestCheckpoint(
                runId,
                source,
                started,
                Instant.now(),
                metrics.indexed.get(),
                metrics.failed.get(),
                complete,
                control.cancelled());
        index.commit(checkpoint.toJson());
        committed = checkpoint.indexed();
        contents.refreshed();
        long now = System.nanoTime();
        policy.committed(now);
        metrics.nanos(IngestMetrics.Timer.COMMIT).add(now - t0);
        log.debug("committed: {} documents written so far", checkpoint.indexed());
    }
}
