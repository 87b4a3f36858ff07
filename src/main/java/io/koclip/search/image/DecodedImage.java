package io.koclip.search.image;

import java.awt.image.BufferedImage;

/**
 * A decoded image, upright (EXIF orientation applied) and in 8-bit RGB.
 *
 * @param rgb pixels as {@link BufferedImage#TYPE_INT_RGB}; owned by the caller
 * @param format the detected format ({@code jpeg}, {@code png}, {@code webp}, {@code gif}, {@code bmp}, {@code tiff})
 * @param width width after orientation, in pixels
 * @param height height after orientation, in pixels
 */
public record DecodedImage(BufferedImage rgb, String format, int width, int height) {}
