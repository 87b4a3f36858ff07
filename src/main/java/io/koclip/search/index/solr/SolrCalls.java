package io.koclip.search.index.solr;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.TimeUnit;
import org.apache.solr.client.solrj.SolrServerException;
import org.apache.solr.client.solrj.impl.CloudSolrClient;
import org.apache.solr.client.solrj.impl.HttpJdkSolrClient;
import org.apache.solr.common.SolrException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the backend talks to Solr: the clients it builds and how a failed call becomes an exception the
 * SPI's callers understand. A request Solr refused as malformed (HTTP 400) is an
 * {@link IllegalArgumentException}; anything else (a node down, a timeout, a 5xx) is an
 * {@link IOException} naming what was attempted. Idempotent writes (upserts and deletes by id, commits)
 * are retried with back-off, so that a leader election after a node loss (seconds of 503s) does not
 * fail an ingest.
 */
final class SolrCalls {
    private static final Logger log = LoggerFactory.getLogger(SolrCalls.class);

    /** Attempts of a retried call, and the pause before the second one (x4 each further attempt). */
    static final int ATTEMPTS = 4;

    static final long FIRST_BACKOFF_MS = 250;

    private SolrCalls() {}

    /** One Solr call. */
    @FunctionalInterface
    interface Call<T> {
        T run() throws SolrServerException, IOException;
    }

    /** The cluster-aware client for {@code settings}; the caller closes it (its threads keep a JVM alive). */
    static CloudSolrClient cloud(SolrSettings settings) {
        return new CloudSolrClient.Builder(settings.urls())
                .withInternalClientBuilder(http(settings))
                .build();
    }

    /** A client for one node's own endpoints ({@code /admin/cores}); the caller closes it. */
    static HttpJdkSolrClient node(SolrSettings settings, String baseUrl) {
        return http(settings).withBaseSolrUrl(baseUrl).build();
    }

    private static HttpJdkSolrClient.Builder http(SolrSettings settings) {
        HttpJdkSolrClient.Builder builder = new HttpJdkSolrClient.Builder()
                .withConnectionTimeout(10, TimeUnit.SECONDS)
                // collection creation waits for every replica to be active: minutes on a busy cluster
                .withRequestTimeout(5, TimeUnit.MINUTES);
        if (settings.basicAuth()) {
            builder.withBasicAuthCredentials(settings.username(), settings.password());
        }
        return builder;
    }

    /** Runs {@code call} once. */
    static <T> T once(String what, Call<T> call) throws IOException {
        try {
            return call.run();
        } catch (SolrServerException e) {
            throw new IOException(what + " failed: " + message(e), e);
        } catch (SolrException e) {
            throw translate(what, e);
        } catch (IOException e) {
            throw new IOException(what + " failed: " + message(e), e);
        }
    }

    /** Runs an idempotent {@code call}, retrying transient failures {@value #ATTEMPTS} times in all. */
    static <T> T retried(String what, Call<T> call) throws IOException {
        long pause = FIRST_BACKOFF_MS;
        for (int attempt = 1; ; attempt++) {
            try {
                return call.run();
            } catch (SolrServerException | IOException | SolrException e) {
                boolean transient_ = !(e instanceof SolrException s) || s.code() >= 500 || s.code() <= 0;
                if (!transient_ || attempt == ATTEMPTS) {
                    if (e instanceof SolrException s) {
                        throw translate(what, s);
                    }
                    throw new IOException(what + " failed after " + attempt + " attempts: " + message(e), e);
                }
                log.warn(
                        "{} failed (attempt {} of {}), retrying in {} ms: {}",
                        what,
                        attempt,
                        ATTEMPTS,
                        pause,
                        message(e));
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    InterruptedIOException io = new InterruptedIOException(what + " interrupted while retrying");
                    io.initCause(e);
                    throw io;
                }
                pause *= 4;
            }
        }
    }

    /** HTTP 400 is a bad request (thrown as IllegalArgumentException), anything else an IOException. */
    private static IOException translate(String what, SolrException e) {
        if (e.code() == 400) {
            throw new IllegalArgumentException(what + ": Solr refused the request: " + message(e), e);
        }
        return new IOException(what + " failed (HTTP " + e.code() + "): " + message(e), e);
    }

    private static String message(Throwable e) {
        Throwable root = e;
        for (Throwable c = e.getCause(); c != null && c != root; c = c.getCause()) {
            root = c;
        }
        String m = e.getMessage();
        return root == e || m == null ? String.valueOf(m) : m + " (" + root + ")";
    }
}
