package io.koclip.search.ingest;

import io.koclip.search.text.TextSource;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A scanned file that is not unchanged: it will be read and indexed (or fail).
 *
 * @param file what the scanner found
 * @param id the document id derived from its relative path
 * @param replacesDocument the index holds an older version of this file, which a failure must delete
 * @param text the text its document gets, by source (empty until the file was read)
 * @param textStamp the stamp of that text's sources ({@code ImageTextReader.sourcesStamp}), or null
 */
record PendingFile(
        SourceScanner.ScannedFile file,
        String id,
        boolean replacesDocument,
        Map<TextSource, String> text,
        @Nullable String textStamp) {
    PendingFile {
        text = Map.copyOf(text);
    }

    String path() {
        return file.relativePath();
    }

    long modified() {
        return file.modified();
    }

    PendingFile withText(Map<TextSource, String> value) {
        return new PendingFile(file, id, replacesDocument, value, textStamp);
    }
}
