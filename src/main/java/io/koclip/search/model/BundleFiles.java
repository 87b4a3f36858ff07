package io.koclip.search.model;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where a bundle's files live: a folder on disk, or a folder on the classpath (the embedded demo).
 * Thread-safe: immutable.
 */
public sealed interface BundleFiles {

    /** A human-readable location of {@code relative}, for error messages. */
    String describe(String relative);

    boolean exists(String relative);

    /** The file on disk, when there is one (ONNX external data needs a real path beside the graph). */
    Optional<Path> path(String relative);

    byte[] read(String relative) throws IOException;

    record Directory(Path root) implements BundleFiles {
        @Override
        public String describe(String relative) {
            return root.resolve(relative).toString();
        }

        @Override
        public boolean exists(String relative) {
            return Files.isRegularFile(root.resolve(relative));
        }

        @Override
        public Optional<Path> path(String relative) {
            return Optional.of(root.resolve(relative));
        }

        @Override
        public byte[] read(String relative) throws IOException {
            return Files.readAllBytes(root.resolve(relative));
        }
    }

    record Classpath(String prefix) implements BundleFiles {
        @Override
        public String describe(String relative) {
            return "classpath:" + prefix + relative;
        }

        @Override
        public boolean exists(String relative) {
            return BundleFiles.class.getClassLoader().getResource(prefix + relative) != null;
        }

        @Override
        public Optional<Path> path(String relative) {
            return Optional.empty();
        }

        @Override
        public byte[] read(String relative) throws IOException {
            try (InputStream in = BundleFiles.class.getClassLoader().getResourceAsStream(prefix + relative)) {
                if (in == null) {
                    throw new IOException("no such resource: " + describe(relative));
                }
                return in.readAllBytes();
            }
        }
    }
}
