package io.koclip.search.eval;

/**
 * One caption of a caption set.
 *
 * @param image index of its image in {@link CaptionSet#images()}
 * @param text the caption, stripped, never blank
 * @param lang language code, lower case ({@code ko}, {@code en}, …): given by the file, else
 *     detected ({@code ko} when the text has Hangul, else {@code en})
 */
public record Caption(int image, String text, String lang) {
    public Caption {
        if (image < 0) {
            throw new IllegalArgumentException("image index: " + image + " is negative");
        }
        if (text.isBlank()) {
            throw new IllegalArgumentException("caption text is blank");
        }
    }
}
