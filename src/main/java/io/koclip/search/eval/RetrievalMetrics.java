package io.koclip.search.eval;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Recall@K both ways and the median rank, from {@link Rankings}.
 *
 * <ul>
 *   <li>text to image Recall@K: the share of captions whose image has rank &le; K;
 *   <li>image to text Recall@K: the share of images with at least one caption of rank &le; K (their
 *       best caption rank &le; K); null when the target cannot search captions;
 *   <li>median rank: the median of the text-to-image ranks (1 = the caption's image came first); for
 *       an even count the mean of the two middle ranks, as numpy's {@code median}; infinite when the
 *       middle falls on an {@link Rankings#UNRANKED} caption.
 * </ul>
 *
 * Shares are {@code count / total} in double, so a figure is an exact fraction to double precision.
 *
 * @param images images in the subset
 * @param captions captions in the subset
 */
public record RetrievalMetrics(
        int images,
        int captions,
        SortedMap<Integer, Double> textToImage,
        @Nullable SortedMap<Integer, Double> imageToText,
        double medianRank) {

    public RetrievalMetrics {
        textToImage = Collections.unmodifiableSortedMap(new TreeMap<>(textToImage));
        imageToText = imageToText == null ? null : Collections.unmodifiableSortedMap(new TreeMap<>(imageToText));
    }

    /**
     * @param ks the K values, each &ge; 1
     * @throws IllegalArgumentException for an empty subset or a K below 1
     */
    public static RetrievalMetrics of(Rankings rankings, int images, List<Integer> ks) {
        int[] textRanks = rankings.textToImage();
        if (textRanks.length == 0) {
            throw new IllegalArgumentException("no captions to evaluate");
        }
        SortedMap<Integer, Double> t2i = new TreeMap<>();
        SortedMap<Integer, Double> i2t = rankings.imageToText() == null ? null : new TreeMap<>();
        int[] imageRanks = rankings.imageToText();
        for (int k : ks) {
            if (k < 1) {
                throw new IllegalArgumentException("k: " + k + " must be at least 1");
            }
            t2i.put(k, share(textRanks, k));
            if (i2t != null && imageRanks != null) {
                i2t.put(k, share(imageRanks, k));
            }
        }
        return new RetrievalMetrics(images, textRanks.length, t2i, i2t, median(textRanks));
    }

    private static double share(int[] ranks, int k) {
        int hits = 0;
        for (int rank : ranks) {
            if (rank <= k) {
                hits++;
            }
        }
        return (double) hits / ranks.length;
    }

    static double median(int[] ranks) {
        int[] sorted = ranks.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        int low = sorted[(n - 1) / 2];
        int high = sorted[n / 2];
        if (high == Rankings.UNRANKED) {
            return Double.POSITIVE_INFINITY;
        }
        return (low + (double) high) / 2.0;
    }
}
