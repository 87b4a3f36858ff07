package io.koclip.search.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Headers that tell a browser what the server's answers may do, set on every response before any
 * other filter runs (so problems written by filters and error pages carry them too):
 *
 * <ul>
 *   <li>{@code Content-Security-Policy}: {@link HttpProperties#contentSecurityPolicy()}; the web page
 *       keeps its scripts and styles in {@code app.js} and {@code app.css} so that it needs no
 *       {@code 'unsafe-inline'}. Swagger UI ({@code /swagger-ui/**}) gets the same policy with inline
 *       styles allowed, which its React components set;
 *   <li>{@code X-Frame-Options: DENY} (with the policy's {@code frame-ancestors 'none'}: no site may
 *       frame the page, so no clickjacking of the search box or the admin-free page);
 *   <li>{@code X-Content-Type-Options: nosniff}: an uploaded or indexed file is never run as script or
 *       style because its bytes look like one;
 *   <li>{@code Referrer-Policy: no-referrer}: queries in the page's address are never sent on;
 *   <li>{@code Cross-Origin-Opener-Policy: same-origin} and a {@code Permissions-Policy} that turns off
 *       camera, microphone and location, which the page never uses.
 * </ul>
 *
 * Thread-safe: immutable.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class SecurityHeaders extends OncePerRequestFilter {
    static final String PERMISSIONS = "camera=(), microphone=(), geolocation=()";

    private final String policy;
    private final String swaggerPolicy;

    SecurityHeaders(HttpProperties properties) {
        this.policy = properties.contentSecurityPolicy();
        this.swaggerPolicy = withInlineStyles(policy);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        response.setHeader(
                "Content-Security-Policy",
                path.startsWith("/swagger-ui/") || path.equals("/swagger-ui.html") ? swaggerPolicy : policy);
        response.setHeader("X-Frame-Options", "DENY");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Referrer-Policy", "no-referrer");
        response.setHeader("Cross-Origin-Opener-Policy", "same-origin");
        response.setHeader("Permissions-Policy", PERMISSIONS);
        chain.doFilter(request, response);
    }

    /** Dispatches to error pages keep the headers already set; nothing to add there. */
    @Override
    protected boolean shouldNotFilterErrorDispatch() {
        return true;
    }

    /** The policy with {@code 'unsafe-inline'} styles and {@code data:} images, for Swagger UI. */
    static String withInlineStyles(String policy) {
        StringBuilder out = new StringBuilder();
        boolean style = false;
        for (String directive : policy.split(";")) {
            String d = directive.strip();
            if (d.isEmpty()) {
                continue;
            }
            if (d.startsWith("style-src ") || d.equals("style-src")) {
                d = d.contains("'unsafe-inline'") ? d : d + " 'unsafe-inline'";
                style = true;
            }
            if ((d.startsWith("img-src ") || d.equals("img-src")) && !d.contains("data:")) {
                d = d + " data:";
            }
            out.append(out.isEmpty() ? "" : "; ").append(d);
        }
        if (!style) {
            out.append("; style-src 'self' 'unsafe-inline'");
        }
        return out.toString();
    }
}
