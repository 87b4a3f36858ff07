package io.koclip.search.image;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The image formats the engine decodes, recognised by their magic bytes, never by a file name.
 * Thread-safe: an enum of constants.
 */
public enum ImageFormat {
    /** JPEG / JFIF / EXIF: {@code FF D8 FF}. */
    JPEG("jpeg", "jpg", "jpeg", "jpe", "jfif"),
    /** PNG: {@code 89 50 4E 47 0D 0A 1A 0A}. */
    PNG("png", "png"),
    /** GIF87a / GIF89a. */
    GIF("gif", "gif"),
    /** WebP: {@code RIFF <size> WEBP}. */
    WEBP("webp", "webp"),
    /** Windows bitmap: {@code BM}, then a DIB header whose size is one of the known ones. */
    BMP("bmp", "bmp", "dib"),
    /** TIFF, either byte order: {@code II*\0} or {@code MM\0*}. */
    TIFF("tiff", "tif", "tiff"),
    /**
     * HEIC / HEIF still image (iPhone photos): ISO base media {@code ftyp} with a HEIF brand
     * ({@code heic}, {@code heix}, {@code mif1}, ...) and no AVIF brand. Decoded only by libvips.
     */
    HEIC("heic", "heic", "heif"),
    /** AVIF: {@code ftyp} with brand {@code avif} or {@code avis}. Decoded only by libvips. */
    AVIF("avif", "avif");

    /** How many leading bytes {@link #sniff} looks at; fewer are fine, they just match less. */
    public static final int SIGNATURE_BYTES = 18;

    /**
     * Extensions of image formats that are recognised (by {@link #detect}) but not decoded, so that
     * such files are reported as {@code unsupported_format} rather than silently skipped.
     */
    public static final Set<String> UNSUPPORTED_EXTENSIONS = Set.of("heic", "heif", "avif");

    private static final Set<String> IDS =
            Arrays.stream(values()).map(ImageFormat::id).collect(Collectors.toUnmodifiableSet());

    private final String id;
    private final List<String> extensions;

    ImageFormat(String id, String... extensions) {
        this.id = id;
        this.extensions = List.of(extensions);
    }

    /** Lower-case name used in the index and in messages: {@code jpeg}, {@code png}, ... */
    public String id() {
        return id;
    }

    /** File name extensions of this format, lower case, without the dot. */
    public List<String> extensions() {
        return extensions;
    }

