package io.koclip.search.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How one run stops: the first fatal error of any stage (which aborts every other stage), and the
 * user's cooperative cancellation (which lets the images in flight finish).
 *
 * <p>Thread-safe.
 */
final class IngestControl {
    private static final Logger log = LoggerFactory.getLogger(IngestControl.class);

    /** Thrown into a stage blocked on a hand-off when another stage has failed; never reported. */
    static final class Aborted extends RuntimeException {
        Aborted() {
            super(null, null, false, false);
        }
    }

    private final BooleanSupplier cancelRequested;
    private final AtomicReference<@Nullable Throwable> fatal = new AtomicReference<>();
    private volatile boolean cancelled;

    IngestControl(BooleanSupplier cancelRequested) {
        this.cancelRequested = cancelRequested;
    }

    /** Polls the user's flag (from the run thread); once true, stays true. */
    boolean pollCancellation() {
        if (!cancelled && cancelRequested.getAsBoolean()) {
            cancelled = true;
            log.info("ingest cancelled: finishing the images in flight");
        }
        return cancelled;
    }

    boolean cancelled() {
        return cancelled;
    }

    /** The scanner stops on either. */
    boolean stopping() {
        return cancelled || fatal.get() != null;
    }

    /** Records the first fatal error; later ones are logged only. */
    void fail(String stage, Throwable error) {
        if (fatal.compareAndSet(null, error)) {
            log.error("ingest stage {} failed", stage, error);
        }
    }

    boolean failed() {
        return fatal.get() != null;
    }

    void checkNotAborted() {
        if (fatal.get() != null) {
            throw new Aborted();
        }
    }

    /** Rethrows the fatal error, if any, as what the job's callers expect. */
    void rethrowFatal() throws IOException {
        Throwable failure = fatal.get();
        if (failure == null) {
            return;
        }
        if (failure instanceof IOException io) {
            throw io;
        }
        if (failure instanceof UncheckedIOException io) {
            throw io.getCause();
        }
        if (failure instanceof RuntimeException re) {
            throw re;
        }
        if (failure instanceof Error err) {
            throw err;
        }
        throw new IllegalStateException("ingest interrupted", failure);
    }

    /** A stage body, run on its own thread. */
    interface Stage {
        void run() throws Exception;
    }

    /** A daemon thread that runs {@code body} and records its failure as the run's fatal error. */
    Thread thread(String name, Stage body) {
        Thread thread = new Thread(
                () -> {
                    try {
                        body.run();
                    } catch (Aborted e) {
                        // another stage failed first; its error is the one reported
                    } catch (Throwable t) {
                        fail(name, t);
                    }
                },
                name);
        thread.setDaemon(true);
        return thread;
    }
}
