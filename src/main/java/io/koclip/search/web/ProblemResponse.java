package io.koclip.search.web;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * An error answer that an operation (or every operation of a controller) can give, as {@code
 * application/problem+json}. {@link OpenApiConfiguration} turns these into OpenAPI responses with
 * the ProblemDetail schema; it adds the answers every operation of a kind gives (400, 413, 415, 401,
 * 500) by itself. Not springdoc's {@code @ApiResponse}: declaring one of those drops the generated
 * success response.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
@Repeatable(ProblemResponse.List.class)
@interface ProblemResponse {
    /** The HTTP status, 400–599. */
    int status();

    /** When the operation answers this, naming the problem {@code code}s. */
    String description();

    /** The container of repeated {@link ProblemResponse}s. */
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.METHOD, ElementType.TYPE})
    @interface List {
        ProblemResponse[] value();
    }
}
