package io.koclip.search.eval;

import java.util.stream.IntStream;

/**
 * Exact ranks over the full caption x image score matrix, as LAION's CLIP_benchmark
 * ({@code clip_benchmark/metrics/zeroshot_retrieval.py}) defines retrieval, computed without holding
 * the matrix (a COCO 5k test split is 25 000 x 5 000).
 *
 * <p><b>Scores.</b> {@code s(c, i) = Σ_k caption[c][k] · image[i][k]} over the L2-normalized float32
 * embeddings, each product taken in double (exact: two 24-bit significands fit in 53 bits) and summed
 * in double in index order {@code k = 0, 1, …}. The same pair always gives the same double, and any
 * implementation that sums in that order (numpy: {@code acc += c[:, k, None] * i[None, :, k]}) gives
 * it bit for bit.
 *
 * <p><b>Ranks and ties.</b> The rank of candidate {@code j} in a list is
 * {@code 1 + #{j': s(j') > s(j)} + #{j' < j: s(j') == s(j)}}: a stable sort by descending score,
 * equal scores in index order (file order). CLIP_benchmark takes {@code torch.topk}, which leaves the
 * order of equal scores unspecified; index order is the deterministic reading of it. Ties are real:
 * two captions with the same text have the same embedding.
 *
 * <ul>
 *   <li>text to image: per caption, the rank of its image among all images;
 *   <li>image to text: per image, the best rank of its captions among all captions, which is the rank
 *       of its highest-scoring caption (the first in index order among equals). Recall@K is then
 *       "at least one of its captions in the top K", CLIP_benchmark's {@code recall_at_k(...) > 0}.
 * </ul>
 *
 * <p>Thread-safe: a pure function. Uses the common fork-join pool for caption blocks.
 */
final class ExactRanking {
    /** Captions per parallel task; each task keeps one int per image. */
    private static final int BLOCK = 64;

    private ExactRanking() {}

    /**
     * @param images image embeddings, {@code [images][dim]}, unit norm
     * @param captions caption embeddings, {@code [captions][dim]}, unit norm
     * @param captionImage per caption, the index of its image in {@code images}
     * @return text-to-image ranks per caption and image-to-text ranks per image (images without a
     *     caption get {@link Rankings#UNRANKED})
     */
    static Rankings rank(float[][] images, float[][] captions, int[] captionImage, double querySeconds) {
        int m = images.length;
        int n = captions.length;
        if (captionImage.length != n) {
            throw new IllegalArgumentException(
                    "captionImage: " + captionImage.length + " entries for " + n + " captions");
        }
        int dim = m > 0 ? images[0].length : 0;
        for (int c = 0; c < n; c++) {
            if (captionImage[c] < 0 || captionImage[c] >= m) {
                throw new IllegalArgumentException(
                        "captionImage[" + c + "]: " + captionImage[c] + " is not an image index in [0, " + m + ")");
            }
            if (captions[c].length != dim) {
                throw new IllegalArgumentException(
                        "caption " + c + " has dimension " + captions[c].length + ", images have " + dim);
            }
        }
        for (int i = 0; i < m; i++) {
            if (images[i].length != dim) {
                throw new IllegalArgumentException(
                        "image " + i + " has dimension " + images[i].length + ", image 0 has " + dim);
            }
        }
        // Per caption, the score of its own image; per image, its best caption score and that caption.
        double[] trueScore = new double[n];
        double[] bestScore = new double[m];
        int[] bestCaption = new int[m];
        java.util.Arrays.fill(bestScore, Double.NEGATIVE_INFINITY);
        java.util.Arrays.fill(bestCaption, -1);
        for (int c = 0; c < n; c++) {
            int i = captionImage[c];
            trueScore[c] = dot(captions[c], images[i]);
            if (bestCaption[i] < 0 || trueScore[c] > bestScore[i]) {
                bestScore[i] = trueScore[c];
                bestCaption[i] = c;
            }
        }
        int[] textToImage = new int[n];
        int blocks = (n + BLOCK - 1) / BLOCK;
        int[] imageAhead = IntStream.range(0, blocks)
                .parallel()
                .mapToObj(b -> block(images, captions, captionImage, trueScore, bestScore, bestCaption, b, textToImage))
                .reduce(new int[m], ExactRanking::add);
        int[] imageToText = new int[m];
        for (int i = 0; i < m; i++) {
            imageToText[i] = bestCaption[i] < 0 ? Rankings.UNRANKED : imageAhead[i] + 1;
        }
        return new Rankings(textToImage, imageToText, querySeconds);
    }

    /**
     * One block of captions: fills their text-to-image ranks and returns, per image, how many of these
     * captions rank ahead of the image's best caption.
     */
    private static int[] block(
            float[][] images,
            float[][] captions,
            int[] captionImage,
            double[] trueScore,
            double[] bestScore,
            int[] bestCaption,
            int block,
            int[] textToImage) {
        int m = images.length;
        int[] ahead = new int[m];
        double[] row = new double[m];
        int end = Math.min(captions.length, (block + 1) * BLOCK);
        for (int c = block * BLOCK; c < end; c++) {
            scores(captions[c], images, row);
            int own = captionImage[c];
            double mine = trueScore[c];
            int imagesAhead = 0;
            for (int i = 0; i < m; i++) {
                double s = row[i];
                if (s > mine || (s == mine && i < own)) {
                    imagesAhead++;
                }
                double best = bestScore[i];
                if (s > best || (s == best && c < bestCaption[i])) {
                    ahead[i]++;
                }
            }
            textToImage[c] = imagesAhead + 1;
        }
        return ahead;
    }

    private static int[] add(int[] a, int[] b) {
        int[] sum = new int[a.length];
        for (int i = 0; i < a.length; i++) {
            sum[i] = a[i] + b[i];
        }
        return sum;
    }

    /** The scores of one caption against every image, four images at a time (four independent sums). */
    static void scores(float[] caption, float[][] images, double[] out) {
        int m = images.length;
        int dim = caption.length;
        int i = 0;
        for (; i + 4 <= m; i += 4) {
            float[] a = images[i];
            float[] b = images[i + 1];
            float[] c = images[i + 2];
            float[] d = images[i + 3];
            double sa = 0;
            double sb = 0;
            double sc = 0;
            double sd = 0;
            for (int k = 0; k < dim; k++) {
                double q = caption[k];
                sa += q * a[k];
                sb += q * b[k];
                sc += q * c[k];
                sd += q * d[k];
            }
            out[i] = sa;
            out[i + 1] = sb;
            out[i + 2] = sc;
            out[i + 3] = sd;
        }
        for (; i < m; i++) {
            out[i] = dot(caption, images[i]);
        }
    }

    /** {@code Σ_k a[k]·b[k]} in double, in index order: the score definition above. */
    static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int k = 0; k < a.length; k++) {
            sum += (double) a[k] * b[k];
        }
        return sum;
    }
}
