package io.koclip.search.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.koclip.search.ingest.IngestOptions;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class IngestCommandTest {
    @Test
    void withoutOptionsTheCommandRunsWithIngestOptionsDefaults() {
        IngestCommand command = new IngestCommand();
        new CommandLine(command).parseArgs();
        assertThat(command.options()).isEqualTo(IngestOptions.defaults(Path.of(IngestOptions.DEFAULT_SOURCE)));
        // Options outside the ingest settings keep their own annotated defaults.
        assertThat(command.progress).isEqualTo("auto");
    }

    @Test
    void everySettingMapsToItsOption() {
        IngestOptions options = IngestCommandOptions.parse(
                "--source",
                "photos",
                "--prune",
                "--batch",
                "32",
                "--workers",
                "3",
                "--commit-every",
                "500",
                "--commit-seconds",
                "10",
                "--decode-timeout",
                "2.5",
                "--max-pixels",
                "50000000");
        assertThat(options)
                .isEqualTo(IngestOptions.defaults(Path.of("photos"))
                        .withPrune(true)
                        .withBatchSize(32)
                        .withWorkers(3)
                        .withCommitEvery(500)
                        .withCommitInterval(Duration.ofSeconds(10))
                        .withDecodeTimeout(Duration.ofMillis(2500))
                        .withMaxPixels(50_000_000));
    }

    @Test
    void helpShowsTheDefaultsOfIngestOptions() {
        String help = new CommandLine(new IngestCommand()).getUsageMessage().replaceAll("\\s+", " ");
        IngestOptions d = IngestOptions.defaults(Path.of("x"));
        assertThat(help)
                .contains("(default: " + d.batchSize() + ")")
                .contains(d.workers() + " here)")
                .contains("(default: " + d.commitEvery() + ")")
                .contains("(default: " + d.commitInterval().toSeconds() + ")")
                .contains("(default: " + d.decodeTimeout().toSeconds() + ")")
                .contains("(default: " + d.maxPixels() + ")");
    }

    @Test
    void aBadValueIsRefusedNamingTheOption() {
        assertThatThrownBy(() -> IngestCommandOptions.parse("--batch", "0"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--batch: 0 is not in [1, 1024]");
        assertThatThrownBy(() -> IngestCommandOptions.parse("--commit-seconds", "0"))
                .hasMessage("--commit-seconds: PT0S must be positive");
        assertThatThrownBy(() -> IngestCommandOptions.parse("--commit-every", "0"))
                .hasMessageStartingWith("--commit-every: 0");
    }
}
