package io.koclip.search.text;

/**
 * Where a piece of an image's text came from. Each source is indexed as its own field so that a
 * query can weight them: a title the owner typed says more than a word of a folder name.
 */
public enum TextSource {
    /** Titles: XPTitle, IPTC Object Name and Headline, XMP dc:title and photoshop:Headline. */
    TITLE("title", 3f),
    /** Descriptions: EXIF ImageDescription and UserComment, XPComment, XPSubject, IPTC Caption/Abstract, XMP dc:description. */
    DESCRIPTION("description", 2f),
    /** Keywords and tags: XPKeywords (split on ';'), IPTC Keywords, XMP dc:subject and lr:hierarchicalSubject. */
    KEYWORDS("keywords", 3f),
    /** The text of a {@code NAME.txt} or {@code NAME.EXT.txt} sidecar. */
    SIDECAR("sidecar", 1.5f),
    /** Words of the folder and file names of the path relative to the source root. */
    PATH_WORDS("pathWords", 1f),
    /** Captions given for the image by a data set's caption file ({@code ingest --captions}). */
    CAPTION("caption", 2f);

    private final String key;
    private final float boost;

    TextSource(String key, float boost) {
        this.key = key;
        this.boost = boost;
    }

    /**
     * The field's weight in the lexical query (BM25F: a term's frequency in this field counts this many
     * times, docs/api.md "Text sources"). What the owner typed about this very picture (title, keywords:
     * 3) weighs more than free text (description, caption: 2; a {@code .txt} sidecar: 1.5) and more than
     * a folder name shared by every picture in it (path words: 1).
     */
    public float boost() {
        return boost;
    }

    /** A stable lower-camel name for reports, JSON and index field names ({@code title}, {@code pathWords}). */
    public String key() {
        return key;
    }
}
