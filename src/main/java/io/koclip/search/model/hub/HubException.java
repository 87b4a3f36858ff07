package io.koclip.search.model.hub;

/**
 * A model that cannot be fetched from the Hub or found in the cache. The message is one line, fit
 * for a user, and says what to do; {@link #reason()} says what kind of failure it was.
 */
public final class HubException extends RuntimeException {
    /** What went wrong. */
    public enum Reason {
        /** 401: no token was sent, or the token was rejected. */
        UNAUTHORIZED,
        /** The repo is gated and the token's account has not been granted access. */
        GATED,
        /** 403: the token is valid but may not read this repo. */
        FORBIDDEN,
        REPO_NOT_FOUND,
        REVISION_NOT_FOUND,
        FILE_NOT_FOUND,
        /** Offline mode, and the cache does not hold the requested revision. */
        NOT_CACHED,
        /** The downloaded bytes do not match the ETag (SHA-256 or git blob hash) or the size. */
        INTEGRITY,
        DISK_FULL,
        /** The connection broke during a transfer; the partial file is kept and resumed next time. */
        INTERRUPTED,
        /** The Hub could not be reached or answered with a server error. */
        NETWORK,
        /** The repo holds neither a koclip-bundle/1 nor an Immich CLIP export. */
        NOT_A_MODEL,
        /** A KoCLIP checkpoint was pulled but cannot be exported here (no Python with torch, no tool). */
        EXPORT_UNAVAILABLE,
        /** The export tool ran and failed. */
        EXPORT_FAILED
    }

    private final Reason reason;

    public HubException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public HubException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
