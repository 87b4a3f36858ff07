package io.koclip.search.web;

import io.koclip.search.image.ImageDecoder;
import io.koclip.search.model.ClipModel;
import io.koclip.search.model.ProviderSelection;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Health of the model ({@code /actuator/health/model}): the bundle loaded at start-up (a bundle that
 * fails to load stops the server, so a running server's model is UP), the execution provider:
 * {@code provider} in use ({@code cpu} or {@code cuda}), {@code requestedProvider} as configured, and
 * {@code providerFallback}, the start-up warning, when {@code auto} fell back to the CPU; and the image
 * decoder in use ({@code imageDecoder}: libvips with its version, or ImageIO and why).
 */
@Component("model")
class ModelHealth implements HealthIndicator {
    private final ClipModel model;
    private final ImageDecoder decoder;

    ModelHealth(ClipModel model, ImageDecoder decoder) {
        this.model = model;
        this.decoder = decoder;
    }

    @Override
    public Health health() {
        String location = model.bundle().location();
        ProviderSelection provider = model.providerSelection();
        Health.Builder health = Health.up()
                .withDetail("name", model.bundle().name())
                .withDetail("fingerprint", model.bundle().fingerprint())
                // hf:org/name@commit for a Hub model (its exact revision); local folder paths stay private.
                .withDetail("source", location != null && location.startsWith("hf:") ? location : "local")
                .withDetail("embeddingDim", model.bundle().embeddingDim())
                .withDetail("provider", provider.usedName())
                .withDetail("requestedProvider", provider.requestedName())
                .withDetail("imageDecoder", decoder.describe());
        if (provider.fallback() != null) {
            health.withDetail("providerFallback", provider.fallback());
        }
        return health.build();
    }
}
