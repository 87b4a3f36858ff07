package io.koclip.search.image;

import io.koclip.search.image.ImageRejectedException.Reason;
import java.nio.charset.StandardCharsets;

/**
 * The size of a HEIF/AVIF file's primary image, read from its ISO base media boxes in Java before
 * any native code sees the file (libvips has no pixel limit of its own): {@code meta} → {@code pitm}
 * (the primary item id) → {@code iprp/ipma} (which properties belong to it) → {@code iprp/ipco}
 * → its {@code ispe} (image spatial extents). A grid image's {@code ispe} is the whole canvas, so
 * the cap counts what libheif will allocate. The size is as stored, before {@code irot}/{@code
 * imir} (a rotation does not change the pixel count).
 *
 * <p>Only box headers and the few small boxes above are read: never the coded image data.
 *
 * <p>Thread-safe: stateless.
 */
final class HeifLayout {
    private HeifLayout() {}

    /** Width and height of the primary image from its {@code ispe}. */
    record Size(int width, int height) {}

    /**
     * @throws ImageRejectedException CORRUPT when a box overruns the file or the primary image has
     *     no {@code ispe}
     */
    static Size primarySize(ImageFormat format, byte[] b) throws ImageRejectedException {
        String id = format.id();
        int meta = -1;
        int metaEnd = -1;
        for (int pos = 0; pos + 8 <= b.length; ) {
            long size = boxSize(b, pos, b.length, id);
            if (type(b, pos).equals("meta")) {
                meta = pos + headerLength(b, pos) + 4; // FullBox: version(1) flags(3)
                metaEnd = (int) (pos + size);
                break;
            }
            pos += (int) size;
        }
        if (meta < 0) {
            throw corrupt(id, "no meta box (truncated, or not a HEIF still image)");
        }
        int primary = -1;
        int ipco = -1;
        int ipcoEnd = -1;
        int ipma = -1;
        int ipmaEnd = -1;
        for (int pos = meta; pos + 8 <= metaEnd; ) {
            long size = boxSize(b, pos, metaEnd, id);
            String type = type(b, pos);
            int body = pos + headerLength(b, pos);
            if (type.equals("pitm")) {
                int version = u8(b, body, metaEnd, id);
                primary = (int) (version == 0 ? u16(b, body + 4, metaEnd, id) : u32(b, body + 4, metaEnd, id));
            } else if (type.equals("iprp")) {
                int iprpEnd = (int) (pos + size);
                for (int p = body; p + 8 <= iprpEnd; ) {
                    long s = boxSize(b, p, iprpEnd, id);
                    if (type(b, p).equals("ipco")) {
                        ipco = p + headerLength(b, p);
                        ipcoEnd = (int) (p + s);
                    } else if (type(b, p).equals("ipma") && ipma < 0) {
                        ipma = p + headerLength(b, p);
                        ipmaEnd = (int) (p + s);
                    }
                    p += (int) s;
                }
            }
            pos += (int) size;
        }
        if (primary < 0 || ipco < 0 || ipma < 0) {
            throw corrupt(id, "meta box lacks " + (primary < 0 ? "pitm" : ipco < 0 ? "ipco" : "ipma"));
        }
        // ipma: FullBox; entry_count(4); per entry item_ID (2 or 4), count(1), associations (1 or 2 each).
        int version = u8(b, ipma, ipmaEnd, id);
        boolean wideIndex = (u8(b, ipma + 3, ipmaEnd, id) & 1) != 0;
        long entries = u32(b, ipma + 4, ipmaEnd, id);
        int p = ipma + 8;
        for (long e = 0; e < entries; e++) {
            long item = version < 1 ? u16(b, p, ipmaEnd, id) : u32(b, p, ipmaEnd, id);
            p += version < 1 ? 2 : 4;
            int count = u8(b, p, ipmaEnd, id);
            p += 1;
            for (int a = 0; a < count; a++) {
                int index = wideIndex ? (int) (u16(b, p, ipmaEnd, id) & 0x7FFF) : u8(b, p, ipmaEnd, id) & 0x7F;
                p += wideIndex ? 2 : 1;
                if (item == primary && index > 0) {
                    Size size = ispe(b, ipco, ipcoEnd, index, id);
                    if (size != null) {
                        return size;
                    }
                }
            }
        }
        throw corrupt(id, "the primary image (item " + primary + ") has no ispe (size) property");
    }

    /** The {@code index}-th (1-based) property in ipco if it is an ispe, else null. */
    private static Size ispe(byte[] b, int ipco, int ipcoEnd, int index, String id) throws ImageRejectedException {
        int pos = ipco;
        for (int i = 1; pos + 8 <= ipcoEnd; i++) {
            long size = boxSize(b, pos, ipcoEnd, id);
            if (i == index) {
                if (!type(b, pos).equals("ispe")) {
                    return null;
                }
                int body = pos + headerLength(b, pos) + 4; // FullBox
                long width = u32(b, body, ipcoEnd, id);
                long height = u32(b, body + 4, ipcoEnd, id);
                if (width < 1 || height < 1 || width > Integer.MAX_VALUE || height > Integer.MAX_VALUE) {
                    throw corrupt(id, "ispe declares a " + width + "x" + height + " image");
                }
                return new Size((int) width, (int) height);
            }
            pos += (int) size;
        }
        return null;
    }

    /** Box size including header; 0 means "to the end of the enclosing box". */
    private static long boxSize(byte[] b, int pos, int end, String id) throws ImageRejectedException {
        long size = u32(b, pos, end, id);
        if (size == 1) {
            size = (u32(b, pos + 8, end, id) << 32) | u32(b, pos + 12, end, id);
        } else if (size == 0) {
            size = end - pos;
        }
        if (size < 8 || pos + size > end) {
            throw corrupt(
                    id,
                    "truncated: box '" + type(b, pos) + "' at byte " + pos + " declares " + size + " bytes, "
                            + (end - pos) + " are left");
        }
        return size;
    }

    private static int headerLength(byte[] b, int pos) {
        long size =
                (b[pos] & 0xFFL) << 24 | (b[pos + 1] & 0xFFL) << 16 | (b[pos + 2] & 0xFFL) << 8 | (b[pos + 3] & 0xFFL);
        return size == 1 ? 16 : 8;
    }

    private static String type(byte[] b, int pos) {
        return pos + 8 <= b.length ? new String(b, pos + 4, 4, StandardCharsets.ISO_8859_1) : "?";
    }

    private static int u8(byte[] b, int pos, int end, String id) throws ImageRejectedException {
        need(pos, 1, end, id);
        return b[pos] & 0xFF;
    }

    private static long u16(byte[] b, int pos, int end, String id) throws ImageRejectedException {
        need(pos, 2, end, id);
        return (b[pos] & 0xFFL) << 8 | (b[pos + 1] & 0xFFL);
    }

    private static long u32(byte[] b, int pos, int end, String id) throws ImageRejectedException {
        need(pos, 4, end, id);
        return (b[pos] & 0xFFL) << 24 | (b[pos + 1] & 0xFFL) << 16 | (b[pos + 2] & 0xFFL) << 8 | (b[pos + 3] & 0xFFL);
    }

    private static void need(int pos, int count, int end, String id) throws ImageRejectedException {
        if (pos < 0 || pos + count > end) {
            throw corrupt(id, "truncated: a box field at byte " + pos + " runs past its box (ends at " + end + ")");
        }
    }

    private static ImageRejectedException corrupt(String format, String detail) {
        return new ImageRejectedException(Reason.CORRUPT, "corrupt " + format + ": " + detail);
    }
}
