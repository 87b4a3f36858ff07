package io.koclip.search.eval;

import io.koclip.search.model.ClipModel;
import io.koclip.search.model.ModelBundle;
import io.koclip.search.model.ModelOptions;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.jspecify.annotations.Nullable;

/**
 * Image embeddings on disk, so comparing settings on a large set never re-encodes its images.
 *
 * <p>Layout: {@code <root>/<model key>/<sha[0..2]>/<sha>.f32}, where {@code sha} is the SHA-256 of the
 * image file's bytes and the model key is the bundle fingerprint (which covers its main graphs,
 * preprocessing and tokenizer), plus for a precision variant its name and the first 16 hex digits of
 * the SHA-256 of its image graph (the fingerprint leaves variants out). A file holds the unit vector as
 * {@code dim} little-endian float32 values; a file of another length is ignored and rewritten. Writes
 * go to a temporary file first and are moved into place, so a crash leaves no half-written vector.
 *
 * <p>Thread-safe: every call works on its own files; concurrent writers of the same vector write the
 * same bytes.
 */
public final class EmbeddingCache {
    private final Path folder;
    private final int dim;

    private EmbeddingCache(Path folder, int dim) {
        this.folder = folder;
        this.dim = dim;
    }

    /** The cache of {@code model}'s image vectors (loaded with {@code options}) under {@code root}. */
    public static EmbeddingCache open(Path root, ClipModel model, ModelOptions options) throws IOException {
        ModelBundle bundle = model.bundle();
        String key = bundle.fingerprint();
        String variant = options.variant();
        if (variant != null && !variant.isBlank() && !variant.equals("default")) {
            String graph = ClipModel.graphFile(bundle, ClipModel.Tower.IMAGE, options);
            key += "-" + variant.replaceAll("[^A-Za-z0-9_.-]", "_") + "-"
                    + sha256(bundle.files().read(graph)).substring(0, 16);
        }
        Path folder = root.resolve(key);
        Files.createDirectories(folder);
        return new EmbeddingCache(folder, bundle.embeddingDim());
    }

    public Path folder() {
        return folder;
    }

    /** The cached vector of the image whose bytes hash to {@code sha256}, or null. */
    public float @Nullable [] get(String sha256) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file(sha256));
        } catch (NoSuchFileException e) {
            return null;
        }
        if (bytes.length != dim * Float.BYTES) {
            return null;
        }
        float[] vector = new float[dim];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(vector);
        for (float v : vector) {
            if (!Float.isFinite(v)) {
                return null;
            }
        }
        return vector;
    }

    public void put(String sha256, float[] vector) throws IOException {
        if (vector.length != dim) {
            throw new IllegalArgumentException("vector dimension: " + vector.length + " differs from " + dim);
        }
        Path target = file(sha256);
        Files.createDirectories(target.getParent());
        ByteBuffer bytes = ByteBuffer.allocate(dim * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(vector);
        Path temp = Files.createTempFile(target.getParent(), sha256, ".tmp");
        try {
            Files.write(temp, bytes.array());
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private Path file(String sha256) {
        if (!sha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("sha256: '" + sha256 + "' is not 64 lower-case hex digits");
        }
        return folder.resolve(sha256.substring(0, 2)).resolve(sha256 + ".f32");
    }

    /** Lower-case hex SHA-256 of {@code bytes}. */
    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
