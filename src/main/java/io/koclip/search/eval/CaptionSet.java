package io.koclip.search.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Images and their captions, as read from a caption file: every caption points at an image of
 * {@link #images()}, every image has at least one caption.
 *
 * @param images the images, in file order
 * @param captions the captions, in file order
 * @param problems one message per row that was left out (unknown image, empty caption, wrong type)
 */
public record CaptionSet(List<EvalImage> images, List<Caption> captions, List<String> problems) {
    public CaptionSet {
        images = List.copyOf(images);
        captions = List.copyOf(captions);
        problems = List.copyOf(problems);
        for (Caption caption : captions) {
            if (caption.image() >= images.size()) {
                throw new IllegalArgumentException(
                        "caption '" + caption.text() + "' points at image " + caption.image() + " of " + images.size());
            }
        }
    }

    /** The languages of the captions, sorted. */
    public Set<String> languages() {
        Set<String> languages = new TreeSet<>();
        captions.forEach(c -> languages.add(c.lang()));
        return languages;
    }

    /** The first {@code count} images (file order) and their captions. */
    public CaptionSet limit(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("limit: " + count + " is negative");
        }
        if (count >= images.size()) {
            return this;
        }
        boolean[] keep = new boolean[images.size()];
        java.util.Arrays.fill(keep, 0, count, true);
        return keep(keep);
    }

    /**
     * The set without some images (and their captions), images renumbered.
     *
     * @param keep one flag per image of {@link #images()}
     */
    public CaptionSet keep(boolean[] keep) {
        if (keep.length != images.size()) {
            throw new IllegalArgumentException("keep: " + keep.length + " flags for " + images.size() + " images");
        }
        int[] renumbered = new int[images.size()];
        List<EvalImage> keptImages = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            renumbered[i] = keep[i] ? keptImages.size() : -1;
            if (keep[i]) {
                keptImages.add(images.get(i));
            }
        }
        List<Caption> keptCaptions = new ArrayList<>();
        for (Caption c : captions) {
            if (keep[c.image()]) {
                keptCaptions.add(new Caption(renumbered[c.image()], c.text(), c.lang()));
            }
        }
        return new CaptionSet(keptImages, keptCaptions, problems);
    }

    /**
     * The captions of one language and the images they describe: the data set as if the file had
     * held only that language (CLIP_benchmark evaluates one language at a time).
     */
    public LanguageSubset language(String lang) {
        // Positions follow the set's image order, so ties resolve by the same index order in every subset.
        int[] position = new int[images.size()];
        java.util.Arrays.fill(position, -1);
        for (Caption c : captions) {
            if (c.lang().equals(lang)) {
                position[c.image()] = 0;
            }
        }
        List<Integer> subsetImages = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            if (position[i] == 0) {
                position[i] = subsetImages.size();
                subsetImages.add(i);
            }
        }
        List<Caption> subsetCaptions = captions.stream()
                .filter(c -> c.lang().equals(lang))
                .map(c -> new Caption(position[c.image()], c.text(), c.lang()))
                .toList();
        return new LanguageSubset(
                lang, subsetImages.stream().mapToInt(Integer::intValue).toArray(), subsetCaptions);
    }
}
