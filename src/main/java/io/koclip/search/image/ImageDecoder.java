package io.koclip.search.image;

import io.koclip.search.image.ImageRejectedException.Reason;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.awt.image.DirectColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import javax.imageio.IIOException;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.jspecify.annotations.Nullable;

/**
 * Decodes image files and uploads into upright 8-bit RGB, refusing anything over a pixel cap
 * before decoding it, and anything that takes longer than a time budget.
 *
 * <p>What a decode does, in order:
 *
 * <ol>
 *   <li>recognise the format from the magic bytes ({@link ImageFormat#detect}), never the name;
 *   <li>check the container (PNG chunk CRCs and completeness, GIF first frame complete, WebP RIFF
 *       sizes), so truncated files are refused instead of decoded half grey;
 *   <li>read width and height from the header alone ({@code ImageReader.getWidth/getHeight}) and
 *       refuse more than {@link #maxPixels()} pixels with {@link ImageTooLargeException} before any
 *       pixel buffer is allocated;
 *   <li>decode with libvips when it is installed (see {@link DecodeOptions}): JPEG with gray,
 *       YCbCr or RGB samples, optionally shrunk on load, and HEIC/AVIF (whose header is read by
 *       {@link HeifLayout} for step 3); otherwise, and for every other format, with ImageIO
 *       (TwelveMonkeys readers for JPEG, TIFF, WebP; the JDK's for PNG, GIF, BMP); GIF: the first
 *       frame, placed on its logical screen as PIL does; multi-page TIFF: the first page;
 *   <li>convert the raw samples to RGB like PIL's {@code convert("RGB")} (see {@link RgbConverter}:
 *       alpha dropped, not composited; 16-bit by the high byte); JPEG samples with libjpeg's own
 *       integer YCbCr/YCCK conversion and PIL's CMYK formula (see {@link JpegColor}); embedded ICC
 *       profiles are ignored, as PIL ignores them;
 *   <li>apply the EXIF orientation (JPEG, PNG, WebP, TIFF).
 * </ol>
 *
 * Every failure is an {@link ImageRejectedException} with a {@link Reason} and a message naming
 * what failed ({@code "corrupt png: CRC error in chunk IDAT at byte 33"}); decoder exceptions of any
 * kind (including {@code RuntimeException}s and {@code OutOfMemoryError} from hostile data) never
 * escape. The time budget is enforced as {@link DecodeDeadline} describes.
 *
 * <p>Memory: a decode holds the file bytes, the decoder's raster (1 to 8 bytes per pixel) and the
 * packed RGB result (4 bytes per pixel) at once: about 8 bytes per pixel for an 8-bit RGB image.
 *
 * <p>The libvips path's pixels are native memory (about 3 bytes per pixel, freed before the call
 * returns) plus the packed RGB result.
 *
 * <p>Thread-safe: holds only immutable configuration; every call uses its own reader or libvips image.
 */
public final class ImageDecoder {
    /** Default cap: 100 megapixels. */
    public static final long DEFAULT_MAX_PIXELS = 100_000_000L;

    /** Default time budget of one decode: ample for 100 megapixels on one slow core. */
    public static final Duration DEFAULT_BUDGET = Duration.ofSeconds(20);

    /** Largest pixel count a Java int array can hold, whatever the configured cap. */
    private static final long ARRAY_LIMIT = Integer.MAX_VALUE - 8;

    /** Longest decoder message kept in a rejection (some exceptions carry whole class names). */
    private static final int MAX_DETAIL = 200;

    private final long maxPixels;
    private final Duration budget;
    private final DecodeOptions options;
    /** The native path, or null when the options or the machine leave only ImageIO. */
    private final @Nullable VipsDecoder vips;

    /** A decoder with the given pixel cap and the {@link #DEFAULT_BUDGET default} time budget. */
    public ImageDecoder(long maxPixels) {
        this(maxPixels, DEFAULT_BUDGET);
    }

    /**
     * @param maxPixels largest {@code width * height} decoded; larger images are refused from their header
     * @param budget time budget of one decode (positive)
     */
    public ImageDecoder(long maxPixels, Duration budget) {
        this(maxPixels, budget, DecodeOptions.DEFAULT);
    }

