package io.koclip.search.web;

import java.net.URI;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;

/**
 * RFC 9457 problem details as the API writes them: {@code type} is {@code about:blank} (the status
 * says it all) or a {@code urn:koclip:problem:<code>} for errors a client may handle, {@code title}
 * the status phrase, {@code detail} a message naming the value at fault, {@code instance} the request
 * path, and {@code code} a short machine-readable name. Never a stack trace.
 */
final class Problems {
    private Problems() {}

    static ProblemDetail of(HttpStatusCode status, String code, String detail, @Nullable String path) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create("urn:koclip:problem:" + code));
        HttpStatus known = HttpStatus.resolve(status.value());
        problem.setTitle(known == null ? "Error " + status.value() : known.getReasonPhrase());
        problem.setProperty("code", code);
        if (path != null) {
            try {
                problem.setInstance(URI.create(path));
            } catch (IllegalArgumentException e) {
                // a path that is not a valid URI reference is left out
            }
        }
        return problem;
    }
}
