package io.koclip.search.ingest;

import java.io.IOException;

/**
 * The index could not be written (a full disk, an I/O error, a closed index): the run stopped, and
 * what it committed before stays committed. Carries the report of the run up to the failure and what
 * was not indexed, so the command line and the admin job can say so; the next run resumes and redoes
 * exactly the files that are not in the index.
 */
public final class IngestFailedException extends IOException {
    private final IngestReport report;
    private final long committed;
    private final long notIndexed;
    private final boolean scanComplete;

    IngestFailedException(IngestReport report, long committed, boolean scanComplete, IOException cause) {
        super(message(report, committed, scanComplete, cause), cause);
        this.report = report;
        this.committed = committed;
        this.notIndexed = notIndexed(report, committed);
        this.scanComplete = scanComplete;
    }

    /** Written this run after the last commit: lost with the failure. */
    private static long lost(IngestReport report, long committed) {
        return Math.max(0, report.indexed() - committed);
    }

    /** Scanned, but the run stopped before it looked at them (some may be unchanged). */
    private static long unreached(IngestReport report) {
        return Math.max(0, report.scanned() - report.unchanged() - report.indexed() - report.failed());
    }

    private static long notIndexed(IngestReport report, long committed) {
        return lost(report, committed) + unreached(report);
    }

    private static String message(IngestReport report, long committed, boolean scanComplete, IOException cause) {
        return "the index could not be written: " + cause.getMessage() + "; " + committed
                + " documents of this run were committed, " + notIndexed(report, committed) + " of "
                + report.scanned() + " scanned files were not indexed (" + lost(report, committed)
                + " written after the last commit, " + unreached(report) + " not reached"
                + (scanComplete ? "" : "; scanning stopped early, later files were not looked at")
                + "); free space (or fix the error) and run the ingest again: it resumes where the last commit ended";
    }

    /** The run until the failure; {@code documents} is -1 (the index's state is its last commit). */
    public IngestReport report() {
        return report;
    }

    /** Documents this run made durable before the failure. */
    public long committed() {
        return committed;
    }

    /**
     * Scanned files this run did not make durable: written after the last commit, or not reached
     * (of which some may have been unchanged). The next run looks at each again.
     */
    public long notIndexed() {
        return notIndexed;
    }

    /** Whether the whole source was scanned before the failure. */
    public boolean scanComplete() {
        return scanComplete;
    }
}
