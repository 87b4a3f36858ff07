package io.koclip.search.image;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.koclip.search.image.ImageRejectedException.Reason;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;

/**
 * Decodes JPEG, HEIC and AVIF with libvips into packed RGB, after {@link ImageDecoder} has checked
 * the format, the header size against the pixel cap and started the time budget.
 *
 * <p>One decode: copy the file into native memory (libvips reads the buffer in place, so it must
 * outlive the image); {@code vips_jpegload_buffer} / {@code vips_heifload_buffer} with {@code
 * fail_on=truncated} and sequential access, which read the header only; then {@code
 * vips_image_write_to_memory}, which runs the decoder; copy the samples out row by row; {@code
 * g_free} the pixels, {@code g_object_unref} the image, free the native copy of the file.
 *
 * <p>Samples: 1 band (gray) is replicated, a 2nd or 4th band (alpha) is dropped, as PIL's {@code
 * convert("RGB")} does; 16-bit samples (10/12-bit HEIF, which libvips scales to 16 bits) keep their
 * high byte, as the ImageIO path does for 16-bit PNG.
 *
 * <p>Time budget: the deadline's timer calls {@code vips_image_set_kill} on the image, which stops
 * libvips' evaluation at its next strip; a {@link KillSwitch} makes that call and the decoding
 * thread's unref mutually exclusive, so the timer never touches a freed image. libheif decodes an
 * HEVC/AV1 image in one call that cannot be stopped: such a decode can overrun its budget (about
 * 1 s per 12 MP here) and is then still reported as a timeout.
 *
 * <p>Native memory per decode: the file, plus {@code width * height * bands} bytes of pixels
 * (twice that for 16-bit), plus the decoder's working buffers (libheif: the whole YCbCr image).
 *
 * <p>Thread-safe: no mutable state; each decode owns its arena and image.
 */
final class VipsDecoder {
    /** Longest libvips message kept in a rejection. */
    private static final int MAX_DETAIL = 200;

    private static final boolean LITTLE_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

    private final Vips vips;

    VipsDecoder(Vips vips) {
        this.vips = vips;
    }

    /** Packed RGB {@code [height][width]} as stored (before any EXIF orientation). */
    record Pixels(int[] rgb, int width, int height) {}

    /**
     * @param shrink JPEG scale denominator (1, 2, 4, 8); must be 1 for HEIC/AVIF
     * @throws ImageRejectedException CORRUPT with libvips' message, or TIMEOUT
     */
    Pixels decode(ImageFormat format, byte[] bytes, int shrink, DecodeDeadline deadline) throws ImageRejectedException {
        try {
            return decodeOrThrow(format, bytes, shrink, deadline);
        } catch (ImageRejectedException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable impossible) {
            // Downcall handles throw only what the native code's Java side throws: nothing checked.
            throw new IllegalStateException("libvips call failed on a " + format.id(), impossible);
        }
    }

