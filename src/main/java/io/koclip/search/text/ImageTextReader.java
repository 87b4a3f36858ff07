package io.koclip.search.text;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Gathers the text of one image from every source (see the package documentation): what the file
 * embeds, its sidecars, its path, and the captions file when there is one. Never throws for bad
 * input; problems are {@link ExtractedText#warnings()}.
 *
 * <p>Change detection: an unchanged image file is not read again by ingest, but its sidecars or
 * captions may have changed. {@link #sourcesStamp} summarizes those from file sizes and times without
 * reading them; when the stamp stored with a document differs, ingest calls {@link #read} again (it
 * needs the image's bytes for the embedded text, not its pixels) and updates the text without
 * encoding the image.
 *
 * <p>Thread-safe: immutable; the captions are read once, before.
 */
public final class ImageTextReader {
    /**
     * Part of every {@link #sourcesStamp}: raising it (when extraction changes what it finds in the
     * same files) re-indexes every document's text on the next ingest, without encoding images.
     */
    static final String EXTRACTION_VERSION = "text-sources/1";

    private final TextLimits limits;
    private final @Nullable CaptionLookup captions;

    /**
     * @param limits caps on text and sidecar sizes
     * @param captions the captions file's lookup, or null when ingest was given none
     */
    public ImageTextReader(TextLimits limits, @Nullable CaptionLookup captions) {
        if (limits == null) {
            throw new IllegalArgumentException("limits must not be null (TextLimits.DEFAULT for the defaults)");
        }
        this.limits = limits;
        this.captions = captions;
    }

    /** Default limits, no captions file. */
    public static ImageTextReader withDefaults() {
        return new ImageTextReader(TextLimits.DEFAULT, null);
    }

    public TextLimits limits() {
        return limits;
    }

    /**
     * All text of one image, capped.
     *
     * @param relativePath the image's path relative to the source root, '/' separators (as documents name it)
     * @param file where the image is, to find its sidecars
     * @param bytes the image file's content, for its embedded metadata
     */
    public ExtractedText read(String relativePath, Path file, byte[] bytes) {
        ImageText.Builder text = ImageText.builder();
        List<String> warnings = new ArrayList<>();
        EmbeddedText.read(bytes, text, warnings);
        Sidecars.read(file, limits, text, warnings);
        text.addAll(TextSource.PATH_WORDS, PathWords.of(relativePath));
        text.addAll(TextSource.CAPTION, captions(relativePath));
        return capped(text, warnings);
    }

    /** Only the text embedded in the image file (EXIF, Windows XP, IPTC, XMP, PNG text), capped. */
    public ExtractedText embedded(byte[] bytes) {
        ImageText.Builder text = ImageText.builder();
        List<String> warnings = new ArrayList<>();
        EmbeddedText.read(bytes, text, warnings);
        return capped(text, warnings);
    }

    /** Only the text of the image's sidecars ({@code .txt} into sidecar, {@code .xmp} into title, description, keywords), capped. */
    public ExtractedText sidecars(Path file) {
        ImageText.Builder text = ImageText.builder();
        List<String> warnings = new ArrayList<>();
        Sidecars.read(file, limits, text, warnings);
        return capped(text, warnings);
    }

    /** The sidecar files of {@code file} that exist, in the order they are read. */
    public static List<Path> sidecarFiles(Path file) {
        return Sidecars.find(file);
    }

    /** The words of the folder and file names of {@code relativePath}, camera-generated names left out. */
    public static List<String> pathWords(String relativePath) {
        return PathWords.of(relativePath);
    }

    /** The captions file's captions for {@code relativePath}; empty without a captions file. */
    public List<String> captions(String relativePath) {
        return captions == null ? List.of() : captions.captions(relativePath);
    }

    /**
     * A short hex digest of what, besides the image's bytes, its text depends on: each sidecar's name,
     * size and modification time, and the captions for this path. Cheap (stats, no reads); equal
     * stamps mean the text need not be read again.
     */
    public String sourcesStamp(String relativePath, Path file) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
        sha.update(EXTRACTION_VERSION.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
        for (Path sidecar : Sidecars.find(file)) {
            String entry;
            try {
                entry = sidecar.getFileName() + ":" + Files.size(sidecar) + ":"
                        + Files.getLastModifiedTime(sidecar, LinkOption.NOFOLLOW_LINKS)
                                .toMillis();
            } catch (IOException e) {
                entry = sidecar.getFileName() + ":unreadable";
            }
            sha.update(entry.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
        }
        sha.update((byte) 1);
        for (String caption : captions(relativePath)) {
            sha.update(caption.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
        }
        return HexFormat.of().formatHex(sha.digest(), 0, 16);
    }

    private ExtractedText capped(ImageText.Builder text, List<String> warnings) {
        ExtractedText capped = text.build().capped(limits);
        List<String> all = new ArrayList<>(warnings);
        all.addAll(capped.warnings());
        return new ExtractedText(capped.text(), all);
    }
}