    /**
     * @param maxPixels largest {@code width * height} decoded; larger images are refused from their header
     * @param budget time budget of one decode (positive)
     * @param options which backend decodes JPEG/HEIC/AVIF and whether JPEGs shrink on load
     * @throws IllegalStateException for {@link DecodeOptions.Backend#LIBVIPS} when libvips is not available
     */
    public ImageDecoder(long maxPixels, Duration budget, DecodeOptions options) {
        if (options == null) {
            throw new IllegalArgumentException("options: null");
        }
        if (maxPixels < 1) {
            throw new IllegalArgumentException("maxPixels: " + maxPixels + " must be >= 1");
        }
        if (budget == null || budget.isNegative() || budget.isZero()) {
            throw new IllegalArgumentException("budget: " + budget + " must be positive");
        }
        this.maxPixels = maxPixels;
        this.budget = budget;
        this.options = options;
        this.vips = switch (options.backend()) {
            case IMAGEIO -> null;
            case AUTO -> Vips.get().map(VipsDecoder::new).orElse(null);
            case LIBVIPS ->
                Vips.get()
                        .map(VipsDecoder::new)
                        .orElseThrow(() -> new IllegalStateException(
                                "image decoder backend libvips requested, but native decoding is " + Vips.status()));
        };
    }

    /** Whether libvips is installed and loaded in this process (probed once, on first use, and logged). */
    public static boolean nativeAvailable() {
        return Vips.available();
    }

    /** {@code "libvips 8.14.1"}, or why native decoding is off: for health and logs. */
    public static String nativeStatus() {
        return Vips.status();
    }

    /** A decoder with this one's pixel cap and budget and other options (sharing nothing mutable). */
    public ImageDecoder withOptions(DecodeOptions other) {
        return other.equals(options) ? this : new ImageDecoder(maxPixels, budget, other);
    }

    /** The options this decoder was made with. */
    public DecodeOptions options() {
        return options;
    }

    /**
     * Which decoder runs, for health: {@code "libvips 8.14.1 (jpeg, heic, avif; shrink fast, short side >= 448
     * px) + imageio"} or {@code "imageio (native decoding off: ...)"}.
     */
    public String describe() {
        if (vips == null) {
            return "imageio (native decoding "
                    + (options.backend() == DecodeOptions.Backend.IMAGEIO ? "off by configuration" : Vips.status())
                    + ")";
        }
        String shrink = options.shrink() == DecodeOptions.Shrink.FAST
                ? "shrink fast, short side >= " + options.minShortSide() + " px"
                : "shrink exact";
        return Vips.status() + " (jpeg, heic, avif; " + shrink + ") + imageio";
    }

    public long maxPixels() {
        return maxPixels;
    }

    /** The time budget of {@link #decode(byte[])} and {@link #decode(Path)}. */
    public Duration budget() {
        return budget;
    }

    /** Decodes a file, with the default budget (reading the file is not counted in it). */
    public DecodedImage decode(Path file) throws IOException, ImageRejectedException {
        return decode(Files.readAllBytes(file), budget);
    }

    /** Decodes bytes held in memory (an upload), with the default budget. */
    public DecodedImage decode(byte[] bytes) throws ImageRejectedException {
        return decode(bytes, budget);
    }

