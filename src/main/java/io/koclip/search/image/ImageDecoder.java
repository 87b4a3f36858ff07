package io.koclip.search.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Decodes image files and uploads into upright 8-bit RGB, refusing anything over a pixel cap
 * before decoding it. Thread-safe: holds only immutable configuration.
 */
public final class ImageDecoder {
    /** Default cap: 100 megapixels. */
    public static final long DEFAULT_MAX_PIXELS = 100_000_000L;

    private final long maxPixels;

    public ImageDecoder(long maxPixels) {
        if (maxPixels < 1) {
            throw new IllegalArgumentException("maxPixels: " + maxPixels + " must be >= 1");
        }
        this.maxPixels = maxPixels;
    }

    public long maxPixels() {
        return maxPixels;
    }

    /** Decodes a file. */
    public DecodedImage decode(Path file) throws IOException, ImageRejectedException {
        return decode(Files.readAllBytes(file));
    }

    /** Decodes bytes held in memory (an upload). */
    public DecodedImage decode(byte[] bytes) throws ImageRejectedException {
        throw new UnsupportedOperationException("implemented by the image package work");
    }
}
