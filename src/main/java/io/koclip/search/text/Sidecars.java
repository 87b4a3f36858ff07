package io.koclip.search.text;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Sidecar files: text and XMP written beside an image, looked up by the image's name.
 *
 * <pre>
 * IMG_0012.jpg.txt  IMG_0012.txt    text: the whole file is the image's sidecar text
 * IMG_0012.jpg.xmp  IMG_0012.xmp    XMP (darktable writes NAME.EXT.xmp, Lightroom NAME.xmp)
 * </pre>
 *
 * Extensions are matched in lower and upper case. Symbolic links are not followed (a link could make
 * any file's content searchable). Text sidecars: a UTF-8, UTF-16LE or UTF-16BE byte-order mark is
 * honoured; without one, UTF-8 when valid, else CP949 (Notepad's "ANSI" on Korean Windows), else
 * ISO-8859-1; a file with NUL bytes or many control characters is binary and skipped; only the first
 * {@link TextLimits#textSidecarBytes} are read. XMP sidecars over {@link TextLimits#xmpSidecarBytes}
 * are skipped. Every such case is a warning.
 *
 * <p>Thread-safe: stateless.
 */
final class Sidecars {
    private static final String[] TEXT = {".txt", ".TXT"};
    private static final String[] XMP = {".xmp", ".XMP"};

    private Sidecars() {}

    /** The sidecars of {@code image} that exist, text ones first, each file once. */
    static List<Path> find(Path image) {
        List<Path> found = new ArrayList<>();
        Path folder = image.toAbsolutePath().getParent();
        if (folder == null) {
            return found;
        }
        String name = image.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        for (String[] kind : new String[][] {TEXT, XMP}) {
            for (String extension : kind) {
                add(found, folder.resolve(name + extension));
                if (!stem.equals(name)) {
                    add(found, folder.resolve(stem + extension));
                }
            }
        }
        return found;
    }

    static boolean isXmp(Path sidecar) {
        return sidecar.getFileName()
                .toString()
                .toLowerCase(java.util.Locale.ROOT)
                .endsWith(".xmp");
    }

    /** Adds the text of every sidecar of {@code image} to {@code out}. */
    static void read(Path image, TextLimits limits, ImageText.Builder out, List<String> warnings) {
        for (Path sidecar : find(image)) {
            if (isXmp(sidecar)) {
                readXmp(sidecar, limits, out, warnings);
            } else {
                readText(sidecar, limits, out, warnings);
            }
        }
    }

    static void readText(Path file, TextLimits limits, ImageText.Builder out, List<String> warnings) {
        String name = "sidecar " + file.getFileName();
        long size;
        byte[] head;
        try {
            size = Files.size(file);
            try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
                head = in.readNBytes(limits.textSidecarBytes());
            }
        } catch (IOException | SecurityException e) {
            warnings.add(name + ": cannot read: " + EmbeddedText.describe(e));
            return;
        }
        boolean truncated = size > head.length;
        if (truncated) {
            warnings.add(name + ": " + size + " bytes, over the cap of " + limits.textSidecarBytes()
                    + "; only the first " + head.length + " bytes read");
        }
        int length = head.length;
        String text;
        if (length >= 3 && (head[0] & 0xFF) == 0xEF && (head[1] & 0xFF) == 0xBB && (head[2] & 0xFF) == 0xBF) {
            int end = truncated ? TextDecoding.withoutCutUtf8Tail(head, length) : length;
            text = new String(head, 3, end - 3, StandardCharsets.UTF_8);
        } else if (length >= 2 && (head[0] & 0xFF) == 0xFF && (head[1] & 0xFF) == 0xFE) {
            text = new String(head, 2, (length - 2) & ~1, StandardCharsets.UTF_16LE);
        } else if (length >= 2 && (head[0] & 0xFF) == 0xFE && (head[1] & 0xFF) == 0xFF) {
            text = new String(head, 2, (length - 2) & ~1, StandardCharsets.UTF_16BE);
        } else {
            String binary = binaryReason(head, length);
            if (binary != null) {
                warnings.add(name + ": looks binary (" + binary + "); skipped");
                return;
            }
            int end = truncated ? TextDecoding.withoutCutUtf8Tail(head, length) : length;
            TextDecoding.Decoded decoded = TextDecoding.legacy(head, 0, end);
            if (decoded.note() != null) {
                warnings.add(name + ": " + decoded.note());
            }
            text = decoded.text();
        }
        out.add(TextSource.SIDECAR, text);
    }

    static void readXmp(Path file, TextLimits limits, ImageText.Builder out, List<String> warnings) {
        String name = "sidecar " + file.getFileName();
        byte[] bytes;
        try {
            long size = Files.size(file);
            if (size > limits.xmpSidecarBytes()) {
                warnings.add(
                        name + ": " + size + " bytes, over the XMP cap of " + limits.xmpSidecarBytes() + "; skipped");
                return;
            }
            try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
                bytes = in.readNBytes(limits.xmpSidecarBytes());
            }
        } catch (IOException | SecurityException e) {
            warnings.add(name + ": cannot read: " + EmbeddedText.describe(e));
            return;
        }
        if (bytes.length == 0) {
            return;
        }
        EmbeddedText.readXmp(bytes, name, out, warnings);
    }

    /**
     * Why {@code bytes} are not text, or null: a NUL byte (UTF-16 without a BOM, images, archives), or
     * more than 1 in 100 bytes being C0 control characters other than tab, line feed, form feed and
     * carriage return.
     */
    static @Nullable String binaryReason(byte[] bytes, int length) {
        int controls = 0;
        for (int i = 0; i < length; i++) {
            int b = bytes[i] & 0xFF;
            if (b == 0) {
                return "NUL byte at offset " + i;
            }
            if (b < 0x20 && b != '\t' && b != '\n' && b != '\r' && b != '\f' || b == 0x7F) {
                controls++;
            }
        }
        if (controls > 2 && controls * 100 > length) {
            return controls + " control bytes in " + length;
        }
        return null;
    }

    private static void add(List<Path> found, Path candidate) {
        if (!Files.isRegularFile(candidate, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        for (Path known : found) {
            try {
                if (Files.isSameFile(known, candidate)) {
                    return; // a case-insensitive file system: IMG.txt and IMG.TXT are one file
                }
            } catch (IOException e) {
                // Cannot tell: keep both; the text is deduplicated anyway.
            }
        }
        found.add(candidate);
    }
}
