package io.koclip.search.model;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Finds Linux shared libraries by file name ({@code libcudnn.so.9}) where the dynamic loader looks
 * for them: the {@code LD_LIBRARY_PATH} folders, the {@code ldconfig} cache ({@code /etc/ld.so.cache})
 * and the default library folders. It opens nothing, so a missing CUDA library is found without
 * ONNX Runtime printing a native error; the provider libraries of the GPU jar have no RPATH or
 * RUNPATH, so these three places are all the loader consults for them.
 *
 * <p>Immutable and thread-safe.
 */
final class SharedLibraries {
    private static final List<Path> DEFAULT_FOLDERS = List.of(
            Path.of("/lib/x86_64-linux-gnu"),
            Path.of("/usr/lib/x86_64-linux-gnu"),
            Path.of("/lib/aarch64-linux-gnu"),
            Path.of("/usr/lib/aarch64-linux-gnu"),
            Path.of("/lib64"),
            Path.of("/usr/lib64"),
            Path.of("/lib"),
            Path.of("/usr/lib"));

    private final List<Path> searchPath;
    private final byte[] cache;
    private final List<Path> defaultFolders;

    /**
     * @param searchPath the {@code LD_LIBRARY_PATH} folders, in order
     * @param cache the bytes of {@code /etc/ld.so.cache} (empty when there is none)
     * @param defaultFolders the loader's default folders
     */
    SharedLibraries(List<Path> searchPath, byte[] cache, List<Path> defaultFolders) {
        this.searchPath = List.copyOf(searchPath);
        this.cache = cache.clone();
        this.defaultFolders = List.copyOf(defaultFolders);
    }

    /** This process's view: its {@code LD_LIBRARY_PATH}, the system cache and folders. */
    static SharedLibraries system() {
        return new SharedLibraries(
                parseSearchPath(System.getenv("LD_LIBRARY_PATH")),
                readCache(Path.of("/etc/ld.so.cache")),
                DEFAULT_FOLDERS);
    }

    /** True on Linux, the only system whose loader this class knows. */
    static boolean applies() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux");
    }

    /** Those of {@code fileNames} the loader would not find, in the given order. */
    List<String> missing(List<String> fileNames) {
        return fileNames.stream().filter(name -> find(name).isEmpty()).toList();
    }

    /** Where the loader would find {@code fileName}, if anywhere. */
    Optional<Path> find(String fileName) {
        if (fileName.isEmpty() || fileName.contains("/")) {
            throw new IllegalArgumentException("shared library: '" + fileName + "' is not a bare file name");
        }
        for (Path folder : searchPath) {
            Path candidate = folder.resolve(fileName);
            if (Files.isRegularFile(candidate)) {
                return Optional.of(candidate);
            }
        }
        Optional<Path> cached = inCache(fileName);
        if (cached.isPresent()) {
            return cached;
        }
        for (Path folder : defaultFolders) {
            Path candidate = folder.resolve(fileName);
            if (Files.isRegularFile(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /**
     * The cache's string table holds, for each library, its file name and its full path, each ended
     * by a NUL byte; a path ending in {@code /fileName} whose file exists is a hit.
     */
    private Optional<Path> inCache(String fileName) {
        byte[] needle = ("/" + fileName + "\0").getBytes(StandardCharsets.UTF_8);
        for (int at = indexOf(cache, needle, 0); at >= 0; at = indexOf(cache, needle, at + 1)) {
            int start = at;
            while (start > 0 && cache[start - 1] != 0) {
                start--;
            }
            String path = new String(cache, start, at + needle.length - 1 - start, StandardCharsets.UTF_8);
            if (path.startsWith("/") && Files.isRegularFile(Path.of(path))) {
                return Optional.of(Path.of(path));
            }
        }
        return Optional.empty();
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = from; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** {@code LD_LIBRARY_PATH} as the loader reads it: colon-separated, empty entries mean the working folder. */
    static List<Path> parseSearchPath(String value) {
        List<Path> folders = new ArrayList<>();
        if (value == null || value.isEmpty()) {
            return folders;
        }
        for (String entry : value.split("[:;]", -1)) {
            folders.add(Path.of(entry.isEmpty() ? "." : entry));
        }
        return folders;
    }

    private static byte[] readCache(Path path) {
        try {
            return Files.isRegularFile(path) ? Files.readAllBytes(path) : new byte[0];
        } catch (IOException e) {
            return new byte[0];
        }
    }
}
