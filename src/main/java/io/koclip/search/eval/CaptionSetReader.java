package io.koclip.search.eval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/** Reads a caption file in any {@link CaptionFormat} into a {@link CaptionSet}. */
public final class CaptionSetReader {
    private CaptionSetReader() {}

    /**
     * Reads {@code file}. Bad rows become {@link CaptionSet#problems()}; only an unreadable file, or one
     * that is not the format at all, throws.
     *
     * @param images the folder relative image names resolve against; null for the caption file's folder
     * @throws IllegalArgumentException when the file is not of the format (the message names the file)
     */
    public static CaptionSet read(Path file, CaptionFormat format, @Nullable Path images) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("captions: " + file + " is not a file");
        }
        Path folder = images != null ? images : file.toAbsolutePath().getParent();
        if (!Files.isDirectory(folder)) {
            throw new IllegalArgumentException("images: " + folder + " is not a folder");
        }
        CaptionFormat chosen = format == CaptionFormat.AUTO ? CaptionFormat.detect(file) : format;
        CaptionSetBuilder set = new CaptionSetBuilder(folder);
        switch (chosen) {
            case COCO -> CocoCaptions.read(file, set);
            case AIHUB -> AihubCaptions.read(file, set);
            case XTD -> XtdCaptions.read(file, set);
            case CSV -> CsvCaptions.read(file, set);
            case JSONL -> JsonLinesCaptions.read(file, set);
            case AUTO -> throw new IllegalStateException("format detection returned AUTO");
        }
        return set.build(file.getFileName().toString());
    }
}
