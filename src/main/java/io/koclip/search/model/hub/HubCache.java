package io.koclip.search.model.hub;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The {@code huggingface_hub} cache layout on disk (see the package javadoc): finding snapshots,
 * placing downloaded blobs, listing and removing repos. A cache written by Python tools is read as
 * it is, and what this class writes is read by them.
 *
 * <p>Not synchronized: two processes pulling the same file at once may both download it; the move
 * into {@code blobs/} is atomic, so the result is still one whole file.
 */
final class HubCache {
    private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");

    private final Path root;

    HubCache(Path root) {
        this.root = root;
    }

    Path root() {
        return root;
    }

    Path repoFolder(RepoSpec spec) {
        return root.resolve(spec.folderName());
    }

    /** The commit a revision resolves to from the cache alone: itself when pinned, else refs/{revision}. */
    Optional<String> cachedCommit(RepoSpec spec) {
        if (spec.pinned()) {
            return Optional.of(spec.revision());
        }
        Path ref = refPath(spec, spec.revision());
        try {
            if (Files.isRegularFile(ref)) {
                String commit = Files.readString(ref, StandardCharsets.UTF_8).strip();
                return COMMIT.matcher(commit).matches() ? Optional.of(commit) : Optional.empty();
            }
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + ref, e);
        }
    }

    Path snapshot(RepoSpec spec, String commit) {
        return repoFolder(spec).resolve("snapshots").resolve(commit);
    }

    /** The snapshot path of a repo file, refusing paths that would leave the snapshot. */
    Path pointer(RepoSpec spec, String commit, String file) {
        Path snapshot = snapshot(spec, commit);
        Path pointer = snapshot.resolve(file).normalize();
        if (!pointer.startsWith(snapshot) || pointer.equals(snapshot)) {
            throw new IllegalArgumentException("repo file '" + file + "' would leave the snapshot folder");
        }
        return pointer;
    }

    Path blob(RepoSpec spec, String etag) {
        if (!etag.matches("[A-Za-z0-9._-]+") || etag.startsWith(".")) {
            throw new HubException(
                    HubException.Reason.INTEGRITY, spec + ": the Hub sent an unusable ETag '" + etag + "'");
        }
        return repoFolder(spec).resolve("blobs").resolve(etag);
    }

    Path incomplete(Path blob) {
        return blob.resolveSibling(blob.getFileName() + ".incomplete");
    }

    /** Records that {@code revision} points at {@code commit} (nothing to do for a pinned revision). */
    void writeRef(RepoSpec spec, String commit) throws IOException {
        if (spec.revision().equals(commit)) {
            return;
        }
        Path ref = refPath(spec, spec.revision());
        if (Files.isRegularFile(ref) && Files.readString(ref).equals(commit)) {
            return;
        }
        Files.createDirectories(ref.getParent());
        Path tmp = ref.resolveSibling(ref.getFileName() + ".tmp");
        Files.writeString(tmp, commit, StandardCharsets.UTF_8);
        move(tmp, ref);
    }

    /** Moves a verified download into place: same volume, atomic when the file system allows. */
    static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Makes {@code pointer} a relative symbolic link to {@code blob} ({@code ../../blobs/etag}, one
     * more {@code ../} per sub-folder), or a copy where the file system has no symbolic links.
     */
    static void link(Path blob, Path pointer) throws IOException {
        Files.createDirectories(pointer.getParent());
        Files.deleteIfExists(pointer);
        Path relative = pointer.getParent().relativize(blob);
        try {
            Files.createSymbolicLink(pointer, relative);
        } catch (UnsupportedOperationException | FileSystemException e) {
            Files.copy(blob, pointer, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Every cached model repo, sorted by id. */
    List<CachedModel> list() {
        List<CachedModel> result = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return result;
        }
        try (Stream<Path> folders = Files.list(root)) {
            for (Path folder : folders.sorted().toList()) {
                String name = folder.getFileName().toString();
                if (!name.startsWith("models--") || !Files.isDirectory(folder)) {
                    continue;
                }
                String repo = name.substring("models--".length()).replace("--", "/");
                result.add(new CachedModel(repo, folder, refs(folder), snapshots(folder), blobBytes(folder)));
            }
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the Hub cache " + root, e);
        }
    }

    /** Deletes a repo's folder (blobs, refs, snapshots) and its lock folder. */
    boolean remove(RepoSpec spec) throws IOException {
        Path folder = repoFolder(spec);
        if (!Files.exists(folder, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        deleteTree(folder);
        deleteTree(root.resolve(".locks").resolve(spec.folderName()));
        return true;
    }

    private static void deleteTree(Path folder) throws IOException {
        if (!Files.exists(folder, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        // Deepest first; symbolic links are deleted, never followed.
        try (Stream<Path> walk = Files.walk(folder)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private Path refPath(RepoSpec spec, String revision) {
        Path refs = repoFolder(spec).resolve("refs");
        Path ref = refs.resolve(revision).normalize();
        if (!ref.startsWith(refs)) {
            throw new IllegalArgumentException("revision '" + revision + "' would leave the refs folder");
        }
        return ref;
    }

    private static Map<String, String> refs(Path folder) throws IOException {
        Map<String, String> refs = new TreeMap<>();
        Path dir = folder.resolve("refs");
        if (Files.isDirectory(dir)) {
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path ref : walk.filter(Files::isRegularFile).toList()) {
                    refs.put(
                            dir.relativize(ref).toString().replace('\\', '/'),
                            Files.readString(ref).strip());
                }
            }
        }
        return refs;
    }

    private static List<String> snapshots(Path folder) throws IOException {
        Path dir = folder.resolve("snapshots");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(dir)) {
            return list.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static long blobBytes(Path folder) throws IOException {
        Path dir = folder.resolve("blobs");
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        long total = 0;
        try (Stream<Path> list = Files.list(dir)) {
            for (Path blob : list.toList()) {
                if (Files.isRegularFile(blob, LinkOption.NOFOLLOW_LINKS)) {
                    total += Files.size(blob);
                }
            }
        }
        return total;
    }
}
