package io.koclip.search.web;

/** No job with this id, or it was forgotten (HTTP 404). */
final class JobNotFoundException extends RuntimeException {
    JobNotFoundException(String id) {
        super("no job with id '" + id + "'");
    }
}
