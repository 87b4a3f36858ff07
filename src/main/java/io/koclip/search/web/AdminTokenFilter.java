package io.koclip.search.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.ObjectMapper;

/**
 * Guards the admin API ({@code /api/v1/admin/**}) and every actuator endpoint except health:
 * <ul>
 *   <li>no token configured ({@code KOCLIP_ADMIN_TOKEN} unset): 404, as if the endpoints did not exist;
 *   <li>no or a wrong {@code Authorization: Bearer} token: 401 with {@code WWW-Authenticate: Bearer};
 *   <li>the right token: through. The comparison takes constant time ({@link AdminProperties#accepts}).
 * </ul>
 * Thread-safe: immutable.
 */
@Component
class AdminTokenFilter extends OncePerRequestFilter {
    private static final String BEARER = "Bearer ";

    private final AdminProperties admin;
    private final ObjectMapper json;

    AdminTokenFilter(AdminProperties admin, ObjectMapper json) {
        this.admin = admin;
        this.json = json;
    }

    /** True for paths that need the admin token. */
    static boolean guarded(String path) {
        if (path.equals("/api/v1/admin") || path.startsWith("/api/v1/admin/")) {
            return true;
        }
        if (path.equals("/actuator") || path.startsWith("/actuator/")) {
            return !(path.equals("/actuator/health") || path.startsWith("/actuator/health/"));
        }
        return false;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return !guarded(path);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!admin.enabled()) {
            reject(response, request, HttpStatus.NOT_FOUND, "not-found", "no such endpoint");
            return;
        }
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        String given = header != null && header.regionMatches(true, 0, BEARER, 0, BEARER.length())
                ? header.substring(BEARER.length()).strip()
                : null;
        if (!admin.accepts(given)) {
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"koclip-admin\"");
            reject(
                    response,
                    request,
                    HttpStatus.UNAUTHORIZED,
                    "unauthorized",
                    given == null ? "an admin bearer token is required" : "the admin bearer token is wrong");
            return;
        }
        chain.doFilter(request, response);
    }

    private void reject(
            HttpServletResponse response, HttpServletRequest request, HttpStatus status, String code, String detail)
            throws IOException {
        ProblemDetail problem = Problems.of(status, code, detail, request.getRequestURI());
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setCharacterEncoding("UTF-8");
        json.writeValue(response.getOutputStream(), problem);
    }
}
