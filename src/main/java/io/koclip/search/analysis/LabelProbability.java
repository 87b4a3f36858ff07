package io.koclip.search.analysis;

/**
 * One zero-shot label.
 *
 * @param label the normalized label
 * @param probability softmax(logitScale × cosine) over the request's labels, or the per-label sigmoid
 *     (see {@link ZeroShotScoring})
 * @param score the cosine similarity between the image and the label's prompts
 */
public record LabelProbability(String label, double probability, float score) {}
