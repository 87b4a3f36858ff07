package io.koclip.search.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import tools.jackson.databind.ObjectMapper;

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

    /**
     * Writes a problem from a servlet filter (before Spring MVC, so {@link ApiExceptionHandler} cannot),
     * with {@code Retry-After} in whole seconds (at least 1) when {@code retryAfter} is given.
     */
    static void write(
            ObjectMapper json,
            HttpServletRequest request,
            HttpServletResponse response,
            HttpStatus status,
            String code,
            String detail,
            @Nullable Duration retryAfter)
            throws IOException {
        ProblemDetail problem = of(status, code, detail, request.getRequestURI());
        response.setStatus(status.value());
        if (retryAfter != null) {
            long seconds = Math.max(1, retryAfter.toSeconds() + (retryAfter.toMillisPart() > 0 ? 1 : 0));
            response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
        }
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setCharacterEncoding("UTF-8");
        json.writeValue(response.getOutputStream(), problem);
    }
}
