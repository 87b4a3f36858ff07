package io.koclip.search.eval;

import org.jspecify.annotations.Nullable;

/**
 * What a {@link RetrievalTarget} found for one {@link LanguageSubset}: 1-based ranks.
 *
 * @param textToImage per caption (subset order), the rank of its image among the subset's images;
 *     {@link #UNRANKED} when the target returned fewer results and the image was not among them
 * @param imageToText per image (subset position), the best rank of any of its captions among the
 *     subset's captions, or null when the target cannot search captions by image
 * @param querySeconds wall time spent turning captions into queries and answering them
 */
public record Rankings(int[] textToImage, int @Nullable [] imageToText, double querySeconds) {
    /** The rank of an image a target did not return (an ANN search gives only its top results). */
    public static final int UNRANKED = Integer.MAX_VALUE;

    public Rankings {
        textToImage = textToImage.clone();
        imageToText = imageToText == null ? null : imageToText.clone();
        for (int rank : textToImage) {
            if (rank < 1) {
                throw new IllegalArgumentException("rank: " + rank + " is not 1-based");
            }
        }
    }

    @Override
    public int[] textToImage() {
        return textToImage.clone();
    }

    @Override
    public int @Nullable [] imageToText() {
        return imageToText == null ? null : imageToText.clone();
    }
}
