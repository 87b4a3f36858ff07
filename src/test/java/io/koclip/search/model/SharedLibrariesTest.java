package io.koclip.search.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SharedLibrariesTest {
    @TempDir
    Path dir;

    /** Bytes shaped like ld.so.cache's string table: a header, then NUL-ended names and paths. */
    private static byte[] cache(String... strings) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("glibc-ld.so.cache1.1\u0001\u0002".getBytes(StandardCharsets.UTF_8));
        for (String s : strings) {
            out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
            out.write(0);
        }
        return out.toByteArray();
    }

    private Path library(String folder, String name) throws Exception {
        Path path = dir.resolve(folder).resolve(name);
        Files.createDirectories(path.getParent());
        return Files.writeString(path, "ELF");
    }

    @Test
    void findsInLdLibraryPathThenCacheThenDefaults() throws Exception {
        Path fromPath = library("cuda/lib64", "libcudart.so.12");
        Path fromCache = library("cudnn", "libcudnn.so.9");
        Path fromDefault = library("usr-lib", "libcurand.so.10");
        SharedLibraries libraries = new SharedLibraries(
                SharedLibraries.parseSearchPath(dir.resolve("nothing") + ":" + dir.resolve("cuda/lib64")),
                cache("libcudnn.so.9", fromCache.toString()),
                List.of(dir.resolve("usr-lib")));
        assertThat(libraries.find("libcudart.so.12")).contains(fromPath);
        assertThat(libraries.find("libcudnn.so.9")).contains(fromCache);
        assertThat(libraries.find("libcurand.so.10")).contains(fromDefault);
        assertThat(libraries.find("libcublasLt.so.12")).isEmpty();
        assertThat(libraries.missing(CudaRequirements.LIBRARIES))
                .containsExactly("libcuda.so.1", "libcublas.so.12", "libcublasLt.so.12");
        assertThat(libraries.missing(List.of("libcudart.so.12", "libcudnn.so.9")))
                .isEmpty();
    }

    @Test
    void aCacheEntryWhoseFileIsGoneDoesNotCount() throws Exception {
        Path real = library("b", "libcublasLt.so.12");
        SharedLibraries libraries = new SharedLibraries(
                List.of(),
                cache("libcublasLt.so.12", dir.resolve("a/libcublasLt.so.12").toString(), real.toString()),
                List.of());
        assertThat(libraries.find("libcublasLt.so.12")).contains(real);
        // A longer name that ends the same way is another library.
        assertThat(new SharedLibraries(
                                List.of(),
                                cache(dir.resolve("b/libcublasLt.so.123").toString()),
                                List.of())
                        .find("libcublasLt.so.12"))
                .isEmpty();
    }

    @Test
    void anEmptyLdLibraryPathEntryIsTheWorkingFolder() {
        assertThat(SharedLibraries.parseSearchPath("/a::/b"))
                .containsExactly(Path.of("/a"), Path.of("."), Path.of("/b"));
        assertThat(SharedLibraries.parseSearchPath(null)).isEmpty();
    }

    @Test
    void onlyBareFileNames() {
        SharedLibraries libraries = new SharedLibraries(List.of(), new byte[0], List.of());
        assertThatThrownBy(() -> libraries.find("/usr/lib/libcuda.so.1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'/usr/lib/libcuda.so.1'");
    }
}
