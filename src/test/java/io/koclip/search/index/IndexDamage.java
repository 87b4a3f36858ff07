package io.koclip.search.index;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Damages an index on disk the way a bad disk would, for tests of {@link LuceneIndexes#check}. */
public final class IndexDamage {
    private IndexDamage() {}

    /**
     * Flips every bit of one byte in the middle of the index's biggest segment file (not the
     * {@code segments_N} commit point, not the lock): the index still opens, checksums catch it.
     */
    public static void corruptBiggestFile(Path index) throws IOException {
        Path biggest;
        try (Stream<Path> files = Files.list(index)) {
            biggest = files.filter(p -> !p.getFileName().toString().startsWith("segments"))
                    .filter(p -> !p.getFileName().toString().equals("write.lock"))
                    .max(Comparator.comparingLong(p -> p.toFile().length()))
                    .orElseThrow();
        }
        try (RandomAccessFile file = new RandomAccessFile(biggest.toFile(), "rw")) {
            long at = file.length() / 2;
            file.seek(at);
            int b = file.read();
            file.seek(at);
            file.write(b ^ 0xFF);
        }
    }
}
