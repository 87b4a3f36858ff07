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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Zero-shot labels: how well each of 2–{@code maxLabels} texts describes one uploaded image, as
 * CLIP's softmax(logitScale × cosine) over the labels, or SigLIP's per-label sigmoid when the bundle
 * carries the learned bias ({@link ZeroShotScoring} says which, in the response). Labels are normalized and templated like
 * queries and share their embedding cache.
 *
 * <p>Metrics: timer {@code koclip.search{kind=classify}}.
 *
 * <p>Thread-safe: holds only thread-safe collaborators.
 */
public final class ZeroShotClassifier {
    private final ClipModel model;
    private final TextEmbeddings texts;
    private final UploadEncoder uploads;
    private final SearchProperties limits;
    private final RequestTimer timer;

    public ZeroShotClassifier(
            ClipModel model, TextEmbeddings texts, UploadEncoder uploads, SearchProperties limits, RequestTimer timer) {
        this.model = model;
        this.texts = texts;
        this.uploads = uploads;
        this.limits = limits;
        this.timer = timer;
    }

    /** The labels' probabilities for the image, most probable first. */
    public ClassifyResponse classify(byte[] upload, List<String> labels, @Nullable String template)
            throws ImageRejectedException {
        long start = System.nanoTime();
        List<String> normalized = checkLabels(labels);
        TemplateChoice choice = TemplateChoice.parse(template);
        float[] image = uploads.embed(upload);
        List<TextEmbeddings.Embedding> embeddings = texts.embedAll(normalized, choice);
        float[] scores = new float[normalized.size()];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = Embeddings.dot(image, embeddings.get(i).vector());
        }
        ZeroShotScoring scoring = ZeroShotScoring.of(model.bundle());
        double[] probabilities = scoring.probabilities(scores);
        List<LabelProbability> result = new ArrayList<>();
        for (int i = 0; i < scores.length; i++) {
            result.add(new LabelProbability(normalized.get(i), probabilities[i], scores[i]));
        }
        result.sort(Comparator.comparingDouble(LabelProbability::probability).reversed());
        return new ClassifyResponse(model.bundle().name(), timer.stop("classify", start), result, scoring);
    }

    private List<String> checkLabels(@Nullable List<String> labels) {
        int count = labels == null ? 0 : labels.size();
        if (labels == null || count < 2 || count > limits.maxLabels()) {
            throw new InvalidRequestException(
                    "labels", count + " labels given; between 2 and " + limits.maxLabels() + " are needed");
        }
        List<String> normalized = new ArrayList<>(count);
        Set<String> seen = new HashSet<>();
        for (String label : labels) {
            String text = QueryText.require("labels", label, limits.maxQueryLength());
            if (!seen.add(text)) {
                throw new InvalidRequestException("labels", "'" + text + "' is given twice");
            }
            normalized.add(text);
        }
        return normalized;
    }
}