    /** The format named {@code id} ({@link #id()}), if it is one. */
    public static Optional<ImageFormat> ofId(String id) {
        for (ImageFormat f : values()) {
            if (f.id.equals(id)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    /** The format whose file names end in {@code .extension} (lower case, no dot), if one does. */
    public static Optional<ImageFormat> forExtension(String extension) {
        for (ImageFormat f : values()) {
            if (f.extensions.contains(extension)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    /** Every format's {@link #id()}: the formats the engine decodes. */
    public static Set<String> ids() {
        return IDS;
    }

    /** {@code "jpeg, png, gif, webp, bmp, tiff"}: the decoded formats for messages, in declaration order. */
    public static String idList() {
        return Arrays.stream(values())
                        .filter(f -> !f.needsLibvips())
                        .map(ImageFormat::id)
                        .collect(Collectors.joining(", "))
                + "; "
                + Arrays.stream(values())
                        .filter(ImageFormat::needsLibvips)
                        .map(ImageFormat::id)
                        .collect(Collectors.joining(", "))
                + " with libvips";
    }

    /** True for the formats only the native decoder (libvips) reads. */
    public boolean needsLibvips() {
        return this == HEIC || this == AVIF;
    }

    /**
     * Recognises a format from the first bytes of a file.
     *
     * @param head the file's first bytes (at least {@link #SIGNATURE_BYTES} to recognise every format; a
     *     shorter prefix matches only the formats whose signature fits in it)
     * @return the format, or empty if no known signature matches
     */
    public static Optional<ImageFormat> sniff(byte[] head) {
        if (head == null) {
            throw new IllegalArgumentException("head: null");
        }
        if (startsWith(head, 0xFF, 0xD8, 0xFF)) {
            return Optional.of(JPEG);
        }
        if (startsWith(head, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
            return Optional.of(PNG);
        }
        if (startsWith(head, 'G', 'I', 'F', '8')
                && head.length >= 6
                && (head[4] == '7' || head[4] == '9')
                && head[5] == 'a') {
            return Optional.of(GIF);
        }
        if (startsWith(head, 'R', 'I', 'F', 'F')
                && head.length >= 12
                && head[8] == 'W'
                && head[9] == 'E'
                && head[10] == 'B'
                && head[11] == 'P') {
            return Optional.of(WEBP);
        }
        if (startsWith(head, 'B', 'M') && head.length >= 18 && isBmpInfoHeaderSize(littleEndianInt(head, 14))) {
            return Optional.of(BMP);
        }
        if (startsWith(head, 'I', 'I', 0x2A, 0x00) || startsWith(head, 'M', 'M', 0x00, 0x2A)) {
            return Optional.of(TIFF);
        }
        ImageFormat heif = heifBrand(head);
        return heif == null ? Optional.empty() : Optional.of(heif);
    }

    /**
     * Recognises the format of a whole file held in memory, or says precisely why it cannot.
     *
     * @throws ImageRejectedException {@link ImageRejectedException.Reason#EMPTY} for zero bytes,
     *     {@link ImageRejectedException.Reason#NOT_AN_IMAGE} when no signature matches (the message
     *     shows the first bytes in hex)
     */
    public static ImageFormat detect(byte[] bytes) throws ImageRejectedException {
        if (bytes == null) {
            throw new IllegalArgumentException("bytes: null");
        }
        if (bytes.length == 0) {
            throw new ImageRejectedException(ImageRejectedException.Reason.EMPTY, "empty file: 0 bytes");
        }
        Optional<ImageFormat> format = sniff(bytes);
        if (format.isEmpty()) {
            String other = otherKnownFormat(bytes);
            if (other != null) {
                throw new ImageRejectedException(
                        ImageRejectedException.Reason.UNSUPPORTED_FORMAT,
                        "unsupported image format: " + other + " (supported: " + idList() + ")");
            }
            throw new ImageRejectedException(
                    ImageRejectedException.Reason.NOT_AN_IMAGE,
                    "not an image: no known image signature (first bytes " + firstBytesHex(bytes, 4) + ")");
        }
        return format.get();
    }

    /** {@code "3c 21 44 4f"}: the first {@code count} bytes (or fewer), space-separated hex. */
    static String firstBytesHex(byte[] bytes, int count) {
        int n = Math.min(count, bytes.length);
        return HexFormat.ofDelimiter(" ").formatHex(bytes, 0, n);
    }

    /**
     * HEIC or AVIF from an ISO base media {@code ftyp} box: AVIF when the major brand or any
     * compatible brand within {@code head} is {@code avif}/{@code avis}, HEIC for the HEIF brands;
     * null for other ftyp brands (JPEG XL, JPEG 2000, MP4 video).
     */
    private static @Nullable ImageFormat heifBrand(byte[] b) {
        if (b.length < 12 || b[4] != 'f' || b[5] != 't' || b[6] != 'y' || b[7] != 'p') {
            return null;
        }
        long boxSize = (b[0] & 0xFFL) << 24 | (b[1] & 0xFFL) << 16 | (b[2] & 0xFFL) << 8 | (b[3] & 0xFFL);
        int end = (int) Math.min(b.length, Math.max(12, Math.min(boxSize, 4096)));
        boolean heif = false;
        // Major brand at 8, minor version at 12, compatible brands from 16.
        for (int pos = 8; pos + 4 <= end; pos += pos == 8 ? 8 : 4) {
            String brand = new String(b, pos, 4, java.nio.charset.StandardCharsets.US_ASCII);
            switch (brand) {
                case "avif", "avis" -> {
                    return AVIF;
                }
                case "heic", "heix", "hevc", "hevx", "heim", "heis", "mif1", "msf1" -> heif = true;
                default -> {}
            }
        }
        return heif ? HEIC : null;
    }

    /**
     * Names image formats we recognise but do not decode, so that the user learns "HEIC is not
     * supported" rather than "not an image". Returns null for anything else.
     */
    private static @Nullable String otherKnownFormat(byte[] b) {
        // ISO base media file: size(4) "ftyp" brand(4).
        if (b.length >= 12 && b[4] == 'f' && b[5] == 't' && b[6] == 'y' && b[7] == 'p') {
            String brand = new String(b, 8, 4, java.nio.charset.StandardCharsets.US_ASCII);
            return switch (brand) {
                case "jxl " -> "jpeg xl";
                case "jp2 " -> "jpeg 2000";
                default -> null;
            };
        }
        if (startsWith(b, 0x00, 0x00, 0x00, 0x0C, 'j', 'P', 0x20, 0x20)) {
            return "jpeg 2000";
        }
        if (startsWith(b, 0x00, 0x00, 0x00, 0x0C, 'J', 'X', 'L', 0x20) || startsWith(b, 0xFF, 0x0A)) {
            return "jpeg xl";
        }
        if (startsWith(b, '8', 'B', 'P', 'S')) {
            return "psd";
        }
        return null;
    }

    /** BITMAPCOREHEADER, BITMAPINFOHEADER, V2, V3, OS/2 2.x, V4 and V5 header sizes. */
    private static boolean isBmpInfoHeaderSize(int size) {
        return size == 12
                || size == 16
                || size == 40
                || size == 52
                || size == 56
                || size == 64
                || size == 108
                || size == 124;
    }

    private static int littleEndianInt(byte[] b, int offset) {
        return (b[offset] & 0xFF)
                | (b[offset + 1] & 0xFF) << 8
                | (b[offset + 2] & 0xFF) << 16
                | (b[offset + 3] & 0xFF) << 24;
    }

    private static boolean startsWith(byte[] head, int... signature) {
        if (head.length < signature.length) {
            return false;
        }
        for (int i = 0; i < signature.length; i++) {
            if ((head[i] & 0xFF) != signature[i]) {
                return false;
            }
        }
        return true;
    }
}
