package io.koclip.search.text;

/**
 * Where a piece of an image's text came from. Each source is indexed as its own field so that a
 * query can weight them: a title the owner typed says more than a word of a folder name.
 */
public enum TextSource {
    /** Titles: XPTitle, IPTC Object Name and Headline, XMP dc:title and photoshop:Headline. */
    TITLE("title"),
    /** Descriptions: EXIF ImageDescription and UserComment, XPComment, XPSubject, IPTC Caption/Abstract, XMP dc:description. */
    DESCRIPTION("description"),
    /** Keywords and tags: XPKeywords (split on ';'), IPTC Keywords, XMP dc:subject and lr:hierarchicalSubject. */
    KEYWORDS("keywords"),
    /** The text of a {@code NAME.txt} or {@code NAME.EXT.txt} sidecar. */
    SIDECAR("sidecar"),
    /** Words of the folder and file names of the path relative to the source root. */
    PATH_WORDS("pathWords"),
    /** Captions given for the image by a data set's caption file ({@code ingest --captions}). */
    CAPTION("caption");

    private final String key;

    TextSource(String key) {
        this.key = key;
    }

    /** A stable lower-camel name for reports, JSON and index field names ({@code title}, {@code pathWords}). */
    public String key() {
        return key;
    }
}
