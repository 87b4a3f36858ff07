package io.koclip.search.image;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadWarningListener;
import org.jspecify.annotations.Nullable;

/**
 * Collects a reader's warnings and decides which of them mean the pixels are damaged. Decoders
 * report some damage only as a warning and return a partly grey image: the JDK's libjpeg says
 * "Corrupt JPEG data: premature end of data segment" for a truncated file, TwelveMonkeys adds
 * "Truncated File - Missing EOI marker", the GIF reader says "Out-of-sequence code!".
 *
 * <p>Fatal: truncation, premature end, Huffman/arithmetic decoding errors, any other "Corrupt JPEG
 * data". Tolerated: "extraneous bytes before marker 0xd9" (padding before the end-of-image marker,
 * which some cameras write and which PIL decodes too), and everything about metadata (ICC profiles,
 * JFIF/EXIF segments, thumbnails).
 *
 * <p>Not thread-safe: one instance per read, on the reading thread.
 */
final class DecoderWarnings implements IIOReadWarningListener {
    private static final List<String> FATAL = List.of(
            "premature end",
            "truncat",
            "missing eoi",
            "corrupt jpeg data",
            "huffman",
            "arithmetic code",
            "out-of-sequence",
            "bogus");

    private final List<String> warnings = new ArrayList<>();

    @Override
    public void warningOccurred(ImageReader source, String warning) {
        if (warning != null) {
            warnings.add(warning);
        }
    }

    /** The distinct warnings that mean damaged pixels, joined with "; " (at most 3), or null. */
    @Nullable
    String fatal() {
        List<String> fatal = warnings.stream()
                .filter(DecoderWarnings::isFatal)
                .distinct()
                .limit(3)
                .toList();
        return fatal.isEmpty() ? null : String.join("; ", fatal);
    }

    static boolean isFatal(String warning) {
        String w = warning.toLowerCase(Locale.ROOT);
        if (w.contains("extraneous bytes before marker 0xd9")) {
            return false;
        }
        for (String fatal : FATAL) {
            if (w.contains(fatal)) {
                return true;
            }
        }
        return false;
    }
}
