package io.koclip.search.text;

/**
 * How much text is kept and read per image. Lengths are in UTF-16 chars (a Hangul syllable is one),
 * sizes in bytes.
 *
 * @param fieldChars the most text one {@link TextSource} keeps (all its values together)
 * @param totalChars the most text one image keeps over all sources; past it, the lower sources of
 *     {@link ImageText#capped} are cut first
 * @param textSidecarBytes the most bytes read from a {@code .txt} sidecar; the rest is ignored and reported
 * @param xmpSidecarBytes the largest {@code .xmp} sidecar parsed; a larger one is skipped and reported
 *     (XML cannot be parsed from its first half)
 */
public record TextLimits(int fieldChars, int totalChars, int textSidecarBytes, int xmpSidecarBytes) {
    /** 4096 chars per source, 16384 per image, 64 KiB of a text sidecar, 1 MiB of an XMP sidecar. */
    public static final TextLimits DEFAULT = new TextLimits(4096, 16384, 64 * 1024, 1024 * 1024);

    public TextLimits {
        if (fieldChars < 1) {
            throw new IllegalArgumentException("fieldChars: " + fieldChars + " must be at least 1");
        }
        if (totalChars < fieldChars) {
            throw new IllegalArgumentException(
                    "totalChars: " + totalChars + " must be at least fieldChars (" + fieldChars + ")");
        }
        if (textSidecarBytes < 1) {
            throw new IllegalArgumentException("textSidecarBytes: " + textSidecarBytes + " must be at least 1");
        }
        if (xmpSidecarBytes < 1) {
            throw new IllegalArgumentException("xmpSidecarBytes: " + xmpSidecarBytes + " must be at least 1");
        }
    }
}
