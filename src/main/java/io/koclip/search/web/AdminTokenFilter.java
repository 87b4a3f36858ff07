package io.koclip.search.web;

import com.github.benmanes.caffeine.cache.Ticker;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.ObjectMapper;

/**
 * Guards the admin API ({@code /api/v1/admin/**}) and every actuator endpoint except health:
 * <ul>
 *   <li>no token configured ({@code KOCLIP_ADMIN_TOKEN} unset): 404, as if the endpoints did not exist;
 *   <li>a client address locked out after repeated wrong tokens ({@link AdminLockout}): 429 {@code
 *       admin-locked-out} with {@code Retry-After}, whatever token it sends;
 *   <li>no or a wrong {@code Authorization: Bearer} token: 401 with {@code WWW-Authenticate: Bearer};
 *       a wrong one counts as a failure of the client's address;
 *   <li>the right token: through. The comparison takes constant time ({@link AdminProperties#accepts}).
 * </ul>
 * The client is {@link HttpServletRequest#getRemoteAddr()}: behind a reverse proxy, set {@code
 * server.forward-headers-strategy=native} so that it is the proxy's {@code X-Forwarded-For}, or every
 * client shares the proxy's lockout.
 *
 * <p>Thread-safe: the lockout is.
 */
@Component
class AdminTokenFilter extends OncePerRequestFilter {
    private static final String BEARER = "Bearer ";

    private final AdminProperties admin;
    private final ObjectMapper json;
    private final AdminLockout lockout;

    @Autowired
    AdminTokenFilter(AdminProperties admin, ObjectMapper json) {
        this(admin, json, new AdminLockout(admin.lockout(), Ticker.systemTicker()));
    }

    AdminTokenFilter(AdminProperties admin, ObjectMapper json, AdminLockout lockout) {
        this.admin = admin;
        this.json = json;
        this.lockout = lockout;
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
            Problems.write(json, request, response, HttpStatus.NOT_FOUND, "not-found", "no such endpoint", null);
            return;
        }
        String client = request.getRemoteAddr();
        Duration locked = lockout.lockedFor(client);
        if (!locked.isZero()) {
            Problems.write(
                    json,
                    request,
                    response,
                    HttpStatus.TOO_MANY_REQUESTS,
                    "admin-locked-out",
                    "too many wrong admin tokens from this address; try again later",
                    locked);
            return;
        }
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        String given = header != null && header.regionMatches(true, 0, BEARER, 0, BEARER.length())
                ? header.substring(BEARER.length()).strip()
                : null;
        if (!admin.accepts(given)) {
            if (given != null) {
                lockout.failed(client); // a guess; a request without a token guesses nothing
            }
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"koclip-admin\"");
            Problems.write(
                    json,
                    request,
                    response,
                    HttpStatus.UNAUTHORIZED,
                    "unauthorized",
                    given == null ? "an admin bearer token is required" : "the admin bearer token is wrong",
                    null);
            return;
        }
        lockout.succeeded(client);
        chain.doFilter(request, response);
    }
}
