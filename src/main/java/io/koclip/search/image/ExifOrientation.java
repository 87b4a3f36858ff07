package io.koclip.search.image;

import com.drew.imaging.jpeg.JpegMetadataReader;
import com.drew.imaging.png.PngMetadataReader;
import com.drew.imaging.tiff.TiffMetadataReader;
import com.drew.imaging.webp.WebpMetadataReader;
import com.drew.lang.ByteArrayReader;
import com.drew.metadata.Metadata;
import com.drew.metadata.exif.ExifIFD0Directory;
import com.drew.metadata.exif.ExifReader;
import java.io.ByteArrayInputStream;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * EXIF orientation (tag 0x0112): reading it with metadata-extractor and applying it to packed RGB,
 * with the transposes of PIL's {@code ImageOps.exif_transpose}:
 *
 * <pre>
 * 1 as stored          2 mirror left-right      3 rotate 180         4 mirror top-bottom
 * 5 transpose          6 rotate 90° clockwise   7 transverse         8 rotate 90° counter-clockwise
 * </pre>
 *
 * Values 5 to 8 swap width and height. A missing, unreadable or out-of-range tag means 1: a damaged
 * EXIF block never rejects an image whose pixels decode.
 *
 * <p>Thread-safe: stateless.
 */
final class ExifOrientation {
    static final int UPRIGHT = 1;

    private ExifOrientation() {}

    /** The orientation recorded in the file's EXIF (JPEG APP1, PNG eXIf, WebP EXIF, TIFF IFD0), or 1. */
    static int read(ImageFormat format, byte[] bytes) {
        try {
            @Nullable
            Metadata metadata = switch (format) {
                // Only the EXIF segment reader: skips XMP, ICC, IPTC parsing.
                case JPEG ->
                    JpegMetadataReader.readMetadata(new ByteArrayInputStream(bytes), List.of(new ExifReader()));
                case PNG -> PngMetadataReader.readMetadata(new ByteArrayInputStream(bytes));
                case WEBP -> WebpMetadataReader.readMetadata(new ByteArrayInputStream(bytes));
                case TIFF -> TiffMetadataReader.readMetadata(new ByteArrayReader(bytes));
                // HEIF: libheif applies irot/imir itself; EXIF orientation is informative only (ISO/IEC 23008-12),
                // and applying it too would turn an iPhone photo twice.
                case GIF, BMP, HEIC, AVIF -> null;
            };
            if (metadata == null) {
                return UPRIGHT;
            }
            ExifIFD0Directory ifd0 = metadata.getFirstDirectoryOfType(ExifIFD0Directory.class);
            if (ifd0 == null || !ifd0.containsTag(ExifIFD0Directory.TAG_ORIENTATION)) {
                return UPRIGHT;
            }
            Integer value = ifd0.getInteger(ExifIFD0Directory.TAG_ORIENTATION);
            return value != null && value >= 1 && value <= 8 ? value : UPRIGHT;
        } catch (Exception | StackOverflowError e) {
            // Damaged metadata: PIL's exif_transpose would find no usable tag either.
            return UPRIGHT;
        }
    }

    /** Whether {@code orientation} swaps width and height. */
    static boolean swapsAxes(int orientation) {
        return orientation >= 5 && orientation <= 8;
    }

    /**
     * Applies {@code orientation} to packed RGB {@code [height][width]}; returns {@code rgb} itself
     * for 1, else a new array of the upright image ({@code [width][height]} when the axes swap).
     */
    static int[] apply(int[] rgb, int width, int height, int orientation) {
        if (orientation < 1 || orientation > 8) {
            throw new IllegalArgumentException("orientation: " + orientation + " is not in [1, 8]");
        }
        if (rgb.length != (long) width * height) {
            throw new IllegalArgumentException(
                    "rgb: " + rgb.length + " pixels, expected " + width + "x" + height + " = " + (long) width * height);
        }
        if (orientation == UPRIGHT) {
            return rgb;
        }
        int[] out = new int[rgb.length];
        switch (orientation) {
            case 2 -> {
                for (int y = 0; y < height; y++) {
                    int row = y * width;
                    for (int x = 0; x < width; x++) {
                        out[row + x] = rgb[row + width - 1 - x];
                    }
                }
            }
            case 3 -> {
                for (int i = 0, n = rgb.length; i < n; i++) {
                    out[i] = rgb[n - 1 - i];
                }
            }
            case 4 -> {
                for (int y = 0; y < height; y++) {
                    System.arraycopy(rgb, (height - 1 - y) * width, out, y * width, width);
                }
            }
            default -> {
                // 5-8: output is height wide and width tall; out(x, y) reads in(sx, sy).
                int outWidth = height;
                for (int y = 0; y < width; y++) {
                    for (int x = 0; x < outWidth; x++) {
                        int sx;
                        int sy;
                        switch (orientation) {
                            case 5 -> { // transpose
                                sx = y;
                                sy = x;
                            }
                            case 6 -> { // rotate 90° clockwise
                                sx = y;
                                sy = height - 1 - x;
                            }
                            case 7 -> { // transverse
                                sx = width - 1 - y;
                                sy = height - 1 - x;
                            }
                            default -> { // 8: rotate 90° counter-clockwise
                                sx = width - 1 - y;
                                sy = x;
                            }
                        }
                        out[y * outWidth + x] = rgb[sy * width + sx];
                    }
                }
            }
        }
        return out;
    }
}
