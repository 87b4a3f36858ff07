package io.koclip.search.search;

/** No indexed image has this id (HTTP 404). */
public final class DocumentNotFoundException extends RuntimeException {
    private final String id;

    public DocumentNotFoundException(String id) {
        super("no image with id '" + id + "'");
        this.id = id;
    }

    public String id() {
        return id;
    }
}
