package io.koclip.search.web;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
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
 * @param lockout how a client that keeps giving a wrong token is slowed down ({@link AdminLockout})
 */
@Validated
@ConfigurationProperties("koclip.admin")
record AdminProperties(
        @Nullable String token,
        @DefaultValue("100") @Min(1) @Max(10_000) int retainedJobs,
        @DefaultValue @Valid @NotNull Lockout lockout) {

    @ConstructorBinding
    AdminProperties {}

    /** A configuration with the default lockout (for tests and the few places that build one by hand). */
    AdminProperties(@Nullable String token, int retainedJobs) {
        this(token, retainedJobs, Lockout.DEFAULT);
    }

    /**
     * Failed attempts per client address (docs/operations.md, "Threat model and HTTP hardening").
     *
     * @param freeFailures wrong tokens a client may give before it is locked out (typos happen)
     * @param first the first lockout; each further failure doubles it
     * @param longest the longest lockout; a client's failures are forgotten this long after its last one
     */
    record Lockout(
            @DefaultValue("5") @Min(1) @Max(1000) int freeFailures,
            @DefaultValue("30s") @NotNull Duration first,
            @DefaultValue("1h") @NotNull Duration longest) {
        static final Lockout DEFAULT = new Lockout(5, Duration.ofSeconds(30), Duration.ofHours(1));

        Lockout {
            if (first.isNegative() || first.isZero() || longest.compareTo(first) < 0) {
                throw new IllegalArgumentException("koclip.admin.lockout: first " + first
                        + " must be positive and longest " + longest + " at least as long");
            }
        }
    }

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
        return "AdminProperties[token=" + (enabled() ? "(set)" : "(none)") + ", retainedJobs=" + retainedJobs
                + ", lockout=" + lockout + "]";
    }
}
