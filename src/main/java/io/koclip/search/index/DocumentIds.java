package io.koclip.search.index;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * Document ids: stable, URL-safe, derived from the path relative to the source root.
 *
 * <p>An id is the first 16 bytes (128 bits) of SHA-256 over the UTF-8 relative path ('/' separators),
 * in unpadded base64url: 22 characters from {@code [A-Za-z0-9_-]}. The same relative path always
 * gives the same id, on every machine, so re-ingesting a folder replaces documents instead of
 * adding new ones, and ids never reveal the file system layout.
 */
public final class DocumentIds {
    private DocumentIds() {}

    /** The id of the file at {@code relativePath} (relative to the source root, '/' separators). */
    public static String forPath(String relativePath) {
        if (relativePath.isEmpty()) {
            throw new IllegalArgumentException("relative path must not be empty");
        }
        if (relativePath.startsWith("/")) {
            throw new IllegalArgumentException("relative path: '" + relativePath + "' must not start with '/'");
        }
        byte[] digest = sha256().digest(relativePath.getBytes(StandardCharsets.UTF_8));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(digest, 16));
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