    /**
     * Decodes bytes held in memory within {@code decodeBudget}.
     *
     * @return the upright image as {@code TYPE_INT_RGB}, owned by the caller
     * @throws ImageRejectedException EMPTY, NOT_AN_IMAGE, UNSUPPORTED_FORMAT, CORRUPT, TOO_LARGE
     *     ({@link ImageTooLargeException}) or TIMEOUT, with a message for the user
     */
    public DecodedImage decode(byte[] bytes, Duration decodeBudget) throws ImageRejectedException {
        if (bytes == null) {
            throw new IllegalArgumentException("bytes: null");
        }
        if (decodeBudget == null || decodeBudget.isNegative() || decodeBudget.isZero()) {
            throw new IllegalArgumentException("budget: " + decodeBudget + " must be positive");
        }
        ImageFormat format = ImageFormat.detect(bytes);
        if (format == ImageFormat.HEIC
                || format == ImageFormat.AVIF
                || (format == ImageFormat.JPEG && decodedNatively(bytes))) {
            return decodeNative(format, bytes, decodeBudget);
        }
        try {
            ContainerCheck.verify(format, bytes);
        } catch (RuntimeException e) {
            throw corrupt(format, e); // a gap in the checks' bounds logic must still not escape
        }
        try (DecodeDeadline deadline = new DecodeDeadline(decodeBudget)) {
            Pixels pixels;
            ImageReader reader = newReader(format);
            try (ImageInputStream in = new ByteArrayImageInputStream(bytes, deadline)) {
                deadline.watch(reader);
                // seekForwardOnly: one image; ignoreMetadata: no text/ICC chunk inflation on hostile files.
                reader.setInput(in, true, true);
                DecoderWarnings warnings = new DecoderWarnings();
                reader.addIIOReadWarningListener(warnings);
                checkPixels(format, reader.getWidth(0), reader.getHeight(0));
                pixels = readPixels(format, reader, bytes, deadline);
                String fatal = warnings.fatal();
                if (fatal != null) {
                    throw new ImageRejectedException(Reason.CORRUPT, "corrupt " + format.id() + ": " + clip(fatal));
                }
            } catch (IOException | RuntimeException e) {
                throw deadline.expired() ? timeout(format, deadline) : corrupt(format, e);
            } catch (OutOfMemoryError e) {
                // A single huge allocation that failed: nothing was allocated, the heap is intact.
                throw new ImageRejectedException(
                        Reason.CORRUPT,
                        "corrupt " + format.id() + ": the decoder ran out of memory (damaged or hostile header?)",
                        e);
            } catch (StackOverflowError e) {
                throw new ImageRejectedException(
                        Reason.CORRUPT, "corrupt " + format.id() + ": the decoder overflowed its stack", e);
            } finally {
                reader.dispose();
            }
            int orientation = ExifOrientation.read(format, bytes);
            int[] upright = ExifOrientation.apply(pixels.rgb(), pixels.width(), pixels.height(), orientation);
            checkTime(deadline, format);
            boolean swap = ExifOrientation.swapsAxes(orientation);
            int width = swap ? pixels.height() : pixels.width();
            int height = swap ? pixels.width() : pixels.height();
            return new DecodedImage(intRgbImage(upright, width, height), format.id(), width, height);
        }
    }

    /**
     * Whether libvips decodes this JPEG: when it is loaded and the samples are gray, YCbCr or RGB.
     * CMYK and YCCK stay on the ImageIO path, whose conversion follows PIL's (libvips would apply
     * an ICC transform).
     */
    private boolean decodedNatively(byte[] jpeg) {
        if (vips == null) {
            return false;
        }
        JpegLayout.ColorSpace space = JpegLayout.scan(jpeg).colorSpace();
        return space == JpegLayout.ColorSpace.GRAY
                || space == JpegLayout.ColorSpace.YCBCR
                || space == JpegLayout.ColorSpace.RGB;
    }

    /**
     * The libvips path: the same header probe and pixel cap as ImageIO's (JPEG: the ImageIO
     * reader's header parse; HEIF: {@link HeifLayout}, in Java, before libvips sees the file), the
     * same deadline, then libvips; EXIF orientation as on the ImageIO path (HEIF: libheif's
     * irot/imir instead).
     */
    private DecodedImage decodeNative(ImageFormat format, byte[] bytes, Duration decodeBudget)
            throws ImageRejectedException {
        VipsDecoder decoder = vips;
        if (decoder == null) {
            throw new ImageRejectedException(
                    Reason.UNSUPPORTED_FORMAT,
                    "unsupported image format: " + format.id() + " needs libvips, and native decoding is "
                            + (options.backend() == DecodeOptions.Backend.IMAGEIO
                                    ? "off by configuration"
                                    : Vips.status() + "; install it: apt-get install libvips42 (Debian/Ubuntu),"
                                            + " brew install vips (macOS)"));
        }
        try (DecodeDeadline deadline = new DecodeDeadline(decodeBudget)) {
            int width;
            int height;
            if (format == ImageFormat.JPEG) {
                try (ImageInputStream in = new ByteArrayImageInputStream(bytes, deadline)) {
                    ImageHeader header = probe(format, in, deadline);
                    width = header.width();
                    height = header.height();
                } catch (IOException e) {
                    throw corrupt(format, e);
                }
            } else {
                HeifLayout.Size size = HeifLayout.primarySize(format, bytes);
                width = size.width();
                height = size.height();
            }
            checkPixels(format, width, height);
            int shrink = format == ImageFormat.JPEG ? options.jpegShrink(Math.min(width, height)) : 1;
            VipsDecoder.Pixels pixels;
            try {
                pixels = decoder.decode(format, bytes, shrink, deadline);
            } catch (OutOfMemoryError e) {
                throw new ImageRejectedException(
                        Reason.CORRUPT, "corrupt " + format.id() + ": out of memory copying the decoded pixels", e);
            }
            checkTime(deadline, format);
            int orientation = ExifOrientation.read(format, bytes);
            int[] upright = ExifOrientation.apply(pixels.rgb(), pixels.width(), pixels.height(), orientation);
            boolean swap = ExifOrientation.swapsAxes(orientation);
            int outWidth = swap ? pixels.height() : pixels.width();
            int outHeight = swap ? pixels.width() : pixels.height();
            // HEIF: shrink is 1 and libheif has applied irot, so the decoded size is the upright size.
            int fullWidth = shrink == 1 ? outWidth : swap ? height : width;
            int fullHeight = shrink == 1 ? outHeight : swap ? width : height;
            checkTime(deadline, format);
            return new DecodedImage(
                    intRgbImage(upright, outWidth, outHeight), format.id(), outWidth, outHeight, fullWidth, fullHeight);
        }
    }

