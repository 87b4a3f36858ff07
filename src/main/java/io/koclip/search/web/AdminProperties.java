package io.koclip.search.web;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code koclip.admin.*}: the admin API ({@code /api/v1/admin/**}) and the protected actuator
 * endpoints (metrics, prometheus).
 *
 * @param token the bearer token; set it with the environment variable {@code KOCLIP_ADMIN_TOKEN},
 *     never in a file. When it is absent or blank the admin API and the protected actuator endpoints
 *     answer 404, as if they did not exist
 * @param retainedJobs finished jobs kept for {@code GET /admin/jobs/{id}}; older ones are forgotten
 */
@Validated
@ConfigurationProperties("koclip.admin")
record AdminProperties(
        @Nullable String token,
        @DefaultValue("100") @Min(1) @Max(10_000) int retainedJobs) {

    boolean enabled() {
        return token != null && !token.isBlank();
    }

    /**
     * Whether {@code given} is the token, compared in constant time: both sides are hashed to equal
     * length first, then compared with {@link MessageDigest#isEqual}.
     */
    boolean accepts(@Nullable String given) {
        if (!enabled() || given == null) {
            return false;
        }
        return MessageDigest.isEqual(sha256(given), sha256(token));
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    @Override
    public String toString() {
        return "AdminProperties[token=" + (enabled() ? "(set)" : "(none)") + ", retainedJobs=" + retainedJobs + "]";
    }
}
