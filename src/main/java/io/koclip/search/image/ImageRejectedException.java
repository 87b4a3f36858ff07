package io.koclip.search.image;

/**
 * An input that is not a usable image: unreadable, not an image, an unsupported format, corrupt,
 * or over a limit. The message names the reason precisely; it is what a user sees in an ingest
 * report or an API problem.
 */
public class ImageRejectedException extends Exception {
    /** Why an image was rejected, so callers can map it to a status code or a report entry. */
    public enum Reason {
        /** Zero bytes. */
        EMPTY,
        /** No known image signature in the first bytes. */
        NOT_AN_IMAGE,
        /** A known signature but no decoder for it. */
        UNSUPPORTED_FORMAT,
        /** The header or pixel data is damaged or truncated. */
        CORRUPT,
        /** The header claims more pixels than the configured cap. */
        TOO_LARGE,
        /** Decoding took longer than its time budget. */
        TIMEOUT
    }

    private final Reason reason;

    public ImageRejectedException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public ImageRejectedException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
