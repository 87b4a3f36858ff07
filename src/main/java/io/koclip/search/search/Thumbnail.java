package io.koclip.search.search;

/**
 * A thumbnail.
 *
 * @param jpeg the JPEG bytes; shared with the cache, never modify
 * @param etag strong validator derived from the content hash and the thumbnail size, quoted
 */
public record Thumbnail(byte[] jpeg, String etag) {}
