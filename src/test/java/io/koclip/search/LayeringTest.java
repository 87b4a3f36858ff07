package io.koclip.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The package layering, checked on the sources: which package may use which. A file "uses" a package
 * when its code (comments left out) names it, in an import or fully qualified. Each rule lists the
 * offending files, so a failure says where to look.
 */
class LayeringTest {
    static final Path MAIN = Path.of("src/main/java/io/koclip/search");
    private static final Pattern COMMENTS = Pattern.compile("(?s)/\\*.*?\\*/|//[^\\n]*");

    record Source(String path, String code) {
        boolean uses(String pkg) {
            return code.contains(pkg + ".");
        }

        boolean under(String folder) {
            return path.startsWith(folder + "/");
        }
    }

    static List<Source> sources() {
        try (Stream<Path> files = Files.walk(MAIN)) {
            return files.filter(f -> f.toString().endsWith(".java"))
                    .map(f -> new Source(
                            MAIN.relativize(f).toString().replace('\\', '/'),
                            COMMENTS.matcher(read(f)).replaceAll("")))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> offenders(Predicate<Source> scope, String... forbidden) {
        return sources().stream()
                .filter(scope)
                .filter(s -> Stream.of(forbidden).anyMatch(s::uses))
                .map(Source::path)
                .toList();
    }

    @Test
    void theSourcesAreWhereTheTestLooks() {
        assertThat(sources()).hasSizeGreaterThan(100).anyMatch(s -> s.path().equals("index/VectorIndex.java"));
    }

    @Test
    void luceneOnlyInItsBackendAndTheBenchmarks() {
        assertThat(offenders(s -> !s.under("index/lucene") && !s.under("bench"), "org.apache.lucene"))
                .isEmpty();
        assertThat(offenders(s -> s.under("index/lucene"), "org.apache.lucene")).isNotEmpty();
    }

    @Test
    void benchmarksDoNotUseTheUserCommands() {
        assertThat(offenders(s -> s.under("bench"), "io.koclip.search.cli")).isEmpty();
    }

    @Test
    void theIndexSpiKnowsNoCallers() {
        assertThat(offenders(
                        s -> s.under("index") && !s.under("index/lucene"),
                        "io.koclip.search.search",
                        "io.koclip.search.web",
                        "io.koclip.search.cli",
                        "io.koclip.search.ingest",
                        "io.koclip.search.index.lucene"))
                .isEmpty();
    }

    @Test
    void theQuerySideKnowsNeitherItsPresentationNorTheAnalyses() {
        assertThat(offenders(
                        s -> s.under("search"),
                        "io.koclip.search.web",
                        "io.koclip.search.cli",
                        "io.koclip.search.analysis",
                        "io.koclip.search.index.lucene"))
                .isEmpty();
        assertThat(offenders(s -> s.under("analysis"), "io.koclip.search.web", "io.koclip.search.cli"))
                .isEmpty();
    }

    @Test
    void sharedOptionsDoNotUseTheCommands() {
        assertThat(offenders(s -> s.under("options"), "io.koclip.search.cli", "io.koclip.search.bench"))
                .isEmpty();
    }
}
