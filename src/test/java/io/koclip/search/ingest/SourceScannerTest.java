package io.koclip.search.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourceScannerTest {
    @TempDir
    Path tmp;

    record Walk(List<String> files, List<String> unreadable) {}

    static Walk walk(Path root) throws Exception {
        List<String> files = new ArrayList<>();
        List<String> unreadable = new ArrayList<>();
        new SourceScanner(root)
                .walk(
                        new SourceScanner.Visitor() {
                            @Override
                            public void file(SourceScanner.ScannedFile file) {
                                files.add(file.relativePath());
                            }

                            @Override
                            public void unreadable(String relativePath, IOException error) {
                                unreadable.add(relativePath);
                            }
                        },
                        () -> false);
        return new Walk(files, unreadable);
    }

    @Test
    void candidateExtensionsComeFromTheImageFormats() {
        assertThat(SourceScanner.IMAGE_EXTENSIONS)
                .containsExactlyInAnyOrder(
                        "jpg", "jpeg", "jpe", "jfif", "png", "gif", "webp", "bmp", "dib", "tif", "tiff", "heic", "heif",
                        "avif");
        for (io.koclip.search.image.ImageFormat format : io.koclip.search.image.ImageFormat.values()) {
            assertThat(SourceScanner.IMAGE_EXTENSIONS).containsAll(format.extensions());
            assertThat(io.koclip.search.image.ImageFormat.forExtension(
                            format.extensions().get(0)))
                    .contains(format);
        }
    }

    @Test
    void walksRecursivelyInNameOrder() throws Exception {
        Path root = tmp.resolve("root");
        TestImages.write(root, "b/2.png", 1);
        TestImages.write(root, "a/z/1.jpg", 2);
        TestImages.write(root, "a/0.JPG", 3);
        TestImages.write(root, "top.jpeg", 4);
        assertThat(walk(root).files()).containsExactly("a/0.JPG", "a/z/1.jpg", "b/2.png", "top.jpeg");
    }

    @Test
    void findsImagesByTheirMagicBytesNotOnlyTheirExtension() throws Exception {
        Path root = tmp.resolve("root");
        TestImages.write(root, "photo-without-extension", TestImages.jpeg(1));
        TestImages.write(root, "picture.dat", TestImages.png(2));
        TestImages.write(root, "notes.txt", "BM is not a bitmap".getBytes(StandardCharsets.UTF_8));
        TestImages.write(root, "readme.md", "# hello".getBytes(StandardCharsets.UTF_8));
        TestImages.write(root, "empty-no-extension", new byte[0]);
        // A .jpg holding text is a candidate: the decoder will say what it is (a failure in the report).
        TestImages.write(root, "liar.jpg", "hello".getBytes(StandardCharsets.UTF_8));
        assertThat(walk(root).files()).containsExactly("liar.jpg", "photo-without-extension", "picture.dat");
    }

    @Test
    void skipsHiddenAndSystemFilesAndEverythingUnderThem() throws Exception {
        Path root = tmp.resolve("root");
        TestImages.write(root, "keep.png", 1);
        TestImages.write(root, ".hidden.png", 2);
        TestImages.write(root, ".thumbnails/t.png", 3);
        TestImages.write(root, "__MACOSX/._keep.png", 4);
        TestImages.write(root, "@eaDir/keep.png/SYNOFILE_THUMB_M.jpg", 5);
        TestImages.write(root, "Thumbs.db", TestImages.jpeg(6));
        TestImages.write(root, "$RECYCLE.BIN/old.png", 7);
        TestImages.write(root, "System Volume Information/x.jpg", 8);
        TestImages.write(root, "lost+found/y.jpg", 9);
        assertThat(walk(root).files()).containsExactly("keep.png");
    }

    @Test
    void aFolderNamedLikeAnImageIsNotAFile() throws Exception {
        Path root = tmp.resolve("root");
        Files.createDirectories(root.resolve("x.jpg"));
        TestImages.write(root, "x.jpg/inside.png", 1);
        assertThat(walk(root).files()).containsExactly("x.jpg/inside.png");
    }

    @Test
    void neverFollowsALinkOutOfTheSourceRoot() throws Exception {
        Path root = tmp.resolve("root");
        Path outside = tmp.resolve("outside");
        TestImages.write(outside, "secret.png", 1);
        TestImages.write(root, "in.png", 2);
        Files.createSymbolicLink(root.resolve("escape"), outside);
        Files.createSymbolicLink(root.resolve("escape.png"), outside.resolve("secret.png"));
        Files.createSymbolicLink(root.resolve("absolute-etc"), Path.of("/etc"));
        Files.createSymbolicLink(root.resolve("broken.png"), root.resolve("missing.png"));
        assertThat(walk(root).files()).containsExactly("in.png");
    }

    @Test
    void followsLinksInsideTheRootAndEndsLinkLoops() throws Exception {
        Path root = tmp.resolve("root");
        TestImages.write(root, "a/img.png", 1);
        Files.createSymbolicLink(root.resolve("a/loop"), root.resolve("a")); // a/loop -> a
        Files.createSymbolicLink(root.resolve("a/up"), root); // a/up -> root
        Files.createSymbolicLink(root.resolve("alias.png"), root.resolve("a/img.png"));
        Walk walk = walk(root);
        // Each folder is entered once; a link to a file keeps its own name (dedupe by content happens later).
        assertThat(walk.files()).containsExactly("a/img.png", "alias.png");
        assertThat(walk.unreadable()).isEmpty();
    }

    @Test
    void stillPresentMirrorsTheWalk() throws Exception {
        Path root = tmp.resolve("root");
        Path outside = tmp.resolve("outside");
        TestImages.write(root, "a/img.png", 1);
        TestImages.write(root, ".hidden/img.png", 2);
        TestImages.write(outside, "o.png", 3);
        Files.createSymbolicLink(root.resolve("out.png"), outside.resolve("o.png"));
        Files.createDirectories(root.resolve("dir.png"));
        SourceScanner scanner = new SourceScanner(root);
        assertThat(scanner.stillPresent("a/img.png")).isTrue();
        assertThat(scanner.stillPresent("a/gone.png")).isFalse();
        assertThat(scanner.stillPresent(".hidden/img.png")).isFalse();
        assertThat(scanner.stillPresent("out.png")).isFalse();
        assertThat(scanner.stillPresent("dir.png")).isFalse();
        assertThat(scanner.stillPresent("a/../a/img.png")).isFalse();
    }

    @Test
    void unreadableFoldersAreReportedAndTheWalkGoesOn() throws Exception {
        Path root = tmp.resolve("root");
        TestImages.write(root, "locked/in.png", 1);
        TestImages.write(root, "open/in.png", 2);
        Path locked = root.resolve("locked");
        locked.toFile().setReadable(false, false);
        locked.toFile().setExecutable(false, false);
        try {
            Walk walk = walk(root);
            if (Files.isReadable(locked)) {
                // Running as root: permissions do not apply; nothing to observe.
                assertThat(walk.files()).contains("open/in.png");
            } else {
                assertThat(walk.files()).containsExactly("open/in.png");
                assertThat(walk.unreadable()).containsExactly("locked");
            }
        } finally {
            locked.toFile().setReadable(true, false);
            locked.toFile().setExecutable(true, false);
        }
    }

    @Test
    void theSourceMustBeAFolder() throws IOException {
        Path file = TestImages.write(tmp, "file.png", 1);
        assertThatThrownBy(() -> new SourceScanner(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not a folder");
        assertThatThrownBy(() -> new SourceScanner(tmp.resolve("missing")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
