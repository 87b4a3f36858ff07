package io.koclip.search.ingest;

/**
 * Something wrong with an image's text that did not keep the image out of the index: a damaged
 * metadata segment, a sidecar in an unknown encoding, binary or over its size cap, text cut at a cap.
 *
 * @param path path relative to the source root ('/' separators)
 * @param reason one sentence naming the field or file
 */
public record IngestWarning(String path, String reason) {}
