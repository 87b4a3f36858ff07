package io.koclip.search.bench;

import io.koclip.search.cli.RootCommand;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Runs a CLI command in-process and returns its exit code and the JSON lines it printed. */
final class BenchCommands {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    record Result(int exit, List<JsonNode> lines, String stdout) {}

    private BenchCommands() {}

    static synchronized Result run(String... args) {
        PrintStream original = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        int exit;
        try (PrintStream capture = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
            System.setOut(capture);
            exit = RootCommand.commandLine(new RootCommand()).execute(args);
        } finally {
            System.setOut(original);
        }
        String stdout = buffer.toString(StandardCharsets.UTF_8);
        List<JsonNode> lines = new ArrayList<>();
        for (String line : stdout.split("\n")) {
            if (!line.isBlank()) {
                lines.add(JSON.readTree(line)); // every stdout line must be JSON
            }
        }
        return new Result(exit, lines, stdout);
    }
}
