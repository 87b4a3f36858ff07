package io.koclip.search.index;

import java.util.Map;

/**
 * What an index holds.
 *
 * @param documents live documents
 * @param sizeBytes bytes on disk
 * @param modelName the bundle the vectors came from
 * @param modelFingerprint that bundle's fingerprint
 * @param commitData all commit user data (checkpoint included)
 */
public record IndexStats(
        long documents, long sizeBytes, String modelName, String modelFingerprint, Map<String, String> commitData) {}
