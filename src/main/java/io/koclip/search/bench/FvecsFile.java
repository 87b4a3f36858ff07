package io.koclip.search.bench;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A memory-mapped {@code .fvecs} file (TEXMEX format): each record is a little-endian int32
 * dimension {@code d} followed by {@code d} float32 values; every record has the same {@code d}.
 * Nothing is read into the heap until {@link #read} copies one vector, so a 1M × 512 file (2 GB)
 * costs page cache, not heap. Files over 2 GB are mapped in several windows, each holding whole
 * records.
 *
 * <p>Thread-safe: reads use absolute positions on read-only buffers.
 */
final class FvecsFile implements Closeable {
    private final Path path;
    private final FileChannel channel;
    private final int dimension;
    private final int count;
    private final int recordBytes;
    private final int recordsPerWindow;
    private final MappedByteBuffer[] windows;

    private FvecsFile(Path path, FileChannel channel, int dimension, int count, int maxWindowBytes) throws IOException {
        this.path = path;
        this.channel = channel;
        this.dimension = dimension;
        this.count = count;
        this.recordBytes = 4 + 4 * dimension;
        this.recordsPerWindow = Math.max(1, maxWindowBytes / recordBytes);
        int windowCount = count == 0 ? 0 : (count - 1) / recordsPerWindow + 1;
        this.windows = new MappedByteBuffer[windowCount];
        for (int w = 0; w < windowCount; w++) {
            long first = (long) w * recordsPerWindow;
            long records = Math.min(recordsPerWindow, count - first);
            windows[w] = channel.map(FileChannel.MapMode.READ_ONLY, first * recordBytes, records * recordBytes);
            windows[w].order(ByteOrder.LITTLE_ENDIAN);
        }
    }

    /**
     * Opens and checks the file: the first record's dimension must be in [1, 65536] and the size a
     * whole number of records.
     *
     * @throws IllegalArgumentException if the file is not an fvecs file
     */
    static FvecsFile open(Path path) throws IOException {
        return open(path, Integer.MAX_VALUE);
    }

    /** As {@link #open(Path)}, with mapped windows of at most {@code maxWindowBytes} (tests use small ones). */
    static FvecsFile open(Path path, int maxWindowBytes) throws IOException {
        FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
        try {
            long size = channel.size();
            if (size == 0) {
                return new FvecsFile(path, channel, 0, 0, maxWindowBytes);
            }
            ByteBuffer head = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
            channel.read(head, 0);
            int dimension = head.getInt(0);
            if (dimension < 1 || dimension > 65536) {
                throw new IllegalArgumentException(
                        path + ": not an fvecs file: first record's dimension is " + dimension);
            }
            long recordBytes = 4 + 4L * dimension;
            if (size % recordBytes != 0) {
                throw new IllegalArgumentException(path + ": not an fvecs file: " + size
                        + " bytes is not a whole number of " + recordBytes + "-byte records (dimension "
                        + dimension + ")");
            }
            long count = size / recordBytes;
            if (count > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(path + ": " + count + " vectors is more than this reader takes");
            }
            return new FvecsFile(path, channel, dimension, (int) count, maxWindowBytes);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    Path path() {
        return path;
    }

    /** Values per vector (0 for an empty file). */
    int dimension() {
        return dimension;
    }

    /** Number of vectors. */
    int count() {
        return count;
    }

    /** Copies vector {@code index} into {@code into} (length {@link #dimension()}) and returns it. */
    float[] read(int index, float[] into) {
        if (index < 0 || index >= count) {
            throw new IndexOutOfBoundsException("vector " + index + " of " + count + " in " + path);
        }
        if (into.length != dimension) {
            throw new IllegalArgumentException(
                    "buffer length " + into.length + " differs from the file's dimension " + dimension);
        }
        MappedByteBuffer window = windows[index / recordsPerWindow];
        int offset = (index % recordsPerWindow) * recordBytes;
        int stored = window.getInt(offset);
        if (stored != dimension) {
            throw new IllegalStateException(
                    path + ": record " + index + " has dimension " + stored + ", the first has " + dimension);
        }
        window.slice(offset + 4, 4 * dimension)
                .order(ByteOrder.LITTLE_ENDIAN)
                .asFloatBuffer()
                .get(0, into);
        return into;
    }

    /** A new array holding vector {@code index}. */
    float[] read(int index) {
        return read(index, new float[dimension]);
    }

    /** Every vector in a new {@code [count][dimension]} array: for query files, which are small. */
    float[][] readAll() {
        float[][] all = new float[count][];
        for (int i = 0; i < count; i++) {
            all[i] = read(i);
        }
        return all;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