    private Pixels decodeOrThrow(ImageFormat format, byte[] bytes, int shrink, DecodeDeadline deadline)
            throws Throwable {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(bytes.length);
            MemorySegment.copy(bytes, 0, buffer, JAVA_BYTE, 0, bytes.length);
            MemorySegment out = arena.allocate(ADDRESS);
            int status = switch (format) {
                case JPEG -> vips.jpegload(buffer, bytes.length, out, shrink);
                case HEIC, AVIF -> vips.heifload(buffer, bytes.length, out);
                default -> throw new IllegalArgumentException("format: " + format + " is not decoded by libvips");
            };
            if (status != 0) {
                throw failure(format, deadline, vips.takeError());
            }
            MemorySegment image = out.get(ADDRESS, 0);
            KillSwitch kill = new KillSwitch(vips, image);
            deadline.onExpire(kill::kill);
            try {
                return readPixels(format, image, arena, deadline);
            } finally {
                deadline.onExpire(null);
                kill.disarm();
                vips.unref(image);
            }
        }
    }

    private Pixels readPixels(ImageFormat format, MemorySegment image, Arena arena, DecodeDeadline deadline)
            throws Throwable {
        int width = vips.width(image);
        int height = vips.height(image);
        int bands = vips.bands(image);
        int sampleFormat = vips.format(image);
        if (width < 1 || height < 1 || (long) width * height > Integer.MAX_VALUE - 8) {
            throw corrupt(format, "libvips reports a " + width + "x" + height + " image");
        }
        if (bands < 1 || bands > 4 || (sampleFormat != Vips.FORMAT_UCHAR && sampleFormat != Vips.FORMAT_USHORT)) {
            throw corrupt(format, "unsupported sample layout: " + bands + " bands of libvips format " + sampleFormat);
        }
        int bytesPerSample = sampleFormat == Vips.FORMAT_USHORT ? 2 : 1;
        MemorySegment sizeOut = arena.allocate(JAVA_LONG);
        MemorySegment data = vips.writeToMemory(image, sizeOut);
        if (data.equals(MemorySegment.NULL)) {
            throw failure(format, deadline, vips.takeError());
        }
        try {
            long size = sizeOut.get(JAVA_LONG, 0);
            long expected = (long) width * height * bands * bytesPerSample;
            if (size != expected) {
                throw corrupt(format, "libvips returned " + size + " bytes for " + width + "x" + height + "x" + bands);
            }
            return new Pixels(toRgb(data.reinterpret(size), width, height, bands, bytesPerSample), width, height);
        } finally {
            vips.free(data);
        }
    }

    /** Interleaved samples to packed RGB, one row copied to the heap at a time. */
    private static int[] toRgb(MemorySegment data, int width, int height, int bands, int bytesPerSample) {
        int[] rgb = new int[width * height];
        int rowBytes = width * bands * bytesPerSample;
        byte[] row = new byte[rowBytes];
        int step = bands * bytesPerSample;
        // Offset of the high byte of a 16-bit sample in native byte order.
        int high = bytesPerSample == 2 && LITTLE_ENDIAN ? 1 : 0;
        int second = bands >= 3 ? bytesPerSample : 0; // gray: every channel reads band 0
        int third = bands >= 3 ? 2 * bytesPerSample : 0;
        for (int y = 0; y < height; y++) {
            MemorySegment.copy(data, JAVA_BYTE, (long) y * rowBytes, row, 0, rowBytes);
            int base = y * width;
            for (int x = 0, i = high; x < width; x++, i += step) {
                rgb[base + x] = (row[i] & 0xFF) << 16 | (row[i + second] & 0xFF) << 8 | (row[i + third] & 0xFF);
            }
        }
        return rgb;
    }

    private static ImageRejectedException failure(ImageFormat format, DecodeDeadline deadline, String error) {
        if (deadline.expired()) {
            return new ImageRejectedException(
                    Reason.TIMEOUT,
                    "decoding this " + format.id() + " took longer than its time budget of "
                            + deadline.budget().toMillis() + " ms");
        }
        return corrupt(format, error.isBlank() ? "libvips failed without a message" : error);
    }

    private static ImageRejectedException corrupt(ImageFormat format, String detail) {
        // libvips prefixes each line with its domain ("VipsJpeg: Premature end of input file"):
        // dropped, the format is already named; lines joined with "; ".
        String oneLine = String.join(
                "; ",
                detail.strip()
                        .lines()
                        .map(line -> line.replaceFirst("^(Vips\\w*|heifload|jpegload)(_buffer)?: ", "")
                                .strip())
                        .filter(line -> !line.isEmpty())
                        .distinct()
                        .toList());
        String clipped = oneLine.length() <= MAX_DETAIL ? oneLine : oneLine.substring(0, MAX_DETAIL) + "...";
        return new ImageRejectedException(Reason.CORRUPT, "corrupt " + format.id() + ": " + clipped);
    }

    /**
     * Lets the deadline's timer thread stop an evaluation while the decoding thread may be about to
     * free the image: both sides take this object's lock, and after {@link #disarm()} the timer
     * never touches the image again.
     */
    private static final class KillSwitch {
        private final Vips vips;
        private final MemorySegment image;
        private boolean armed = true;

        KillSwitch(Vips vips, MemorySegment image) {
            this.vips = vips;
            this.image = image;
        }

        synchronized void kill() {
            if (!armed) {
                return;
            }
            try {
                vips.kill(image);
            } catch (Throwable e) {
                // Setting a flag cannot fail; if it did, the decode still ends and is reported a timeout.
            }
        }

        synchronized void disarm() {
            armed = false;
        }
    }
}