    /** Packed RGB, {@code [height][width]}, as stored (before EXIF orientation). */
    private record Pixels(int[] rgb, int width, int height) {}

    /** Decodes image 0 of the reader's input and converts it to packed RGB the way PIL would. */
    private Pixels readPixels(ImageFormat format, ImageReader reader, byte[] bytes, DecodeDeadline deadline)
            throws IOException, ImageRejectedException {
        JpegLayout.ColorSpace jpegSpace =
                format == ImageFormat.JPEG ? JpegLayout.scan(bytes).colorSpace() : JpegLayout.ColorSpace.OTHER;
        if (jpegSpace != JpegLayout.ColorSpace.OTHER) {
            // Raw samples converted libjpeg's and PIL's way: no ICC profile, no Java CMYK profile.
            Raster raw = reader.readRaster(0, null);
            checkTime(deadline, format);
            return new Pixels(JpegColor.toRgb(raw, jpegSpace), raw.getWidth(), raw.getHeight());
        }
        BufferedImage decoded = reader.read(0);
        checkTime(deadline, format);
        Pixels frame = new Pixels(RgbConverter.toRgb(decoded), decoded.getWidth(), decoded.getHeight());
        return format == ImageFormat.GIF ? onLogicalScreen(frame, decoded, GifLayout.read(bytes)) : frame;
    }

    /** PIL's first GIF frame: the frame placed on a canvas of the logical screen. */
    private Pixels onLogicalScreen(Pixels frame, BufferedImage decoded, GifLayout gif) throws ImageRejectedException {
        if (gif.frameIsCanvas() || gif.width() != frame.width() || gif.height() != frame.height()) {
            return frame;
        }
        checkPixels(ImageFormat.GIF, gif.canvasWidth(), gif.canvasHeight());
        int fillIndex = Math.max(gif.transparentIndex(), 0);
        int fill = decoded.getColorModel() instanceof IndexColorModel palette && fillIndex < palette.getMapSize()
                ? palette.getRGB(fillIndex) & 0xFFFFFF
                : 0; // past the palette: PIL's zero-filled palette gives black
        return new Pixels(
                gif.compose(frame.rgb(), frame.width(), frame.height(), fill), gif.canvasWidth(), gif.canvasHeight());
    }

    /**
     * Reads format and size from the header alone, without decoding pixels or checking the cap. The
     * size is as stored: before EXIF orientation, and for a GIF the first frame's own size (the
     * decoded image may be larger: PIL places the frame on its logical screen).
     *
     * @throws ImageRejectedException EMPTY, NOT_AN_IMAGE, UNSUPPORTED_FORMAT or CORRUPT (unreadable header)
     */
    public ImageHeader probe(byte[] bytes) throws ImageRejectedException {
        if (bytes == null) {
            throw new IllegalArgumentException("bytes: null");
        }
        ImageFormat format = ImageFormat.detect(bytes);
        if (format == ImageFormat.HEIC || format == ImageFormat.AVIF) {
            HeifLayout.Size size = HeifLayout.primarySize(format, bytes);
            return new ImageHeader(format, size.width(), size.height());
        }
        try (DecodeDeadline deadline = new DecodeDeadline(budget);
                ImageInputStream in = new ByteArrayImageInputStream(bytes, deadline)) {
            return probe(format, in, deadline);
        } catch (IOException e) {
            throw corrupt(format, e);
        }
    }

