package io.koclip.search.ingest;

import io.koclip.search.image.ImageFormat;
import io.koclip.search.image.ImageRejectedException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Walks a source folder and finds the image files to ingest.
 *
 * <ul>
 *   <li>Recursive, depth-first, in name order (runs are reproducible); memory holds the entries of
 *       the folders on the current path only.
 *   <li>A file is a candidate when its extension is an image extension, or when its first bytes are
 *       a known image signature (a JPEG saved as {@code photo.dat} is found); whether it really is an
 *       image is for the decoder to say, and a {@code .jpg} holding text becomes a failure entry.
 *   <li>Hidden entries (name starting with '.', or hidden to the file system) and system clutter
 *       ({@code Thumbs.db}, {@code desktop.ini}, {@code __MACOSX}, {@code @eaDir}, {@code $RECYCLE.BIN},
 *       {@code System Volume Information}, {@code lost+found}) are skipped with everything under them.
 *   <li>Symbolic links are followed only when their target lies inside the source root; a folder is
 *       entered once whatever the number of links to it, so link loops end. A link keeps its own name:
 *       the file is indexed under the path that leads to it.
 *   <li>Only regular files are candidates: a folder named {@code x.jpg}, a FIFO or a device is not.
 * </ul>
 *
 * <p>Not thread-safe: one scanner per walk.
 */
final class SourceScanner {
    /**
     * Extensions that make a file a candidate without looking inside (lower case, no dot): those of
     * every decoded format and of the recognised undecodable ones, which become report lines.
     */
    static final Set<String> IMAGE_EXTENSIONS = Stream.concat(
                    Arrays.stream(ImageFormat.values()).flatMap(f -> f.extensions().stream()),
                    ImageFormat.UNSUPPORTED_EXTENSIONS.stream())
            .collect(Collectors.toUnmodifiableSet());

    /** Names of system and tool clutter that is never ingested, compared case-insensitively. */
    static final Set<String> SYSTEM_NAMES = Set.of(
            "thumbs.db",
            "ehthumbs.db",
            "desktop.ini",
            "__macosx",
            "@eadir",
            "$recycle.bin",
            "system volume information",
            "lost+found",
            "icon\r");

    /** One file to ingest. */
    record ScannedFile(Path file, String relativePath, long size, long modified) {}

    /** Receives what the walk finds. */
    interface Visitor {
        void file(ScannedFile file) throws InterruptedException;

        /** A folder that cannot be listed, or an entry whose attributes cannot be read. */
        void unreadable(String relativePath, IOException error);
    }

    private final Path root;

    /** @param source the source folder; must exist and be a folder */
    SourceScanner(Path source) throws IOException {
        if (!Files.isDirectory(source)) {
            throw new IllegalArgumentException("source: " + source + " is not a folder");
        }
        this.root = source.toRealPath();
    }

    Path root() {
        return root;
    }

    /** Walks the whole tree, calling {@code visitor} for each candidate, until done or {@code stop} says so. */
    void walk(Visitor visitor, BooleanSupplier stop) throws InterruptedException {
        Set<Path> entered = new HashSet<>();
        entered.add(root);
        // One level per open folder: its entries in name order and how far we got. Holds the entries of
        // the folders on the current path only.
        Deque<Level> levels = new ArrayDeque<>();
        Level top = list(root, "", visitor);
        if (top != null) {
            levels.push(top);
        }
        while (!levels.isEmpty()) {
            if (stop.getAsBoolean()) {
                return;
            }
            Level level = levels.peek();
            if (!level.entries().hasNext()) {
                levels.pop();
                continue;
            }
            Path entry = level.entries().next();
            String name = entry.getFileName().toString();
            String relative = level.relative().isEmpty() ? name : level.relative() + "/" + name;
            if (isHiddenOrSystem(entry, name)) {
                continue;
            }
            try {
                BasicFileAttributes attributes =
                        Files.readAttributes(entry, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                Path real = entry;
                if (attributes.isSymbolicLink()) {
                    Path target = resolveInside(entry);
                    if (target == null) {
                        continue; // broken, or pointing out of the source root
                    }
                    real = target;
                    attributes = Files.readAttributes(target, BasicFileAttributes.class);
                }
                if (attributes.isDirectory()) {
                    Path realFolder = real.toRealPath();
                    if (entered.add(realFolder)) {
                        Level sub = list(realFolder, relative, visitor);
                        if (sub != null) {
                            levels.push(sub);
                        }
                    }
                } else if (attributes.isRegularFile() && isCandidate(real, name)) {
                    visitor.file(new ScannedFile(
                            entry,
                            relative,
                            attributes.size(),
                            attributes.lastModifiedTime().toMillis()));
                }
            } catch (IOException e) {
                visitor.unreadable(relative, e);
            }
        }
    }

    private record Level(Iterator<Path> entries, String relative) {}

    /** The entries of a folder in name order, or null (reported) when it cannot be listed. */
    private static Level list(Path folder, String relative, Visitor visitor) {
        List<Path> entries = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(folder)) {
            stream.forEach(entries::add);
        } catch (IOException | java.nio.file.DirectoryIteratorException e) {
            visitor.unreadable(
                    relative.isEmpty() ? "." : relative,
                    e instanceof IOException io ? io : ((java.nio.file.DirectoryIteratorException) e).getCause());
            return null;
        }
        entries.sort(null);
        return new Level(entries.iterator(), relative);
    }

    /**
     * Whether a walk would still yield {@code relativePath} as a regular file: used by pruning to tell
     * a document whose file is gone (or now hidden, or now a link out of the root) from a live one.
     */
    boolean stillPresent(String relativePath) {
        Path current = root;
        String[] parts = relativePath.split("/", -1);
        for (String part : parts) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                return false;
            }
            current = current.resolve(part);
            if (isHiddenOrSystem(current, part)) {
                return false;
            }
        }
        try {
            Path real = current.toRealPath();
            return real.startsWith(root)
                    && Files.readAttributes(real, BasicFileAttributes.class).isRegularFile();
        } catch (java.nio.file.NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            return true; // cannot tell (permissions, an I/O error): keep the document rather than lose it
        }
    }

    /** The real path of {@code path} when it exists inside the root, else null. */
    private Path resolveInside(Path path) {
        try {
            Path real = path.toRealPath();
            return real.startsWith(root) ? real : null;
        } catch (IOException e) {
            return null;
        }
    }

    static boolean isHiddenOrSystem(Path entry, String name) {
        if (name.startsWith(".") || SYSTEM_NAMES.contains(name.toLowerCase(Locale.ROOT))) {
            return true;
        }
        try {
            // The file system's own notion of hidden (the DOS attribute on Windows; a leading dot on Unix).
            return Files.isHidden(entry);
        } catch (IOException e) {
            return false;
        }
    }

    static boolean isCandidate(Path file, String name) {
        int dot = name.lastIndexOf('.');
        if (dot > 0 && IMAGE_EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT))) {
            return true;
        }
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(32);
        } catch (IOException e) {
            return false; // an unreadable file without an image extension is not worth a failure entry
        }
        try {
            ImageFormat.detect(head);
            return true;
        } catch (ImageRejectedException e) {
            // A known image format without a decoder (HEIC, AVIF...) is reported, not silently skipped.
            return e.reason() == ImageRejectedException.Reason.UNSUPPORTED_FORMAT;
        }
    }
}
