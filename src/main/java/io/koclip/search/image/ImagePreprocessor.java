package io.koclip.search.image;

import java.awt.image.BufferedImage;

/**
 * Turns an RGB image into the model's input tensor following a {@link PreprocessSpec}: resize
 * (PIL-equivalent antialiased filter), centre crop, scale to [0, 1], normalize per channel.
 * Thread-safe: immutable.
 */
public final class ImagePreprocessor {
    private final PreprocessSpec spec;

    public ImagePreprocessor(PreprocessSpec spec) {
        this.spec = spec;
    }

    public PreprocessSpec spec() {
        return spec;
    }

    /** Returns {@code [3, size, size]} CHW floats, normalized with the spec's mean/std. */
    public float[] toTensor(BufferedImage rgb) {
        throw new UnsupportedOperationException("implemented by the image package work");
    }
}
