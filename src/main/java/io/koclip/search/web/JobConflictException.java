package io.koclip.search.web;

/** A write job is already queued or running (HTTP 409): one write job at a time. */
final class JobConflictException extends RuntimeException {
    private final String activeJobId;

    JobConflictException(String activeJobId, String activeType) {
        super("a " + activeType + " job (" + activeJobId + ") is already running; one write job at a time");
        this.activeJobId = activeJobId;
    }

    String activeJobId() {
        return activeJobId;
    }
}
