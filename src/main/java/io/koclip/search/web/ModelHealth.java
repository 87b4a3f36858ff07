package io.koclip.search.web;

import io.koclip.search.image.ImageDecoder;
import io.koclip.search.model.ClipModel;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Health of the model ({@code /actuator/health/model}): the bundle loaded at start-up (a bundle that
 * fails to load stops the server, so a running server's model is UP), the execution provider in use
 * and the image decoder in use ({@code imageDecoder}: libvips with its version, or ImageIO and why).
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
        return Health.up()
                .withDetail("name", model.bundle().name())
                .withDetail("fingerprint", model.bundle().fingerprint())
                // hf:org/name@commit for a Hub model (its exact revision); local folder paths stay private.
                .withDetail("source", location != null && location.startsWith("hf:") ? location : "local")
                .withDetail("embeddingDim", model.bundle().embeddingDim())
                .withDetail("provider", model.provider().name().toLowerCase(java.util.Locale.ROOT))
                .withDetail("imageDecoder", decoder.describe())
                .build();
    }
}
