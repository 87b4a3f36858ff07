package io.koclip.search.image;

import java.awt.image.BufferedImage;

/**
 * A decoded image, upright (EXIF orientation applied) and in 8-bit RGB.
 *
 * @param rgb pixels as {@link BufferedImage#TYPE_INT_RGB}; owned by the caller
 * @param format the detected format ({@code jpeg}, {@code png}, {@code webp}, {@code gif}, {@code bmp},
 *     {@code tiff}, {@code heic}, {@code avif})
 * @param width width of {@code rgb} (after orientation), in pixels
 * @param height height of {@code rgb} (after orientation), in pixels
 * @param originalWidth the file's upright width: larger than {@code width} when the decoder shrank the
 *     image on load ({@link DecodeOptions.Shrink#FAST}); what an index should record
 * @param originalHeight the file's upright height, likewise
 */
public record DecodedImage(
        BufferedImage rgb, String format, int width, int height, int originalWidth, int originalHeight) {

    /** A decode at full size: the original size is the decoded size. */
    public DecodedImage(BufferedImage rgb, String format, int width, int height) {
        this(rgb, format, width, height, width, height);
    }

    /** Whether the decoder shrank the image on load (the pixels are fewer than the file's). */
    public boolean shrunk() {
        return width != originalWidth || height != originalHeight;
    }
}
