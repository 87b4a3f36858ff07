package io.koclip.search.web;

/**
 * How far a job is.
 *
 * @param done files handled so far
 * @param total files found, or -1 while the folder is still being scanned
 * @param phase what the job is doing ({@code queued}, {@code scanning}, {@code encoding}, {@code switching}, ...)
 */
record JobProgress(long done, long total, String phase) {
    static final JobProgress QUEUED = new JobProgress(0, -1, "queued");
}
