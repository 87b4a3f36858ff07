package io.koclip.search.analysis;

import java.awt.image.BufferedImage;

/**
 * Patch scores with the decoded image they were computed on, for the heatmap overlay.
 *
 * @param response the JSON answer
 * @param image the upright RGB image; owned by the caller
 */
public record PatchAnalysis(PatchResponse response, BufferedImage image) {}
