package io.koclip.search.web;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code koclip.http.*}: what the server tells browsers and how many uploads it reads at once
 * (docs/operations.md, "Threat model and HTTP hardening"). The servlet container's own limits (header
 * size, parameter and part counts) are Spring Boot's {@code server.*} properties, set in {@code
 * application.yaml}.
 *
 * @param contentSecurityPolicy the {@code Content-Security-Policy} of the web page and the API: scripts,
 *     styles and fetches from this origin only, images also from {@code data:} and {@code blob:} (the
 *     page's previews), nothing may frame the page; Swagger UI gets the same with inline styles allowed
 *     (its React components set them)
 * @param cors cross-origin access to {@code /api/v1/**} (not to the admin API or the actuator)
 * @param uploads concurrent multipart uploads
 * @param clients requests of one client in progress at once
 */
@Validated
@ConfigurationProperties("koclip.http")
record HttpProperties(
        @DefaultValue(DEFAULT_CSP) @NotBlank String contentSecurityPolicy,
        @DefaultValue @Valid @NotNull Cors cors,
        @DefaultValue @Valid @NotNull Uploads uploads,
        @DefaultValue @Valid @NotNull Clients clients) {

    static final String DEFAULT_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data: blob:; connect-src 'self'; manifest-src 'self'; base-uri 'none'; "
            + "form-action 'self'; frame-ancestors 'none'";

    /**
     * @param allowedOrigins origins (scheme, host and port: {@code https://photos.example.org}) whose
     *     pages may call {@code /api/v1/**} with GET and POST; empty (the default) answers no
     *     cross-origin request, so browsers refuse to show another site the results
     * @param maxAge how long a browser may cache a preflight answer
     */
    record Cors(
            @DefaultValue List<String> allowedOrigins,
            @DefaultValue("30m") @NotNull Duration maxAge) {
        Cors {
            allowedOrigins = List.copyOf(allowedOrigins);
            for (String origin : allowedOrigins) {
                checkOrigin(origin);
            }
        }

        private static void checkOrigin(String origin) {
            URI uri;
            try {
                uri = URI.create(origin);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "koclip.http.cors.allowed-origins: '" + origin + "' is not an origin (https://host[:port])");
            }
            boolean web = "https".equals(uri.getScheme()) || "http".equals(uri.getScheme());
            if (origin.equals("*")
                    || !web
                    || uri.getHost() == null
                    || (uri.getRawPath() != null && !uri.getRawPath().isEmpty())
                    || uri.getRawQuery() != null
                    || uri.getRawFragment() != null
                    || uri.getRawUserInfo() != null) {
                throw new IllegalArgumentException("koclip.http.cors.allowed-origins: '" + origin
                        + "' is not an origin: give scheme, host and optional port, no path and no '*'");
            }
        }
    }

    /**
     * @param maxConcurrent multipart requests (image search, classify, patches) read and processed at
     *     once; one more is answered 503 {@code uploads-busy} with {@code Retry-After} before its body
     *     is read, so the uploads in memory stay below {@code maxConcurrent ×
     *     spring.servlet.multipart.max-request-size}
     * @param retryAfter the {@code Retry-After} of that answer
     */
    record Uploads(
            @DefaultValue("4") @Min(1) @Max(1024) int maxConcurrent,
            @DefaultValue("1s") @NotNull Duration retryAfter) {}

    /**
     * @param maxInFlight {@code /api/**} requests of one client address in progress at once; one more
     *     is answered 429 {@code client-busy} with {@code Retry-After} before it is read; 0 turns the
     *     bound off. The default, 8, is above the 6 connections a browser opens to one host, so one
     *     person's page never meets it; behind a proxy, set {@code server.forward-headers-strategy} so
     *     that the address is the client's and not the proxy's
     * @param retryAfter the {@code Retry-After} of that answer
     */
    record Clients(
            @DefaultValue("8") @Min(0) @Max(100000) int maxInFlight,
            @DefaultValue("1s") @NotNull Duration retryAfter) {}
}
