package io.koclip.search.eval;

import io.koclip.search.model.ClipModel;

/**
 * The reference target: the subset's captions encoded by the model and ranked exactly against the
 * subset's image embeddings ({@link ExactRanking}: every pair scored, ties in index order).
 *
 * <p>Not thread-safe (progress); the image vectors are shared read-only across calls.
 */
public final class ExactRetrieval implements RetrievalTarget {
    private final CaptionEncoder encoder;
    private final float[][] imageVectors;
    private final EvalProgress progress;
    private final String label;

    /**
     * @param imageVectors one unit vector per image of the caption set (the set the subsets come from)
     * @param batch prompts per text-encoder call
     * @param label names the model in progress messages
     */
    public ExactRetrieval(ClipModel model, float[][] imageVectors, int batch, EvalProgress progress, String label) {
        this.encoder = new CaptionEncoder(model, batch);
        this.imageVectors = imageVectors.clone();
        this.progress = progress;
        this.label = label;
    }

    @Override
    public String name() {
        return "exact";
    }

    @Override
    public Rankings rank(LanguageSubset subset, boolean templates, int depth) {
        long start = System.nanoTime();
        int[] positions = subset.images();
        float[][] images = new float[positions.length][];
        for (int p = 0; p < positions.length; p++) {
            images[p] = imageVectors[positions[p]];
        }
        progress.start(
                "captions " + label + " " + subset.lang() + (templates ? " templates" : ""),
                subset.captions().size());
        float[][] captions;
        try {
            captions = encoder.encode(subset.captions(), templates, progress);
        } finally {
            progress.finish();
        }
        double encodeSeconds = (System.nanoTime() - start) / 1e9;
        return ExactRanking.rank(images, captions, subset.captionImages(), encodeSeconds);
    }
}
