package io.koclip.search.web;

import io.koclip.search.model.ClipModel;
import io.koclip.search.model.ProviderSelection;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Health of the model ({@code /actuator/health/model}): the bundle loaded at start-up (a bundle that
 * fails to load stops the server, so a running server's model is UP) and the execution provider:
 * {@code provider} in use ({@code cpu} or {@code cuda}), {@code requestedProvider} as configured, and
 * {@code providerFallback}, the start-up warning, when {@code auto} fell back to the CPU.
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
        ProviderSelection provider = model.providerSelection();
        Health.Builder health = Health.up()
                .withDetail("name", model.bundle().name())
                .withDetail("fingerprint", model.bundle().fingerprint())
                // hf:org/name@commit for a Hub model (its exact revision); local folder paths stay private.
                .withDetail("source", location.startsWith("hf:") ? location : "local")
                .withDetail("embeddingDim", model.bundle().embeddingDim())
                .withDetail("provider", provider.usedName())
                .withDetail("requestedProvider", provider.requestedName());
        if (provider.fallback() != null) {
            health.withDetail("providerFallback", provider.fallback());
        }
        return health.build();
    }
}
