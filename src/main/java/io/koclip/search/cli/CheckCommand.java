package io.koclip.search.cli;

import io.koclip.search.index.IndexCheck;
import io.koclip.search.index.IndexMetadata;
import io.koclip.search.options.IndexMixin;
import java.io.IOException;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code check}: Lucene's CheckIndex over every segment. Prints one JSON object (clean, document
 * count, segments, model, vector format, ingest checkpoint, problems); exit 0 only when clean.
 */
@Command(
        name = "check",
        mixinStandardHelpOptions = true,
        description = "Verify the index with Lucene's CheckIndex; exit 0 only if it is clean.")
final class CheckCommand implements Callable<Integer> {
    @Mixin
    IndexMixin index;

    @Option(names = "--verbose", description = "Print CheckIndex's detailed log on stderr.")
    boolean verbose;

    @Override
    public Integer call() throws IOException {
        PrintStream stdout = CommandOutput.reserveStdout();
        try {
            IndexCheck check = index.backend().check(verbose ? System.err : null);
            JsonMapper json = JsonMapper.builder().build();
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("index", index.toString());
            out.put("clean", check.clean());
            out.put("documents", check.documents());
            out.put("segments", check.segments());
            IndexMetadata metadata = check.metadata();
            out.put("model", metadata == null ? null : metadata.model().name());
            out.put(
                    "modelFingerprint",
                    metadata == null ? null : metadata.model().fingerprint());
            out.put("vectors", metadata == null ? null : metadata.vectors().label());
            String checkpoint = metadata == null ? null : metadata.checkpoint();
            out.put("checkpoint", checkpoint == null ? null : json.readTree(checkpoint));
            out.put("problems", check.problems());
            stdout.println(json.writeValueAsString(out));
            if (!check.clean() && !check.log().isEmpty()) {
                System.err.println(check.log());
            }
            return check.clean() ? 0 : 1;
        } catch (IllegalStateException e) {
            System.err.println("check: " + e.getMessage());
            return 1;
        } finally {
            CommandOutput.restore(stdout);
        }
    }
}