    private ImageHeader probe(ImageFormat format, ImageInputStream in, DecodeDeadline deadline)
            throws ImageRejectedException {
        ImageReader reader = newReader(format);
        try {
            deadline.watch(reader);
            reader.setInput(in, true, true);
            int width = reader.getWidth(0);
            int height = reader.getHeight(0);
            if (width < 1 || height < 1) {
                throw new ImageRejectedException(
                        Reason.CORRUPT,
                        "corrupt " + format.id() + ": header declares a " + width + "x" + height + " image");
            }
            return new ImageHeader(format, width, height);
        } catch (IOException | RuntimeException e) {
            throw deadline.expired() ? timeout(format, deadline) : corrupt(format, e);
        } finally {
            reader.dispose();
        }
    }

    private static ImageReader newReader(ImageFormat format) throws ImageRejectedException {
        ImageReader reader = ImageReaders.forFormat(format);
        if (reader == null) {
            throw new ImageRejectedException(
                    Reason.UNSUPPORTED_FORMAT, "unsupported image format: no " + format.id() + " decoder is installed");
        }
        return reader;
    }

    /** Refuses empty, absurd or too large sizes from the header, before any pixel is decoded. */
    private void checkPixels(ImageFormat format, int width, int height) throws ImageRejectedException {
        if (width < 1 || height < 1) {
            throw new ImageRejectedException(
                    Reason.CORRUPT,
                    "corrupt " + format.id() + ": header declares a " + width + "x" + height + " image");
        }
        long pixels = (long) width * height; // < 2^62: no overflow
        if (pixels > maxPixels || pixels > ARRAY_LIMIT) {
            throw new ImageTooLargeException(width, height, Math.min(maxPixels, ARRAY_LIMIT));
        }
    }

    private static void checkTime(DecodeDeadline deadline, ImageFormat format) throws ImageRejectedException {
        if (deadline.expired()) {
            throw timeout(format, deadline);
        }
    }

    private static ImageRejectedException timeout(ImageFormat format, DecodeDeadline deadline) {
        return new ImageRejectedException(
                Reason.TIMEOUT,
                "decoding this " + format.id() + " took longer than its time budget of "
                        + deadline.budget().toMillis() + " ms");
    }

    private static ImageRejectedException corrupt(ImageFormat format, Throwable e) {
        return new ImageRejectedException(Reason.CORRUPT, "corrupt " + format.id() + ": " + clip(describe(e)), e);
    }

    /**
     * A decoder failure in words: the message chain of ImageIO's exceptions ({@code "Error reading
     * PNG image data: Unknown row filter type (= 255)!"}), "unexpected end of data" for an EOF, and
     * the exception type for the unchecked exceptions hostile data provokes.
     */
    static String describe(Throwable e) {
        if (e instanceof EOFException) {
            return "unexpected end of data";
        }
        String message = e.getMessage() == null || e.getMessage().isBlank() ? null : e.getMessage();
        if (e instanceof IIOException || e instanceof IOException) {
            Throwable cause = e.getCause();
            if (cause != null && cause != e) {
                String inner = describe(cause);
                return message == null || message.equals(cause.toString()) ? inner : message + ": " + inner;
            }
            return message == null ? e.getClass().getSimpleName() : message;
        }
        return "decoder failed with " + e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    private static String clip(String detail) {
        return detail.length() <= MAX_DETAIL ? detail : detail.substring(0, MAX_DETAIL) + "...";
    }

    /** Wraps packed RGB in a {@code TYPE_INT_RGB} image without copying it. */
    static BufferedImage intRgbImage(int[] rgb, int width, int height) {
        DirectColorModel cm = new DirectColorModel(24, 0xFF0000, 0x00FF00, 0x0000FF);
        WritableRaster raster = Raster.createPackedRaster(
                new DataBufferInt(rgb, rgb.length), width, height, width, cm.getMasks(), null);
        return new BufferedImage(cm, raster, false, null);
    }
}
