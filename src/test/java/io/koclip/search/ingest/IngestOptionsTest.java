package io.koclip.search.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IngestOptionsTest {
    @ParameterizedTest(name = "{0} core(s) -> {1} workers")
    @CsvSource({"0, 2", "1, 2", "2, 4", "4, 8", "8, 16", "32, 16"})
    void twoDecodeWorkersPerCoreCappedAtSixteen(int cores, int workers) {
        assertThat(IngestOptions.defaultWorkers(cores)).isEqualTo(workers);
    }

    @Test
    void defaultsUseThisMachinesCoresAndStayValid() {
        IngestOptions options = IngestOptions.defaults(Path.of("photos"));
        assertThat(options.workers())
                .isEqualTo(IngestOptions.defaultWorkers(Runtime.getRuntime().availableProcessors()));
        assertThat(options.batchSize()).isEqualTo(IngestOptions.DEFAULT_BATCH_SIZE);
        assertThatThrownBy(() -> options.withWorkers(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("workers");
    }
}
