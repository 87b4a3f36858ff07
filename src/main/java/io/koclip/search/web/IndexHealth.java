package io.koclip.search.web;

import io.koclip.search.index.BackendStatus;
import io.koclip.search.index.IndexBackend;
import io.koclip.search.index.IndexStats;
import io.koclip.search.model.ClipModel;
import io.koclip.search.search.LiveIndex;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.stereotype.Component;

/**
 * Health of the index ({@code /actuator/health/index}): UP with the document count when searches are
 * answered, OUT_OF_SERVICE with the reason while they are refused (first ingest running, another
 * model's index), DOWN when the index cannot be read. {@code backend} names the engine
 * ({@code lucene}, {@code solr}); an engine with more to say (SolrCloud: live nodes, alias, collection
 * and generation, replica counts by state) adds {@code cluster}, whose {@code state} also sets this
 * indicator's: DOWN when the engine is down, DEGRADED (a custom status: the aggregate and the readiness
 * group ignore it, so a server that still answers every search stays in the load balancer) when it
 * answers with less redundancy than configured.
 */
@Component("index")
class IndexHealth implements HealthIndicator {
    /** The status of an index that answers every search, with less redundancy than configured. */
    static final Status DEGRADED = new Status("DEGRADED", "the index answers, with less redundancy than configured");

    private final LiveIndex index;
    private final ClipModel model;
    private final IndexBackend backend;

    IndexHealth(LiveIndex index, ClipModel model, IndexBackend backend) {
        this.index = index;
        this.model = model;
        this.backend = backend;
    }

    @Override
    public Health health() {
        Health.Builder builder;
        String reason = index.notReadyReason();
        BackendStatus engine = backend.status();
        if (reason != null) {
            builder = Health.outOfService().withDetail("reason", reason);
        } else {
            builder = switch (engine.state()) {
                case UP -> Health.up();
                case DEGRADED -> Health.status(DEGRADED);
                case DOWN -> Health.down();
            };
        }
        builder.withDetail("backend", engine.backend());
        if (!engine.details().isEmpty()) {
            Map<String, Object> cluster = new LinkedHashMap<>();
            cluster.put("state", engine.state().name());
            cluster.putAll(engine.details());
            builder.withDetail("cluster", cluster);
        }
        try {
            IndexStats stats = index.read(i -> i.stats());
            return builder.withDetail("open", true)
                    .withDetail("documents", stats.documents())
                    .withDetail("sizeBytes", stats.sizeBytes())
                    .withDetail("model", stats.metadata().model().name())
                    .withDetail("serverModel", model.bundle().name())
                    .build();
        } catch (IOException | RuntimeException e) {
            return (reason == null ? Health.down().withDetails(builder.build().getDetails()) : builder)
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
