package io.koclip.search.image;

/** The header claims more pixels than the configured cap; raised before any pixel is decoded. */
public final class ImageTooLargeException extends ImageRejectedException {
    private final long width;
    private final long height;
    private final long maxPixels;

    public ImageTooLargeException(long width, long height, long maxPixels) {
        super(
                Reason.TOO_LARGE,
                "image is " + width + "x" + height + " = " + (width * height) + " pixels, over the cap of " + maxPixels
                        + " pixels");
        this.width = width;
        this.height = height;
        this.maxPixels = maxPixels;
    }

    public long width() {
        return width;
    }

    public long height() {
        return height;
    }

    public long maxPixels() {
        return maxPixels;
    }
}
