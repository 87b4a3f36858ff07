package io.koclip.search.eval;

import java.util.List;

/**
 * The captions of one language and the images they describe, the unit one evaluation row is
 * computed on.
 *
 * @param lang the language
 * @param images indices into the full set's images, ascending; position {@code p} here is image
 *     {@code p} of the rankings
 * @param captions the captions in file order; {@link Caption#image()} is a position in {@code images}
 */
public record LanguageSubset(String lang, int[] images, List<Caption> captions) {
    public LanguageSubset {
        images = images.clone();
        captions = List.copyOf(captions);
    }

    /** For each caption, the position of its image. */
    public int[] captionImages() {
        return captions.stream().mapToInt(Caption::image).toArray();
    }

    @Override
    public int[] images() {
        return images.clone();
    }
}
