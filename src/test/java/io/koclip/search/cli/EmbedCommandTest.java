package io.koclip.search.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class EmbedCommandTest {
    @TempDir
    Path dir;

    record Run(int exit, List<JsonNode> lines) {}

    private Run run(String... args) {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int exit;
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            exit = RootCommand.commandLine(new RootCommand()).execute(args);
        } finally {
            System.setOut(original);
        }
        JsonMapper json = JsonMapper.builder().build();
        List<JsonNode> lines = captured.toString(StandardCharsets.UTF_8)
                .lines()
                .filter(l -> l.startsWith("{"))
                .map(json::readTree)
                .toList();
        return new Run(exit, lines);
    }

    private static double norm(JsonNode vector) {
        double sum = 0;
        for (JsonNode v : vector) {
            sum += v.asDouble() * v.asDouble();
        }
        return Math.sqrt(sum);
    }

    @Test
    void printsOneUnitVectorPerInput() throws Exception {
        Path image = Files.list(Path.of("src/test/resources/demo/heldout"))
                .sorted()
                .findFirst()
                .orElseThrow();
        Run run = run("embed", "--text", "빨간 원", "--text", "a red circle", "--image", image.toString());
        assertThat(run.exit()).isZero();
        assertThat(run.lines()).hasSize(3);
        assertThat(run.lines().get(0).get("kind").asString()).isEqualTo("image");
        assertThat(run.lines().get(0).get("input").asString()).isEqualTo(image.toString());
        assertThat(run.lines().get(1).get("input").asString()).isEqualTo("빨간 원");
        for (JsonNode line : run.lines()) {
            assertThat(line.has("error")).as(line.toString()).isFalse();
            assertThat(norm(line.get("vector"))).isCloseTo(1.0, within(1e-4));
        }
    }

    @Test
    void aBrokenImageIsAnErrorLineAndExit2() throws Exception {
        Path broken = Files.writeString(dir.resolve("broken.jpg"), "not an image at all");
        Run run = run("embed", "--image", broken.toString(), "--text", "파란 네모");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.lines()).hasSize(2);
        assertThat(run.lines().get(0).get("error").asString()).contains("not an image");
        assertThat(run.lines().get(1).has("vector")).isTrue();
    }

    @Test
    void templatesAutoChangesTheVector() {
        Run raw = run("embed", "--text", "빨간 원");
        Run templated = run("embed", "--template", "auto", "--text", "빨간 원");
        assertThat(raw.lines().get(0).get("vector"))
                .isNotEqualTo(templated.lines().get(0).get("vector"));
    }
}
