package io.koclip.search.web;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;

/**
 * Slows down guessing the admin token: per client address, the first {@link
 * AdminProperties.Lockout#freeFailures()} wrong tokens are answered 401 as usual; each failure after
 * that locks the client out for {@code first}, doubled per further failure up to {@code longest}.
 * While locked out, every admin request from that address is refused (429 with {@code Retry-After})
 * without looking at its token, even the right one: otherwise the lockout would still answer "right or
 * wrong" at line speed. A right token outside a lockout forgets the client's failures; they are also
 * forgotten {@code longest} after the last one.
 *
 * <p>At most {@value #MAX_CLIENTS} addresses are tracked (the least recently failing are dropped), so a
 * flood of spoofed addresses cannot grow the heap. Time comes from a {@link Ticker} so tests are
 * deterministic.
 *
 * <p>Thread-safe: the failure records live in a concurrent cache and are replaced atomically.
 */
final class AdminLockout {
    static final int MAX_CLIENTS = 10_000;

    /** A client's failures in a row and the ticker time (ns) until which it is locked out. */
    private record Failures(int count, long lockedUntil) {}

    private final AdminProperties.Lockout settings;
    private final Ticker ticker;
    private final Cache<String, Failures> failures;

    AdminLockout(AdminProperties.Lockout settings, Ticker ticker) {
        this.settings = settings;
        this.ticker = ticker;
        this.failures = Caffeine.newBuilder()
                .maximumSize(MAX_CLIENTS)
                .expireAfterWrite(settings.longest())
                .ticker(ticker)
                .build();
    }

    /** How long {@code client} is still locked out; zero when it may try. */
    Duration lockedFor(String client) {
        Failures record = failures.getIfPresent(client);
        if (record == null) {
            return Duration.ZERO;
        }
        long left = record.lockedUntil() - ticker.read();
        return left > 0 ? Duration.ofNanos(left) : Duration.ZERO;
    }

    /** Records a wrong or missing token from {@code client}; returns the lockout it now has (zero for none). */
    Duration failed(String client) {
        long now = ticker.read();
        Failures record = failures.asMap().compute(client, (key, old) -> next(old == null ? 1 : old.count() + 1, now));
        long left = record.lockedUntil() - now;
        return left > 0 ? Duration.ofNanos(left) : Duration.ZERO;
    }

    /** The right token: the client's failures are forgotten. */
    void succeeded(String client) {
        failures.invalidate(client);
    }

    private Failures next(int count, long now) {
        int over = count - settings.freeFailures();
        if (over < 1) {
            return new Failures(count, now);
        }
        Duration lock = settings.first().multipliedBy(1L << Math.min(over - 1, 30));
        if (lock.compareTo(settings.longest()) > 0) {
            lock = settings.longest();
        }
        return new Failures(count, now + lock.toNanos());
    }
}
