package io.koclip.search.ingest;

import io.koclip.search.image.DecodedImage;
import io.koclip.search.image.ImageDecoder;
import io.koclip.search.image.ImageHeader;
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

    /**
     * The image package's decoder. Memory per {@link ImageDecoder}'s javadoc: about 8 bytes per pixel
     * (the reader's raster plus packed RGB) plus the file's bytes, estimated from a header probe.
     */
    static Decoder of(ImageDecoder decoder) {
        return new Decoder() {
            @Override
            public DecodedImage decode(byte[] bytes, Duration budget) throws ImageRejectedException {
                return decoder.decode(bytes, budget);
            }

            @Override
            public long decodeMemoryEstimate(byte[] bytes) {
                try {
                    ImageHeader header = decoder.probe(bytes);
                    // Over the cap, decode refuses from the header before allocating any pixel.
                    return header.pixels() > decoder.maxPixels() ? bytes.length : 8 * header.pixels() + bytes.length;
                } catch (ImageRejectedException | RuntimeException e) {
                    return bytes.length;
                }
            }
        };
    }
}
