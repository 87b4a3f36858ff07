package io.koclip.search.analysis;

import io.koclip.search.search.InvalidRequestException;
import java.util.ArrayList;
import java.util.List;

/**
 * The boxes of a {@code rows × cols} grid over an image, neighbours overlapping by a fraction of a
 * patch's side. With overlap {@code o}, a patch is {@code W / (1 + (cols − 1)(1 − o))} wide and the
 * stride is {@code (1 − o)} patch widths, so the grid spans the image exactly; the last row and
 * column absorb rounding. Thread-safe: stateless.
 */
public final class PatchGrid {
    private PatchGrid() {}

    /** A pixel box. */
    public record Box(int row, int col, int x, int y, int width, int height) {}

    /**
     * The boxes, row by row.
     *
     * @throws InvalidRequestException when the image has fewer pixels than grid cells along a side
     */
    public static List<Box> boxes(int width, int height, int rows, int cols, double overlap) {
        if (width < cols || height < rows) {
            throw new InvalidRequestException(
                    "rows", "a " + rows + "x" + cols + " grid does not fit a " + width + "x" + height + " image");
        }
        int[][] xs = spans(width, cols, overlap);
        int[][] ys = spans(height, rows, overlap);
        List<Box> boxes = new ArrayList<>(rows * cols);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                boxes.add(new Box(r, c, xs[c][0], ys[r][0], xs[c][1] - xs[c][0], ys[r][1] - ys[r][0]));
            }
        }
        return boxes;
    }

    /** {start, end} of each of {@code n} overlapping spans over {@code [0, length)}. */
    private static int[][] spans(int length, int n, double overlap) {
        double side = length / (1 + (n - 1) * (1 - overlap));
        double stride = side * (1 - overlap);
        int[][] spans = new int[n][2];
        for (int i = 0; i < n; i++) {
            int start = (int) Math.round(i * stride);
            int end = i == n - 1 ? length : (int) Math.round(i * stride + side);
            spans[i][0] = Math.min(start, length - 1);
            spans[i][1] = Math.max(end, spans[i][0] + 1);
        }
        return spans;
    }
}
