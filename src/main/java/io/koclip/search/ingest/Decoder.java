package io.koclip.search.ingest;

import io.koclip.search.image.DecodedImage;
import io.koclip.search.image.ImageDecoder;
import io.koclip.search.image.ImageRejectedException;
import java.time.Duration;

/** Decoding as the pipeline uses it: the image package's decoder in production, a fake in tests. */
@FunctionalInterface
interface Decoder {
    /**
     * Decodes one file's bytes into an upright RGB image.
     *
     * @param budget the time budget of this decode; the pipeline also abandons a decode that overruns it
     */
    DecodedImage decode(byte[] bytes, Duration budget) throws ImageRejectedException;

    /**
     * Heap that decoding these bytes takes at most, in bytes; from the header when the decoder can
     * read it. Never throws: a file whose header is unreadable will fail fast anyway.
     */
    default long decodeMemoryEstimate(byte[] bytes) {
        // Without a header: compressed images are rarely smaller than 1/24 of 8 bytes per pixel.
        return (long) bytes.length * 24;
    }

    static Decoder of(ImageDecoder decoder) {
        return (bytes, budget) -> decoder.decode(bytes);
    }
}
