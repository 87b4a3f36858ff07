package io.koclip.search.index;

/**
 * What an index holds.
 *
 * @param documents live documents as of the last refresh
 * @param sizeBytes bytes the index takes in storage (all replicas' primary copy; approximate on remote engines)
 * @param metadata the recorded model, vector options and checkpoint
 */
public record IndexStats(long documents, long sizeBytes, IndexMetadata metadata) {}
