package io.koclip.search.bench;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes {@code .fvecs} and reads/writes {@code .ivecs} files (TEXMEX format: per record a
 * little-endian int32 count, then that many float32 or int32 values). Large fvecs files are read with
 * {@link FvecsFile}; ivecs files here are truth tables (queries × k) and small.
 */
final class VectorFiles {
    private VectorFiles() {}

    static void writeFvecs(Path file, float[][] vectors) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            for (float[] v : vectors) {
                ByteBuffer record = ByteBuffer.allocate(4 + 4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
                record.putInt(v.length);
                for (float x : v) {
                    record.putFloat(x);
                }
                out.write(record.array());
            }
        }
    }

    static void writeIvecs(Path file, int[][] rows) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            for (int[] row : rows) {
                ByteBuffer record = ByteBuffer.allocate(4 + 4 * row.length).order(ByteOrder.LITTLE_ENDIAN);
                record.putInt(row.length);
                for (int x : row) {
                    record.putInt(x);
                }
                out.write(record.array());
            }
        }
    }

    /** Every row of an ivecs file; rows may differ in length. */
    static int[][] readIvecs(Path file) throws IOException {
        List<int[]> rows = new ArrayList<>();
        try (InputStream in = new java.io.BufferedInputStream(Files.newInputStream(file), 1 << 16);
                DataInputStream data = new DataInputStream(in)) {
            byte[] four = new byte[4];
            while (true) {
                try {
                    data.readFully(four);
                } catch (EOFException e) {
                    break;
                }
                int length =
                        ByteBuffer.wrap(four).order(ByteOrder.LITTLE_ENDIAN).getInt();
                if (length < 0 || length > 1_000_000) {
                    throw new IllegalArgumentException(
                            file + ": not an ivecs file: row " + rows.size() + " has length " + length);
                }
                byte[] body = new byte[4 * length];
                data.readFully(body);
                int[] row = new int[length];
                ByteBuffer.wrap(body)
                        .order(ByteOrder.LITTLE_ENDIAN)
                        .asIntBuffer()
                        .get(row);
                rows.add(row);
            }
        }
        return rows.toArray(int[][]::new);
    }
}
