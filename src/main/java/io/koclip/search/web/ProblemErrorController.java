package io.koclip.search.web;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Replaces Boot's whitelabel/JSON error page: errors that never reached a controller (rejected by
 * the servlet container, thrown by a filter, {@code sendError} calls) come out as problem+json too,
 * without exception messages or stack traces.
 */
@RestController
@Hidden
class ProblemErrorController implements ErrorController {

    @RequestMapping(path = "${server.error.path:/error}")
    ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = code instanceof Integer i ? i : 500;
        if (status < 400) {
            status = 500;
        }
        HttpStatusCode statusCode = HttpStatusCode.valueOf(status);
        HttpStatus known = HttpStatus.resolve(status);
        String name = known == null
                ? "error"
                : known.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        String detail = known == null ? "error " + status : known.getReasonPhrase();
        Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        ProblemDetail problem = Problems.of(statusCode, name, detail, uri == null ? null : uri.toString());
        return ResponseEntity.status(statusCode)
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem);
    }
}
