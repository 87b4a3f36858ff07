package io.koclip.search.web;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.http.HttpHeaders;

/**
 * The OpenAPI description served at {@code /v3/api-docs} (Swagger UI at {@code /swagger-ui.html}).
 *
 * <p>The error model lives here, in one place: {@link #errorModel()} gives every 4xx/5xx response
 * the {@code application/problem+json} body that {@link ApiExceptionHandler}, {@link
 * AdminTokenFilter} and {@link ProblemErrorController} write (see {@link Problems}), adds the
 * answers every operation of a kind can give (500 always; 400 for query parameters or a body;
 * 413/415 for an upload; 401/404/429 from the admin filter; 429 from {@link ClientLimit}), and declares {@code security: []} on the
 * public operations. Answers that only some operations give (404 unknown id, 409 job running, 503
 * not ready or busy) are {@link ProblemResponse} annotations on the controllers.
 *
 * <p>{@code OpenApiDocumentTest} fails when an operation lacks a 4xx answer or a security
 * declaration, and {@code src/test/openapi/validate.sh} runs swagger-parser and Redocly's linter on
 * the served document (docs/api.md, "OpenAPI document"). Thread-safety: the beans are stateless;
 * springdoc calls them while it builds the document.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {
    static final String ADMIN_SCHEME = "adminToken";
    static final String PROBLEM_JSON = org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON_VALUE;
    static final String PROBLEM_SCHEMA = "ProblemDetail";
    /** The 503 of operations that read the index and run the model. */
    static final String NOT_READY_OR_BUSY = "The index is not ready (index-not-ready: first ingest running, index of"
            + " another model, shutting down), or every inference permit stayed busy (inference-busy), or for"
            + " an upload every upload slot (uploads-busy); try again after Retry-After seconds";
    /** The 503 of operations that only read the index. */
    static final String NOT_READY = "The index is not ready (index-not-ready: first ingest running, index of"
            + " another model, shutting down); try again after Retry-After seconds";
    /** The 503 of operations that only run the model. */
    static final String BUSY = "Every inference permit stayed busy (inference-busy), or every upload slot"
            + " (uploads-busy: koclip.http.uploads.max-concurrent); try again after Retry-After seconds";

    private static final String SCHEMAS = "#/components/schemas/";
    private static final String HEADERS = "#/components/headers/";

    @Bean
    OpenAPI koclipOpenApi() {
        return new OpenAPI()
                .info(new Info()
                        .title("koclip-search API")
                        .version("v1")
                        .description("Korean-first CLIP text-to-image search. Errors are RFC 9457 problem+json.")
                        .license(new License().name("Apache License 2.0").identifier("Apache-2.0")))
                // Relative: the document is right for whatever host and port serve it (springdoc would
                // otherwise write the URL of the request that asked for it, e.g. localhost).
                .servers(List.of(new Server().url("/").description("the server that serves this document")))
                .components(new Components()
                        .addSecuritySchemes(
                                ADMIN_SCHEME,
                                new SecurityScheme()
                                        .type(SecurityScheme.Type.HTTP)
                                        .scheme("bearer")
                                        .description("The admin token set with KOCLIP_ADMIN_TOKEN"
                                                + " (koclip.admin.token), sent as `Authorization: Bearer <token>`."
                                                + " Without a configured token the admin API answers 404."))
                        .addHeaders(
                                HttpHeaders.RETRY_AFTER,
                                new Header()
                                        .description("Seconds to wait before trying again")
                                        .schema(new IntegerSchema().minimum(BigDecimal.ONE)))
                        .addHeaders(
                                HttpHeaders.WWW_AUTHENTICATE,
                                new Header()
                                        .description(
                                                "The scheme to authenticate with:" + " `Bearer realm=\"koclip-admin\"`")
                                        .schema(new StringSchema())));
    }

    /** The {@link ProblemResponse}s of a handler method and of its controller, without content yet. */
    @Bean
    OperationCustomizer problemResponses() {
        return (operation, handler) -> {
            Set<ProblemResponse> declared = new LinkedHashSet<>();
            declared.addAll(
                    AnnotatedElementUtils.findMergedRepeatableAnnotations(handler.getMethod(), ProblemResponse.class));
            declared.addAll(AnnotatedElementUtils.findMergedRepeatableAnnotations(
                    handler.getBeanType(), ProblemResponse.class));
            if (operation.getResponses() == null) {
                operation.setResponses(new ApiResponses());
            }
            for (ProblemResponse problem : declared) {
                if (problem.status() < 400 || problem.status() > 599) {
                    throw new IllegalStateException("@ProblemResponse on " + handler + ": status " + problem.status()
                            + " is not an error (400–599)");
                }
                // a method's own answer wins over its controller's
                operation
                        .getResponses()
                        .putIfAbsent(
                                Integer.toString(problem.status()),
                                new ApiResponse().description(problem.description()));
            }
            return operation;
        };
    }

    /** The answers every operation of a kind gives, the problem+json bodies, and the security. */
    @Bean
    OpenApiCustomizer errorModel() {
        return api -> {
            // here rather than in the OpenAPI bean: springdoc drops component schemas that nothing
            // references before the customizers run
            if (api.getComponents() == null) {
                api.setComponents(new Components());
            }
            api.getComponents().addSchemas(PROBLEM_SCHEMA, problemSchema());
            if (api.getPaths() != null) {
                api.getPaths().values().forEach(path -> path.readOperations().forEach(OpenApiConfiguration::describe));
            }
        };
    }

    /** RFC 9457 as {@link Problems} writes it; extension members depend on the error. */
    private static Schema<?> problemSchema() {
        // raw Schema: the type that swagger-models' setProperties takes
        Map<String, Schema> properties = new LinkedHashMap<>();
        properties.put(
                "type",
                new StringSchema()
                        .format("uri-reference")
                        ._default("about:blank")
                        .description("`urn:koclip:problem:<code>`; absent (RFC 9457: about:blank) on errors of"
                                + " the web framework, such as a missing parameter")
                        .example("urn:koclip:problem:invalid-parameter"));
        properties.put(
                "title",
                new StringSchema().description("The HTTP status phrase").example("Bad Request"));
        properties.put(
                "status",
                new IntegerSchema()
                        .minimum(BigDecimal.valueOf(400))
                        .maximum(BigDecimal.valueOf(599))
                        .description("The HTTP status code")
                        .example(400));
        properties.put(
                "detail",
                new StringSchema()
                        .description("What went wrong, naming the value at fault; never a stack trace")
                        .example("k: 0 is not in [1, 1000]"));
        properties.put(
                "instance",
                new StringSchema()
                        .format("uri-reference")
                        .description("The request path")
                        .example("/api/v1/search"));
        properties.put(
                "code",
                new StringSchema()
                        .description("A short machine-readable name of the error, e.g. invalid-parameter,"
                                + " image-not-found, index-not-ready (docs/api.md lists them)")
                        .example("invalid-parameter"));
        properties.put(
                "parameter",
                new StringSchema()
                        .description("With invalid-parameter from the search API: the parameter at fault")
                        .example("k"));
        properties.put(
                "maxPixels",
                new IntegerSchema()
                        .format("int64")
                        .description("With image-too-large: the pixel cap (width × height)"));
        properties.put(
                "activeJobId", new StringSchema().description("With job-running: the job that is queued or running"));
        ObjectSchema schema = new ObjectSchema();
        schema.setProperties(properties);
        schema.setRequired(List.of("title", "status", "detail", "code"));
        schema.setDescription("An RFC 9457 problem detail, served as application/problem+json");
        return schema;
    }

    /** Adds the answers every operation of its kind gives, then the problem+json body to every error. */
    private static void describe(Operation operation) {
        ApiResponses responses = operation.getResponses();
        if (responses == null) {
            responses = new ApiResponses();
            operation.setResponses(responses);
        }
        boolean admin = operation.getSecurity() != null
                && operation.getSecurity().stream().anyMatch(s -> s.containsKey(ADMIN_SCHEME));
        boolean upload = operation.getRequestBody() != null
                && operation.getRequestBody().getContent() != null
                && operation.getRequestBody().getContent().containsKey("multipart/form-data");
        boolean queryParameters = operation.getParameters() != null
                && operation.getParameters().stream().anyMatch(p -> "query".equals(p.getIn()));
        if (!admin) {
            operation.setSecurity(new ArrayList<SecurityRequirement>()); // public: `security: []`
        }
        if (queryParameters || upload) {
            responses.putIfAbsent(
                    "400",
                    new ApiResponse()
                            .description("Bad input: a parameter missing, malformed or out of range (invalid-parameter,"
                                    + " naming it in `parameter`)"
                                    + (upload
                                            ? "; a missing image part; or an upload that is empty, damaged or"
                                                    + " too slow to decode (image-empty, image-corrupt, image-timeout)"
                                            : "")));
        }
        if (upload) {
            responses.putIfAbsent(
                    "413",
                    new ApiResponse()
                            .description("The upload is over the size limit (upload-too-large), or the image"
                                    + " is over the pixel cap (image-too-large, with `maxPixels`)"));
            responses.putIfAbsent(
                    "415",
                    new ApiResponse()
                            .description("The upload is not an image, or one of a format without a decoder"
                                    + " (image-not-an-image, image-unsupported-format); or the request is not"
                                    + " multipart/form-data"));
        }
        if (admin) {
            responses.putIfAbsent(
                    "401",
                    new ApiResponse()
                            .description("No admin bearer token, or a wrong one (unauthorized)")
                            .addHeaderObject(
                                    HttpHeaders.WWW_AUTHENTICATE,
                                    new Header().$ref(HEADERS + HttpHeaders.WWW_AUTHENTICATE)));
            responses.putIfAbsent(
                    "429",
                    new ApiResponse()
                            .description("Too many wrong admin tokens from this address (admin-locked-out): every"
                                    + " admin request from it is refused until `Retry-After` seconds have passed")
                            .addHeaderObject(
                                    HttpHeaders.RETRY_AFTER, new Header().$ref(HEADERS + HttpHeaders.RETRY_AFTER)));
            String adminOff = "The admin API is off: no KOCLIP_ADMIN_TOKEN is configured (not-found)";
            ApiResponse notFound = responses.get("404");
            if (notFound == null) {
                responses.put("404", new ApiResponse().description(adminOff));
            } else {
                notFound.setDescription(notFound.getDescription() + "; or " + lowerFirst(adminOff));
            }
        }
        String clientBusy = "This client address already has koclip.http.clients.max-in-flight requests in"
                + " progress (client-busy); try again after `Retry-After` seconds";
        ApiResponse tooMany = responses.get("429");
        if (tooMany == null) {
            responses.put("429", new ApiResponse().description(clientBusy));
        } else {
            tooMany.setDescription(tooMany.getDescription() + "; or " + lowerFirst(clientBusy));
        }
        responses.putIfAbsent(
                "500",
                new ApiResponse()
                        .description("A bug or a model failure (internal-error, inference-failed);"
                                + " details only in the server log"));
        responses.forEach((status, response) -> {
            if (isError(status)) {
                response.setContent(new Content()
                        .addMediaType(
                                PROBLEM_JSON, new MediaType().schema(new Schema<>().$ref(SCHEMAS + PROBLEM_SCHEMA))));
                if (status.equals("503") || status.equals("429")) {
                    response.addHeaderObject(
                            HttpHeaders.RETRY_AFTER, new Header().$ref(HEADERS + HttpHeaders.RETRY_AFTER));
                }
            }
        });
        // 2xx, then errors by status: a stable order for readers and diffs.
        ApiResponses sorted = new ApiResponses();
        new TreeMap<>(responses).forEach(sorted::addApiResponse);
        operation.setResponses(sorted);
    }

    static boolean isError(String status) {
        return status.length() == 3 && (status.charAt(0) == '4' || status.charAt(0) == '5');
    }

    private static String lowerFirst(String text) {
        return Character.toLowerCase(text.charAt(0)) + text.substring(1);
    }
}
