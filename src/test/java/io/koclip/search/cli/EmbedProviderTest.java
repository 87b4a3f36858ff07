package io.koclip.search.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code embed --provider} on the CPU build of ONNX Runtime (the build CI runs): real probe, no stubs. */
class EmbedProviderTest {
    record Run(int exit, List<String> stdout, List<String> stderr) {}

    @BeforeEach
    void cpuBuild() {
        assumeFalse(OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA), "this is the GPU build");
    }

    private static Run run(String... args) {
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
        return new Run(
                exit,
                stdout.toString(StandardCharsets.UTF_8).lines().toList(),
                stderr.toString(StandardCharsets.UTF_8).lines().toList());
    }

    @Test
    void cudaOnTheCpuBuildIsOneLineOnStderrAndExit1() {
        Run run = run("embed", "--provider", "cuda", "--text", "빨간 원");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.stdout()).noneMatch(l -> l.startsWith("{"));
        assertThat(run.stderr())
                .singleElement()
                .asString()
                .startsWith("embed: execution provider cuda is not usable: this is the CPU build of ONNX Runtime")
                .contains("./mvnw -Pcuda package", "choose provider auto (falls back to CPU) or cpu")
                .doesNotContain("Exception", "at io.koclip");
    }

    @Test
    void autoOnTheCpuBuildEmbedsOnCpuAndSaysSoOnce() {
        Run run = run("embed", "--provider", "auto", "--text", "빨간 원");
        assertThat(run.exit()).isZero();
        List<String> warnings =
                run.stderr().stream().filter(l -> l.contains(" WARN ")).toList();
        assertThat(warnings)
                .singleElement()
                .asString()
                .contains("execution provider auto: running on CPU because this is the CPU build of ONNX Runtime");
        JsonNode line = JsonMapper.builder()
                .build()
                .readTree(run.stdout().stream()
                        .filter(l -> l.startsWith("{"))
                        .findFirst()
                        .orElseThrow());
        assertThat(line.get("provider").asString()).isEqualTo("cpu");
        assertThat(line.get("vector").size()).isPositive();
    }

    @Test
    void cpuSaysCpu() {
        Run run = run("embed", "--text", "a red circle");
        assertThat(run.exit()).isZero();
        assertThat(run.stderr()).noneMatch(l -> l.contains(" WARN "));
        assertThat(run.stdout()).anyMatch(l -> l.startsWith("{") && l.contains("\"provider\":\"cpu\""));
    }
}
