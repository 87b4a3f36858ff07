package io.koclip.search.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.ConfigDataApplicationContextInitializer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.unit.DataSize;

/** One source of search defaults: what Spring binds for the server is what the command line uses. */
class SearchPropertiesTest {
    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(SearchProperties.class)
    static class Bound {}

    /** The server's binding, application.yaml included. */
    final ApplicationContextRunner server = new ApplicationContextRunner()
            .withInitializer(new ConfigDataApplicationContextInitializer())
            .withUserConfiguration(Bound.class);

    @Test
    void theServersBoundDefaultsAreTheDefaults() {
        server.run(
                context -> assertThat(context.getBean(SearchProperties.class)).isEqualTo(SearchProperties.defaults()));
    }

    @Test
    void aSettingChangesTheBindingSoTheComparisonCanFail() {
        server.withPropertyValues("koclip.search.default-k=7", "koclip.search.cache.ttl=5m")
                .run(context -> {
                    SearchProperties bound = context.getBean(SearchProperties.class);
                    assertThat(bound).isNotEqualTo(SearchProperties.defaults());
                    assertThat(bound.defaultK()).isEqualTo(7);
                    assertThat(bound.cache().ttl()).isEqualTo(Duration.ofMinutes(5));
                    assertThat(bound.maxK())
                            .isEqualTo(SearchProperties.defaults().maxK());
                });
    }

    /** The documented laptop defaults (docs/api.md), bound from the record's @DefaultValue alone. */
    @Test
    void defaultsAreTheDocumentedOnes() {
        SearchProperties d = SearchProperties.defaults();
        assertThat(d.defaultK())
                .isEqualTo(Integer.parseInt(SearchProperties.DEFAULT_K))
                .isEqualTo(24);
        assertThat(d.maxK()).isEqualTo(1000);
        assertThat(d.maxWindow()).isEqualTo(5000);
        assertThat(d.minCandidates()).isEqualTo(100);
        assertThat(d.maxQueryLength()).isEqualTo(200);
        assertThat(d.maxLabels()).isEqualTo(100);
        assertThat(d.maxGridSide()).isEqualTo(8);
        assertThat(d.maxOverlap()).isEqualTo(0.75);
        assertThat(d.maxImagePixels()).isEqualTo(100_000_000L);
        assertThat(d.decodeTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(d.hybridLexicalWeight()).isEqualTo(HybridRetriever.DEFAULT_LEXICAL_WEIGHT);
        assertThat(d.cache()).isEqualTo(new SearchProperties.Cache(10_000, Duration.ofHours(1)));
        assertThat(d.inference())
                .isEqualTo(new SearchProperties.Inference(0, Duration.ofSeconds(2), Duration.ofSeconds(1)));
        assertThat(d.thumbnails())
                .isEqualTo(new SearchProperties.Thumbnails(320, DataSize.ofMegabytes(64), Duration.ofHours(1)));
    }

    @Test
    void theHybridLexicalWeightBindsAndIsChecked() {
        server.withPropertyValues("koclip.search.hybrid-lexical-weight=2.5")
                .run(context -> assertThat(
                                context.getBean(SearchProperties.class).hybridLexicalWeight())
                        .isEqualTo(2.5));
        server.withPropertyValues("koclip.search.hybrid-lexical-weight=11")
                .run(context ->
                        assertThat(context).hasFailed().getFailure().hasStackTraceContaining("hybridLexicalWeight"));
    }
}
