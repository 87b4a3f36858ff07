package io.koclip.search.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** bench-encoders on the demo bundle at a tiny size: well-formed lines, no timing assertions. */
class EncoderBenchCommandTest {
    @Test
    void printsImageAndTextLines() {
        DemoModelAvailable.assume();
        BenchCommands.Result result = BenchCommands.run(
                "bench-encoders",
                "--model",
                DemoModelAvailable.MODEL,
                "--image-batches",
                "1,2",
                "--images",
                "2",
                "--text-tokens",
                "8,16",
                "--text-runs",
                "2");
        assertThat(result.exit()).as(result.stdout()).isZero();
        assertThat(result.lines()).hasSize(4);
        for (JsonNode line : result.lines().subList(0, 2)) {
            assertThat(line.get("bench").asString()).isEqualTo("image");
            assertThat(line.get("imagesPerSecond").asDouble()).isPositive();
            assertThat(line.has("overheadPercent")).isTrue();
        }
        for (JsonNode line : result.lines().subList(2, 4)) {
            assertThat(line.get("bench").asString()).isEqualTo("text");
            assertThat(line.get("p90Ms").asDouble())
                    .isGreaterThanOrEqualTo(line.get("p50Ms").asDouble());
            assertThat(line.get("rawP50Ms").asDouble()).isPositive();
        }
        // texts are built to the asked token count (the tokenizer may fall one short)
        assertThat(result.lines().get(2).get("tokens").asInt()).isBetween(7, 8);
    }

    @Test
    void unknownVariantIsAUsageError() {
        DemoModelAvailable.assume();
        BenchCommands.Result result = BenchCommands.run(
                "bench-encoders", "--model", DemoModelAvailable.MODEL, "--variant", "no-such-variant");
        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.lines()).isEmpty();
    }
}
