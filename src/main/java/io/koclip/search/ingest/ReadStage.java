package io.koclip.search.ingest;

import io.koclip.search.index.DocumentIds;
import io.koclip.search.index.ImageDocument;
import io.koclip.search.index.IndexedFile;
import io.koclip.search.index.VectorIndex;
import io.koclip.search.text.ExtractedText;
import io.koclip.search.text.ImageTextReader;
import io.koclip.search.text.TextSource;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Stage 2, on the worker threads: decides what happens to one scanned file. Looks it up in the index
 * (batched on the scan thread by {@link IndexLookup}; same path, size and mtime: {@code unchanged}, not even read, unless its text sources changed),
 * enforces the byte cap, reads and hashes it (SHA-256), gathers its text ({@link ImageTextReader}:
 * embedded metadata, sidecars, path words, captions; problems are report warnings), and claims the hash
 * in the {@link ContentTable}: bytes already embedded become a {@link WriteStage.Copy} for the writer,
 * bytes another worker is processing wait for it, new bytes go on to decoding as a {@link Hashed} file.
 *
 * <p>Text without encoding: every document stores the {@link ImageTextReader#sourcesStamp stamp} of its
 * text sources (sidecar names, sizes and times; captions). An unchanged file whose stamp differs (a
 * sidecar edited, a caption changed, a document written before text sources) is read for its embedded
 * text and re-indexed with its stored vector; the image is neither decoded nor encoded.
 *
 * <p>Thread-safe: stateless apart from the thread-safe index, table, reader and metrics.
 */
final class ReadStage {
    /** A file whose bytes nobody has embedded yet: this worker leads them through decode and encode. */
    record Hashed(PendingFile file, String hash, byte[] bytes) {}

    private final VectorIndex index;
    private final IndexLookup lookup;
    private final ContentReader reader;
    private final ContentTable contents;
    private final Failures failures;
    private final IngestMetrics metrics;
    private final Handoff<WriteStage.Write> writes;
    private final long maxFileBytes;
    private final ImageTextReader text;

    ReadStage(
            VectorIndex index,
            IndexLookup lookup,
            ContentReader reader,
            ContentTable contents,
            Failures failures,
            IngestMetrics metrics,
            Handoff<WriteStage.Write> writes,
            long maxFileBytes,
            ImageTextReader text) {
        this.index = index;
        this.lookup = lookup;
        this.reader = reader;
        this.contents = contents;
        this.failures = failures;
        this.metrics = metrics;
        this.writes = writes;
        this.maxFileBytes = maxFileBytes;
        this.text = text;
    }

    /**
     * @return the file to decode, or null when this file needs nothing more from this worker (unchanged,
     *     failed, copied, or following another file with the same bytes)
     */
    @Nullable
    Hashed read(SourceScanner.ScannedFile scanned) throws IOException, InterruptedException {
        String id = DocumentIds.forPath(scanned.relativePath());
        IndexedFile existing = lookup.take(id).orElse(null);
        String stamp = text.sourcesStamp(scanned.relativePath(), scanned.file());
        if (existing != null
                && existing.bytes() == scanned.size()
                && existing.modified() == scanned.modified()
                && existing.path().equals(scanned.relativePath())) {
            if (stamp.equals(existing.textStamp()) || !retext(scanned, id, stamp)) {
                metrics.unchanged.incrementAndGet(); // a re-texted file counts as written (a copy)
            }
            return null;
        }
        PendingFile file = new PendingFile(scanned, id, existing != null, Map.of(), stamp);
        if (scanned.size() > maxFileBytes) {
            failures.file(
                    file,
                    IngestFailure.Code.FILE_TOO_LARGE,
                    "file is " + scanned.size() + " bytes, over the cap of " + maxFileBytes + " bytes");
            return null;
        }
        long t0 = System.nanoTime();
        byte[] bytes;
        try {
            bytes = reader.read(scanned.file());
        } catch (IOException e) {
            failures.file(file, IngestFailure.Code.UNREADABLE, Failures.describe(e));
            return null;
        } catch (OutOfMemoryError e) {
            failures.file(
                    file, IngestFailure.Code.FILE_TOO_LARGE, "not enough memory to read " + scanned.size() + " bytes");
            return null;
        }
        String hash = sha256(bytes);
        metrics.addSince(IngestMetrics.Timer.READ, t0);
        file = file.withText(extract(scanned, bytes));

        return switch (contents.claim(hash, file)) {
            case ContentTable.Known known -> {
                writes.put(new WriteStage.Copy(copy(file, hash, bytes.length, known.source())), null);
                yield null;
            }
            case ContentTable.Follower follower -> null;
            case ContentTable.Leader leader -> new Hashed(file, hash, bytes);
        };
    }

    /** The text of the file by source; its problems become report warnings. */
    private Map<TextSource, String> extract(SourceScanner.ScannedFile scanned, byte[] bytes) {
        ExtractedText extracted = text.read(scanned.relativePath(), scanned.file(), bytes);
        extracted.warnings().forEach(w -> metrics.warning(scanned.relativePath(), w));
        return extracted.text().fields();
    }

    /**
     * An unchanged file whose text sources changed: reads it for its embedded text (no decode) and has
     * the writer re-index the document with the new text and its stored vector.
     *
     * @return false when nothing was written (the file cannot be read now, or the document is gone)
     */
    private boolean retext(SourceScanner.ScannedFile scanned, String id, String stamp)
            throws IOException, InterruptedException {
        if (scanned.size() > maxFileBytes) {
            return false;
        }
        ImageDocument indexed = index.get(id).orElse(null);
        if (indexed == null) {
            return false;
        }
        long t0 = System.nanoTime();
        byte[] bytes;
        try {
            bytes = reader.read(scanned.file());
        } catch (IOException | OutOfMemoryError e) {
            metrics.warning(scanned.relativePath(), "its text was not updated: the file could not be read again: " + e);
            return false;
        }
        metrics.addSince(IngestMetrics.Timer.READ, t0);
        writes.put(new WriteStage.Copy(indexed.withText(extract(scanned, bytes), stamp)), null);
        metrics.textUpdated.incrementAndGet();
        return true;
    }

    /** The document of {@code file}, whose bytes are those of {@code source}: same vector, size and format. */
    static ImageDocument copy(PendingFile file, String hash, long bytes, ImageDocument source) {
        return new ImageDocument(
                file.id(),
                file.path(),
                hash,
                source.width(),
                source.height(),
                bytes,
                file.modified(),
                source.format(),
                file.text(),
                file.textStamp(),
                source.vector());
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
