package io.koclip.search.web;

import io.koclip.search.image.ImageRejectedException;
import io.koclip.search.image.ImageTooLargeException;
import io.koclip.search.model.InferenceException;
import io.koclip.search.search.DocumentNotFoundException;
import io.koclip.search.search.IndexNotReadyException;
import io.koclip.search.search.InferenceBusyException;
import io.koclip.search.search.InvalidRequestException;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.util.stream.Collectors;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * The one place where exceptions become RFC 9457 {@code application/problem+json} (see
 * {@link Problems}). Spring MVC's own errors (missing parameter, wrong type, upload too large, no
 * handler, wrong method) go through {@link ResponseEntityExceptionHandler} and get the same shape;
 * errors outside Spring MVC go through {@link ProblemErrorController}.
 */
@RestControllerAdvice
class ApiExceptionHandler extends ResponseEntityExceptionHandler {
    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);
    /** Retry-After while the index is being built. */
    static final Duration INDEX_RETRY_AFTER = Duration.ofSeconds(5);

    @ExceptionHandler
    ResponseEntity<ProblemDetail> invalid(InvalidRequestException e, HttpServletRequest request) {
        ProblemDetail problem = Problems.of(HttpStatus.BAD_REQUEST, "invalid-parameter", e.getMessage(), path(request));
        problem.setProperty("parameter", e.parameter());
        return respond(problem, null);
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> notFound(DocumentNotFoundException e, HttpServletRequest request) {
        return respond(Problems.of(HttpStatus.NOT_FOUND, "image-not-found", e.getMessage(), path(request)), null);
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> jobNotFound(JobNotFoundException e, HttpServletRequest request) {
        return respond(Problems.of(HttpStatus.NOT_FOUND, "job-not-found", e.getMessage(), path(request)), null);
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> conflict(JobConflictException e, HttpServletRequest request) {
        ProblemDetail problem = Problems.of(HttpStatus.CONFLICT, "job-running", e.getMessage(), path(request));
        problem.setProperty("activeJobId", e.activeJobId());
        return respond(problem, null);
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> notReady(IndexNotReadyException e, HttpServletRequest request) {
        return respond(
                Problems.of(
                        HttpStatus.SERVICE_UNAVAILABLE,
                        "index-not-ready",
                        "index not ready: " + e.getMessage(),
                        path(request)),
                INDEX_RETRY_AFTER);
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> busy(InferenceBusyException e, HttpServletRequest request) {
        return respond(
                Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "inference-busy", e.getMessage(), path(request)),
                e.retryAfter());
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> rejected(ImageRejectedException e, HttpServletRequest request) {
        HttpStatus status = switch (e.reason()) {
            case TOO_LARGE -> HttpStatus.CONTENT_TOO_LARGE;
            case NOT_AN_IMAGE, UNSUPPORTED_FORMAT -> HttpStatus.UNSUPPORTED_MEDIA_TYPE;
            case EMPTY, CORRUPT, TIMEOUT -> HttpStatus.BAD_REQUEST;
        };
        String code =
                "image-" + e.reason().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        ProblemDetail problem = Problems.of(status, code, "image: " + e.getMessage(), path(request));
        if (e instanceof ImageTooLargeException large) {
            problem.setProperty("maxPixels", large.maxPixels());
        }
        return respond(problem, null);
    }

    /**
     * Tomcat could not parse the request's parameters: more than {@code server.tomcat.max-parameter-count},
     * or a malformed (percent-)encoding. Thrown from the first {@code getParameter}, inside Spring MVC.
     */
    @ExceptionHandler
    ResponseEntity<ProblemDetail> unreadableParameters(InvalidParameterException e, HttpServletRequest request) {
        return respond(
                Problems.of(
                        HttpStatus.BAD_REQUEST,
                        "invalid-parameters",
                        "the request's parameters cannot be read: too many (the limit is"
                                + " server.tomcat.max-parameter-count) or badly encoded",
                        path(request)),
                null);
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> inference(InferenceException e, HttpServletRequest request) {
        log.error("inference failed on {}", path(request), e);
        return respond(
                Problems.of(
                        HttpStatus.INTERNAL_SERVER_ERROR,
                        "inference-failed",
                        "the model failed on this input; the error is logged on the server",
                        path(request)),
                null);
    }

    /** An optional capability the index backend lacks (a backup on SolrCloud): the message says what to use. */
    @ExceptionHandler
    ResponseEntity<ProblemDetail> unsupported(UnsupportedOperationException e, HttpServletRequest request) {
        return respond(
                Problems.of(HttpStatus.NOT_IMPLEMENTED, "backup-unsupported", e.getMessage(), path(request)), null);
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> unexpected(Exception e, HttpServletRequest request) {
        log.error("unexpected error on {}", path(request), e);
        return respond(
                Problems.of(
                        HttpStatus.INTERNAL_SERVER_ERROR,
                        "internal-error",
                        "an unexpected error occurred; it is logged on the server",
                        path(request)),
                null);
    }

    // Spring MVC's own errors: same shape, with details that name the parameter.

    @Override
    protected @Nullable ResponseEntity<Object> handleMethodArgumentNotValid(
            MethodArgumentNotValidException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        String detail = ex.getBindingResult().getFieldErrors().stream()
                .map(ApiExceptionHandler::describe)
                .collect(Collectors.joining("; "));
        ProblemDetail problem = Problems.of(
                status, "invalid-parameter", detail.isEmpty() ? "invalid request parameters" : detail, path(request));
        return handleExceptionInternal(ex, problem, headers, status, request);
    }

    @Override
    protected @Nullable ResponseEntity<Object> handleHandlerMethodValidationException(
            HandlerMethodValidationException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        String detail = ex.getParameterValidationResults().stream()
                .map(r -> r.getMethodParameter().getParameterName() + ": "
                        + r.getResolvableErrors().stream()
                                .map(m -> String.valueOf(m.getDefaultMessage()))
                                .collect(Collectors.joining(", ")))
                .collect(Collectors.joining("; "));
        return handleExceptionInternal(
                ex, Problems.of(status, "invalid-parameter", detail, path(request)), headers, status, request);
    }

    @Override
    protected @Nullable ResponseEntity<Object> handleTypeMismatch(
            TypeMismatchException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        String name = ex.getPropertyName() == null ? "parameter" : ex.getPropertyName();
        String type =
                ex.getRequiredType() == null ? "a value" : ex.getRequiredType().getSimpleName();
        String detail = name + ": '" + ex.getValue() + "' is not " + article(type);
        return handleExceptionInternal(
                ex, Problems.of(status, "invalid-parameter", detail, path(request)), headers, status, request);
    }

    @Override
    protected @Nullable ResponseEntity<Object> handleMaxUploadSizeExceededException(
            MaxUploadSizeExceededException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        String limit = ex.getMaxUploadSize() > 0 ? " of " + ex.getMaxUploadSize() + " bytes" : "";
        ProblemDetail problem = Problems.of(
                HttpStatus.CONTENT_TOO_LARGE,
                "upload-too-large",
                "the upload is over the size limit" + limit,
                path(request));
        return handleExceptionInternal(ex, problem, headers, HttpStatus.CONTENT_TOO_LARGE, request);
    }

    /** Every problem from the base class gets a code and the request path. */
    @Override
    protected ResponseEntity<Object> createResponseEntity(
            @Nullable Object body, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        if (body instanceof ProblemDetail problem) {
            if (problem.getProperties() == null || !problem.getProperties().containsKey("code")) {
                HttpStatus known = HttpStatus.resolve(status.value());
                problem.setProperty(
                        "code",
                        known == null
                                ? "error"
                                : known.name()
                                        .toLowerCase(java.util.Locale.ROOT)
                                        .replace('_', '-'));
            }
            if (problem.getInstance() == null && path(request) != null) {
                problem.setInstance(java.net.URI.create(path(request)));
            }
        }
        HttpHeaders problemHeaders = new HttpHeaders();
        problemHeaders.putAll(headers);
        problemHeaders.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        return new ResponseEntity<>(body, problemHeaders, status);
    }

    private static String describe(FieldError error) {
        if (error.isBindingFailure()) {
            return error.getField() + ": '" + error.getRejectedValue() + "' is not a valid value";
        }
        return error.getField() + ": " + error.getDefaultMessage();
    }

    private static String article(String type) {
        return switch (type) {
            case "int", "Integer", "long", "Long" -> "an integer";
            case "float", "Float", "double", "Double" -> "a number";
            case "boolean", "Boolean" -> "true or false";
            default -> "a valid " + type;
        };
    }

    private static ResponseEntity<ProblemDetail> respond(ProblemDetail problem, @Nullable Duration retryAfter) {
        ResponseEntity.BodyBuilder builder =
                ResponseEntity.status(problem.getStatus()).contentType(MediaType.APPLICATION_PROBLEM_JSON);
        if (retryAfter != null) {
            builder.header(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, retryAfter.toSeconds())));
        }
        return builder.body(problem);
    }

    private static @Nullable String path(HttpServletRequest request) {
        return request.getRequestURI();
    }

    private static @Nullable String path(WebRequest request) {
        return request instanceof ServletWebRequest servlet
                ? servlet.getRequest().getRequestURI()
                : null;
    }
}
