package io.koclip.search.eval;

import io.koclip.search.image.ImageDecoder;
import io.koclip.search.image.ImageRejectedException;
import io.koclip.search.model.ClipModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jspecify.annotations.Nullable;

/**
 * The image embeddings of a caption set under one model: read, hash, decode and preprocess on a few
 * threads, encode in batches, look up and fill the {@link EmbeddingCache}. An image that is missing or
 * cannot be decoded is a failure message and a null vector, never the end of the run.
 *
 * <p>Not thread-safe: one call at a time (it owns its decoding threads for the call).
 */
public final class ImageEmbeddings {
    /**
     * @param vectors one unit vector per image, null where the image failed
     * @param failures one message per failed image
     * @param cached how many vectors came from the cache
     * @param seconds wall time of the whole stage
     */
    public record Result(float[] @Nullable [] vectors, List<String> failures, int cached, double seconds) {
        public Result {
            failures = List.copyOf(failures);
        }

        /** Images encoded by the model in this run (not from the cache). */
        public int encoded() {
            int ok = 0;
            for (float[] v : vectors) {
                ok += v == null ? 0 : 1;
            }
            return ok - cached;
        }
    }

    private final ClipModel model;
    private final ImageDecoder decoder;
    private final int batch;
    private final int threads;

    /**
     * @param batch images per encoder call
     * @param threads decoding threads
     */
    public ImageEmbeddings(ClipModel model, ImageDecoder decoder, int batch, int threads) {
        if (batch < 1 || threads < 1) {
            throw new IllegalArgumentException(
                    "batch: " + batch + ", threads: " + threads + "; both must be at least 1");
        }
        this.model = model;
        this.decoder = decoder;
        this.batch = batch;
        this.threads = threads;
    }

    /** What one image turned into before encoding. */
    private record Prepared(
            @Nullable String sha256,
            float @Nullable [] cached,
            float @Nullable [] tensor,
            @Nullable String failure) {}

    public Result compute(List<EvalImage> images, @Nullable EmbeddingCache cache, EvalProgress progress)
            throws IOException {
        long start = System.nanoTime();
        float[][] vectors = new float[images.size()][];
        List<String> failures = new ArrayList<>();
        int cached = 0;
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            for (int first = 0; first < images.size(); first += batch) {
                int end = Math.min(images.size(), first + batch);
                List<Future<Prepared>> futures = new ArrayList<>();
                for (int i = first; i < end; i++) {
                    EvalImage image = images.get(i);
                    futures.add(pool.submit(() -> prepare(image, cache)));
                }
                List<float[]> tensors = new ArrayList<>();
                List<Integer> encodedIndex = new ArrayList<>();
                List<String> encodedSha = new ArrayList<>();
                for (int i = first; i < end; i++) {
                    Prepared p = join(futures.get(i - first));
                    if (p.failure() != null) {
                        failures.add(p.failure());
                    } else if (p.cached() != null) {
                        vectors[i] = p.cached();
                        cached++;
                    } else {
                        tensors.add(p.tensor());
                        encodedIndex.add(i);
                        encodedSha.add(p.sha256());
                    }
                }
                float[][] encoded = model.images().encodeTensors(tensors);
                for (int j = 0; j < encoded.length; j++) {
                    vectors[encodedIndex.get(j)] = encoded[j];
                    if (cache != null) {
                        cache.put(encodedSha.get(j), encoded[j]);
                    }
                }
                progress.advance(end);
            }
        }
        return new Result(vectors, failures, cached, (System.nanoTime() - start) / 1e9);
    }

    private Prepared prepare(EvalImage image, @Nullable EmbeddingCache cache) throws IOException {
        Path file = image.file();
        String what = "image " + image.key() + " (" + file + ")";
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return new Prepared(null, null, null, what + ": no such file; left out with its captions");
        } catch (IOException e) {
            return new Prepared(
                    null, null, null, what + ": cannot read: " + e.getMessage() + "; left out with its captions");
        }
        String sha = cache == null ? null : EmbeddingCache.sha256(bytes);
        if (cache != null) {
            float[] hit = cache.get(sha);
            if (hit != null) {
                return new Prepared(sha, hit, null, null);
            }
        }
        try {
            float[] tensor =
                    model.images().preprocessor().toTensor(decoder.decode(bytes).rgb());
            return new Prepared(sha, null, tensor, null);
        } catch (ImageRejectedException e) {
            return new Prepared(sha, null, null, what + ": " + e.getMessage() + "; left out with its captions");
        }
    }

    private static Prepared join(Future<Prepared> future) throws IOException {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while decoding images", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException("image preparation failed: " + e.getCause(), e.getCause());
        }
    }
}
