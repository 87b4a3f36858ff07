package io.koclip.search.analysis;

import io.koclip.search.image.ImageRejectedException;
import io.koclip.search.model.ClipModel;
import io.koclip.search.model.Embeddings;
import io.koclip.search.search.InvalidRequestException;
import io.koclip.search.search.QueryText;
import io.koclip.search.search.RequestTimer;
import io.koclip.search.search.SearchProperties;
import io.koclip.search.search.TemplateChoice;
import io.koclip.search.search.TextEmbeddings;
import io.koclip.search.search.UploadEncoder;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Text → patch: where in one uploaded image a text matches. Every cell of a {@code rows × cols} grid
 * ({@link PatchGrid}) is cropped, preprocessed and encoded in one batch, and scored by its cosine with
 * the text's embedding (normalized and templated like a query, through the same cache).
 *
 * <p>Metrics: timer {@code koclip.search{kind=patches}}.
 *
 * <p>Thread-safe: holds only thread-safe collaborators.
 */
public final class PatchScorer {
    private final ClipModel model;
    private final TextEmbeddings texts;
    private final UploadEncoder uploads;
    private final SearchProperties limits;
    private final RequestTimer timer;

    public PatchScorer(
            ClipModel model, TextEmbeddings texts, UploadEncoder uploads, SearchProperties limits, RequestTimer timer) {
        this.model = model;
        this.texts = texts;
        this.uploads = uploads;
        this.limits = limits;
        this.timer = timer;
    }

    /** Scores of every grid cell against {@code q}, with the decoded image for a heatmap. */
    public PatchAnalysis patches(byte[] upload, String q, @Nullable String template, int rows, int cols, double overlap)
            throws ImageRejectedException {
        long start = System.nanoTime();
        String query = QueryText.require("q", q, limits.maxQueryLength());
        TemplateChoice choice = TemplateChoice.parse(template);
        InvalidRequestException.checkRange("rows", rows, 1, limits.maxGridSide());
        InvalidRequestException.checkRange("cols", cols, 1, limits.maxGridSide());
        if (!(overlap >= 0 && overlap <= limits.maxOverlap())) {
            throw new InvalidRequestException(
                    "overlap", overlap + " is not in [0, " + limits.maxOverlap() + "] (a fraction of a patch's side)");
        }
        float[] text = texts.embed(query, choice).vector();
        record Scored(BufferedImage image, List<PatchGrid.Box> boxes, float[][] vectors) {}
        Scored scored = uploads.withDecoded(upload, decoded -> {
            List<PatchGrid.Box> boxes = PatchGrid.boxes(decoded.width(), decoded.height(), rows, cols, overlap);
            // [rows × cols, 3, size, size]: every crop preprocessed, then one encoder call
            List<float[]> tensors = new ArrayList<>(boxes.size());
            for (PatchGrid.Box box : boxes) {
                tensors.add(uploads.preprocessor().toTensor(crop(decoded.rgb(), box)));
            }
            return new Scored(decoded.rgb(), boxes, uploads.encodeTensors(tensors));
        });
        List<Patch> patches = new ArrayList<>(scored.boxes().size());
        for (int i = 0; i < scored.boxes().size(); i++) {
            PatchGrid.Box b = scored.boxes().get(i);
            float score = Embeddings.dot(text, scored.vectors()[i]);
            patches.add(new Patch(b.row(), b.col(), b.x(), b.y(), b.width(), b.height(), score));
        }
        BufferedImage image = scored.image();
        PatchResponse response = new PatchResponse(
                query,
                model.bundle().name(),
                timer.stop("patches", start),
                image.getWidth(),
                image.getHeight(),
                rows,
                cols,
                overlap,
                patches);
        return new PatchAnalysis(response, image);
    }

    /** A standalone copy of one box (a sub-image would share the parent's raster and offsets). */
    private static BufferedImage crop(BufferedImage rgb, PatchGrid.Box box) {
        BufferedImage copy = new BufferedImage(box.width(), box.height(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = copy.createGraphics();
        try {
            g.drawImage(rgb, -box.x(), -box.y(), null);
        } finally {
            g.dispose();
        }
        return copy;
    }
}
