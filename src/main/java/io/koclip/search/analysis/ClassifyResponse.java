package io.koclip.search.analysis;

import java.util.List;

/**
 * Zero-shot labels of an image.
 *
 * @param model the bundle's name
 * @param tookMs server time, in milliseconds
 * @param labels most probable first; the probabilities sum to 1
 */
public record ClassifyResponse(String model, long tookMs, List<LabelProbability> labels) {
    public ClassifyResponse {
        labels = List.copyOf(labels);
    }
}
