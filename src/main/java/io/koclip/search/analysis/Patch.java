package io.koclip.search.analysis;

/**
 * One cell of a patch grid, in pixels of the upright uploaded image.
 *
 * @param row 0-based, top to bottom
 * @param col 0-based, left to right
 * @param x left edge
 * @param y top edge
 * @param width box width
 * @param height box height
 * @param score cosine similarity between the patch and the text
 */
public record Patch(int row, int col, int x, int y, int width, int height, float score) {}
