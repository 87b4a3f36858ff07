package io.koclip.search.analysis;

import java.util.List;

/**
 * Zero-shot labels of an image.
 *
 * @param model the bundle's name
 * @param tookMs server time, in milliseconds
 * @param labels most probable first; with {@code softmax} scoring the probabilities sum to 1
 * @param scoring how the probabilities were computed
 */
public record ClassifyResponse(String model, long tookMs, List<LabelProbability> labels, ZeroShotScoring scoring) {
    public ClassifyResponse {
        labels = List.copyOf(labels);
    }
}
