package io.koclip.search.analysis;

import java.util.List;

/**
 * Text → patch scores over a grid.
 *
 * @param query the normalized text
 * @param model the bundle's name
 * @param tookMs server time, in milliseconds
 * @param width the image's upright width in pixels
 * @param height the image's upright height in pixels
 * @param rows grid rows
 * @param cols grid columns
 * @param overlap overlap between neighbouring patches, as a fraction of a patch's side
 * @param patches row by row, left to right
 */
public record PatchResponse(
        String query,
        String model,
        long tookMs,
        int width,
        int height,
        int rows,
        int cols,
        double overlap,
        List<Patch> patches) {
    public PatchResponse {
        patches = List.copyOf(patches);
    }
}
