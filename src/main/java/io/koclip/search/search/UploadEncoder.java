package io.koclip.search.search;

import io.koclip.search.image.DecodedImage;
import io.koclip.search.image.ImageDecoder;
import io.koclip.search.image.ImagePreprocessor;
import io.koclip.search.image.ImageRejectedException;
import io.koclip.search.model.ClipModel;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.List;

/**
 * Uploaded images to embeddings: decoding (pixel cap and time budget of {@link ImageDecoder}) and
 * the image encoder, both under one {@link InferenceLimiter} permit, so an upload never waits for a
 * permit between its two CPU-bound steps.
 *
 * <p>Metrics: timer {@code koclip.encoder{tower=image}} around each image-encoder call.
 *
 * <p>Thread-safe: holds only thread-safe collaborators.
 */
public final class UploadEncoder {
    private final ClipModel model;
    private final InferenceLimiter limiter;
    private final ImageDecoder decoder;
    private final Timer encodeTimer;

    public UploadEncoder(ClipModel model, InferenceLimiter limiter, ImageDecoder decoder, MeterRegistry registry) {
        this.model = model;
        this.limiter = limiter;
        this.decoder = decoder;
        this.encodeTimer = Timer.builder("koclip.encoder")
                .tag("tower", "image")
                .description("Image encoder calls (one batch)")
                .register(registry);
    }

    /** Work on a decoded upload, run under the upload's inference permit. */
    @FunctionalInterface
    public interface DecodedWork<T> {
        T apply(DecodedImage image);
    }

    /** The embedding of an uploaded image: a unit vector owned by the caller. */
    public float[] embed(byte[] upload) throws ImageRejectedException {
        return withDecoded(
                upload, image -> encodeTimer.record(() -> model.images().encode(image.rgb())));
    }

    /**
     * Decodes {@code upload} and runs {@code work} on it, both under one inference permit. The work may
     * call {@link #encodeTensors} (a batch of crops, say).
     */
    public <T> T withDecoded(byte[] upload, DecodedWork<T> work) throws ImageRejectedException {
        return limiter.call(() -> work.apply(decoder.decode(upload)));
    }

    /** The model's preprocessing, to build tensors for {@link #encodeTensors}. */
    public ImagePreprocessor preprocessor() {
        return model.images().preprocessor();
    }

    /**
     * One encoder call for preprocessed tensors; meant for {@link #withDecoded} work, which holds the
     * permit.
     *
     * @param tensors each {@code [3, size, size]}, CHW, from {@link #preprocessor()}
     * @return one unit vector per tensor, in order
     */
    public float[][] encodeTensors(List<float[]> tensors) {
        return encodeTimer.record(() -> model.images().encodeTensors(tensors));
    }
}
