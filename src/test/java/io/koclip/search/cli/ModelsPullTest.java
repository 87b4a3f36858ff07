package io.koclip.search.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.koclip.search.model.hub.CheckpointExport;
import io.koclip.search.model.hub.FakeHub;
import io.koclip.search.model.hub.HubSettings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code models pull} of a KoCLIP checkpoint where no Python can export it: the checkpoint is
 * downloaded (README.md skipped), standard output says it was not exported, and standard error
 * gives the exact command.
 */
class ModelsPullTest {
    @TempDir
    Path home;

    final Supplier<HubSettings> settings = ModelsCommand.settings;
    final Supplier<CheckpointExport.Tools> tools = ModelsCommand.exportTools;

    @AfterEach
    void restore() {
        ModelsCommand.settings = settings;
        ModelsCommand.exportTools = tools;
    }

    record Run(int exit, String stdout, String stderr) {}

    static Run run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        int exit;
        try {
            System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
            exit = RootCommand.commandLine(new RootCommand()).execute(args);
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        return new Run(exit, stdout.toString(StandardCharsets.UTF_8), stderr.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aCheckpointWithoutPythonIsDownloadedAndTheCommandPrinted() throws Exception {
        Path exporter = Path.of("src/tools/koclip/export.py").toAbsolutePath();
        try (FakeHub fake = new FakeHub()) {
            String commit = fake.publish(
                    "koclip/koclip-base-pt",
                    Map.of(
                            "config.json", "{\"model_type\": \"vision-text-dual-encoder\"}".getBytes(),
                            "pytorch_model.bin", new byte[4096],
                            "tokenizer.json", "{}".getBytes(),
                            "README.md", "# KoCLIP".getBytes()));
            ModelsCommand.settings = () -> fake.settings(home.resolve("hub"), null);
            ModelsCommand.exportTools = () -> new CheckpointExport.Tools("/nonexistent/python3", exporter);
            Run run = run("models", "pull", "koclip/koclip-base-pt");
            assertThat(run.exit()).as(run.stderr()).isZero();
            JsonNode out = JsonMapper.builder().build().readTree(run.stdout().strip());
            assertThat(out.get("model").asString()).isEqualTo("koclip/koclip-base-pt");
            assertThat(out.get("commit").asString()).isEqualTo(commit);
            assertThat(out.get("exported").asBoolean()).isFalse();
            Path snapshot =
                    home.resolve("hub/models--koclip--koclip-base-pt/snapshots").resolve(commit);
            assertThat(out.get("checkpoint").asString()).isEqualTo(snapshot.toString());
            Path bundle = home.resolve("koclip-bundles/models--koclip--koclip-base-pt")
                    .resolve(commit);
            List<String> lines = run.stderr()
                    .lines()
                    .filter(l -> l.startsWith("models pull:"))
                    .toList();
            assertThat(lines).hasSize(1);
            assertThat(lines.get(0))
                    .contains("must be exported to ONNX first")
                    .endsWith("run: /nonexistent/python3 " + exporter + " --checkpoint " + snapshot + " --out " + bundle
                            + " --name koclip/koclip-base-pt");
            assertThat(snapshot.resolve("README.md")).doesNotExist();
        }
    }
}
