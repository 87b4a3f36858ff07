package io.koclip.search.web;

import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.web.servlet.config.annotation.CorsRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Cross-origin access (CORS), closed unless {@code koclip.http.cors.allowed-origins} names origins:
 * then pages of those origins may call {@code /api/v1/**} with GET and POST, sending only {@code
 * Content-Type}, {@code Accept} and {@code If-None-Match}, and read {@code ETag} and {@code Retry-After};
 * never with credentials (the API has no cookies). {@code Authorization} is not allowed, so no page of
 * another origin can send the admin token, and the admin API answers a preflight without one with 401.
 * Any other origin gets no {@code Access-Control-Allow-Origin}, so browsers hide the answer from it
 * (Spring MVC answers its preflight 403).
 */
@Configuration(proxyBeanMethods = false)
class CrossOrigin implements WebMvcConfigurer {
    private final HttpProperties.Cors cors;

    CrossOrigin(HttpProperties properties) {
        this.cors = properties.cors();
    }

    @Override
    public void addCorsMappings(CorsRegistry registry) {
        if (cors.allowedOrigins().isEmpty()) {
            return;
        }
        registry.addMapping("/api/v1/**")
                .allowedOrigins(cors.allowedOrigins().toArray(String[]::new))
                .allowedMethods("GET", "POST")
                .allowedHeaders(HttpHeaders.CONTENT_TYPE, HttpHeaders.ACCEPT, HttpHeaders.IF_NONE_MATCH)
                .exposedHeaders(HttpHeaders.ETAG, HttpHeaders.RETRY_AFTER)
                .allowCredentials(false)
                .maxAge(cors.maxAge().toSeconds());
    }
}
