package io.koclip.search.search;

import java.nio.file.Path;

/**
 * An original image file resolved from its id.
 *
 * @param file the file, inside the source folder
 * @param contentType its media type
 * @param etag strong validator: the SHA-256 of its bytes, quoted
 */
public record StoredImage(Path file, String contentType, String etag) {}
