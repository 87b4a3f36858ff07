package io.koclip.search.web;

import io.koclip.search.index.IndexStats;
import io.koclip.search.model.ClipModel;
import io.koclip.search.search.LiveIndex;
import java.io.IOException;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Health of the index ({@code /actuator/health/index}): UP with the document count when searches are
 * answered, OUT_OF_SERVICE with the reason while they are refused (first ingest running, another
 * model's index), DOWN when the index cannot be read.
 */
@Component("index")
class IndexHealth implements HealthIndicator {
    private final LiveIndex index;
    private final ClipModel model;

    IndexHealth(LiveIndex index, ClipModel model) {
        this.index = index;
        this.model = model;
    }

    @Override
    public Health health() {
        Health.Builder builder;
        String reason = index.notReadyReason();
        builder = reason == null ? Health.up() : Health.outOfService().withDetail("reason", reason);
        try {
            IndexStats stats = index.read(i -> i.stats());
            return builder.withDetail("open", true)
                    .withDetail("documents", stats.documents())
                    .withDetail("sizeBytes", stats.sizeBytes())
                    .withDetail("model", stats.metadata().model().name())
                    .withDetail("serverModel", model.bundle().name())
                    .build();
        } catch (IOException | RuntimeException e) {
            return (reason == null ? Health.down() : builder)
                    .withDetail("open", false)
                    .withDetail("error", String.valueOf(e.getMessage()))
                    .build();
        }
    }

    /** Live documents, or -1 while the index cannot be read (for the gauge). */
    static double documents(LiveIndex index) {
        try {
            return index.read(i -> i.stats()).documents();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
