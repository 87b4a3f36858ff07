package io.koclip.search.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.koclip.search.cli.IngestCommandOptions;
import io.koclip.search.ingest.IngestOptions;
import io.koclip.search.ingest.IngestSettings;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * The ingest settings mean the same on every surface: the command line, the server's configuration
 * ({@code koclip.ingest.*}) and the admin API's body.
 */
class IngestSettingsSurfacesTest {
    static IngestProperties bind(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties))
                .bindOrCreate("koclip.ingest", IngestProperties.class);
    }

    static IngestOptions server(IngestProperties properties, IngestSettings request) {
        return properties.settings().overriddenBy(request).toOptions(properties.source());
    }

    @Test
    void withNoInputEverySurfaceRunsTheSameOptions() {
        IngestOptions cli = IngestCommandOptions.parse();
        IngestOptions configured = server(bind(Map.of()), IngestSettings.DEFAULTS);
        IngestOptions api = server(bind(Map.of()), IngestRequest.NONE.settings());
        assertThat(configured).isEqualTo(cli);
        assertThat(api).isEqualTo(cli);
        assertThat(cli).isEqualTo(IngestOptions.defaults(Path.of(IngestOptions.DEFAULT_SOURCE)));
    }

    @Test
    void theSameSettingsGiveTheSameOptionsOnEverySurface() {
        IngestOptions cli = IngestCommandOptions.parse(
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
        IngestOptions configured = server(
                bind(Map.of(
                        "koclip.ingest.prune", "true",
                        "koclip.ingest.batch", "32",
                        "koclip.ingest.workers", "3",
                        "koclip.ingest.commit-every", "500",
                        "koclip.ingest.commit-interval", "10",
                        "koclip.ingest.decode-timeout", "2500ms",
                        "koclip.ingest.max-pixels", "50000000")),
                IngestSettings.DEFAULTS);
        IngestOptions api =
                server(bind(Map.of()), new IngestRequest(true, 32, 3, 500, 10.0, 2.5, 50_000_000L).settings());
        assertThat(configured).isEqualTo(cli);
        assertThat(api).isEqualTo(cli);
    }

    @Test
    void aRequestOverridesOnlyWhatItSets() {
        IngestProperties properties = bind(Map.of("koclip.ingest.prune", "true", "koclip.ingest.workers", "3"));
        IngestOptions options = server(properties, new IngestRequest(null, 8, null, null, null, null, null).settings());
        assertThat(options.prune()).isTrue();
        assertThat(options.workers()).isEqualTo(3);
        assertThat(options.batchSize()).isEqualTo(8);
    }

    @Test
    void workersZeroStillMeansTheDefaultInTheConfiguration() {
        assertThat(bind(Map.of("koclip.ingest.workers", "0")).settings().workers())
                .isNull();
    }

    @Test
    void aBadConfiguredValueNamesTheProperty() {
        assertThatThrownBy(() -> bind(Map.of("koclip.ingest.commit-every", "0")))
                .rootCause()
                .hasMessageContaining("commitEvery: 0 is not in [1, 10000000]");
        assertThatThrownBy(() -> bind(Map.of("koclip.ingest.commit-every", "0")))
                .hasStackTraceContaining("koclip.ingest.commit-every: 0 is not in [1, 10000000]");
    }
}
