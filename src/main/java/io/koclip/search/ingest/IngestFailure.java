package io.koclip.search.ingest;

import io.koclip.search.image.ImageRejectedException;
import java.util.Locale;

/**
 * One file the job could not index: a line in the report, never the end of the job.
 *
 * @param path path relative to the source root ('/' separators; "." for the root itself)
 * @param code what kind of failure, one of {@link Code}'s ids ({@code corrupt}, {@code timeout}, ...)
 * @param reason the precise reason in words, as the decoder or the file system gave it
 */
public record IngestFailure(String path, String code, String reason) {

    /** Kinds of failure. */
    public enum Code {
        /** Zero bytes. */
        EMPTY,
        /** No known image signature: a text file named .jpg, random bytes. */
        NOT_AN_IMAGE,
        /** A known signature without a decoder (HEIC, AVIF). */
        UNSUPPORTED_FORMAT,
        /** Damaged or truncated header or pixel data. */
        CORRUPT,
        /** More pixels than the cap (from the header), or too large to decode in the memory available. */
        TOO_LARGE,
        /** Decoding took longer than its time budget. */
        TIMEOUT,
        /** The file (or folder) could not be read: permissions, I/O error, gone since the scan. */
        UNREADABLE,
        /** The file is larger than the byte cap, so it is not even read. */
        FILE_TOO_LARGE,
        /** The model failed on this image, or produced an invalid embedding. */
        ENCODE_FAILED,
        /** A bug: an unexpected exception while processing this file (logged with its stack trace). */
        INTERNAL_ERROR;

        /** Lower-case id used in reports: {@code not_an_image}. */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Code of(ImageRejectedException.Reason reason) {
            return switch (reason) {
                case EMPTY -> EMPTY;
                case NOT_AN_IMAGE -> NOT_AN_IMAGE;
                case UNSUPPORTED_FORMAT -> UNSUPPORTED_FORMAT;
                case CORRUPT -> CORRUPT;
                case TOO_LARGE -> TOO_LARGE;
                case TIMEOUT -> TIMEOUT;
            };
        }
    }

    static IngestFailure of(String path, Code code, String reason) {
        return new IngestFailure(path, code.id(), reason);
    }
}
