package io.koclip.search.eval;

/**
 * Where caption queries are answered. {@link ExactRetrieval} scores every caption against every image
 * of the model's embeddings (the reference figure). A target that runs the captions through the
 * product's query service (templates, ANN, search modes) implements the same method: it returns
 * text-to-image ranks for the images it returned ({@link Rankings#UNRANKED} beyond its result depth)
 * and null image-to-text ranks, and its figures are reported beside the exact ones.
 *
 * <p>Implementations say in their javadoc whether they are thread-safe; the runner calls them from one
 * thread.
 */
public interface RetrievalTarget {
    /** A short name for the reports: {@code exact}. */
    String name();

    /**
     * Ranks the subset's captions (and, when the target can, its images).
     *
     * @param templates whether captions go through the bundle's prompt templates first
     * @param depth how many results per query the metrics need (the largest K); exact targets ignore it
     */
    Rankings rank(LanguageSubset subset, boolean templates, int depth);
}
