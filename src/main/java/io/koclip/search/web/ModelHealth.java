package io.koclip.search.web;

import io.koclip.search.model.ClipModel;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Health of the model ({@code /actuator/health/model}): the bundle loaded at start-up (a bundle that
 * fails to load stops the server, so a running server's model is UP) and the execution provider in use.
 */
@Component("model")
class ModelHealth implements HealthIndicator {
    private final ClipModel model;

    ModelHealth(ClipModel model) {
        this.model = model;
    }

    @Override
    public Health health() {
        String location = model.bundle().location();
        return Health.up()
                .withDetail("name", model.bundle().name())
                .withDetail("fingerprint", model.bundle().fingerprint())
                // hf:org/name@commit for a Hub model (its exact revision); local folder paths stay private.
                .withDetail("source", location.startsWith("hf:") ? location : "local")
                .withDetail("embeddingDim", model.bundle().embeddingDim())
                .withDetail("provider", model.provider().name().toLowerCase(java.util.Locale.ROOT))
                .build();
    }
}
