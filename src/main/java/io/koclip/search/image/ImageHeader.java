package io.koclip.search.image;

/**
 * What an image's header says, read without decoding any pixel.
 *
 * @param format the format recognised from the magic bytes
 * @param width stored width in pixels, before any EXIF orientation is applied
 * @param height stored height in pixels, before any EXIF orientation is applied
 */
public record ImageHeader(ImageFormat format, int width, int height) {
    public ImageHeader {
        if (format == null) {
            throw new IllegalArgumentException("format: null");
        }
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("size: " + width + "x" + height + " must be at least 1x1");
        }
    }

    /** Pixel count; a long because {@code width * height} overflows an int past 46341². */
    public long pixels() {
        return (long) width * height;
    }
}
