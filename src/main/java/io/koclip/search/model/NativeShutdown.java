package io.koclip.search.model;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * An orderly stop on SIGTERM and SIGINT for a process that uses ONNX Runtime.
 *
 * <p>Why: ONNX Runtime's Java binding registers a JVM shutdown hook that releases its native environment,
 * and the JVM runs shutdown hooks concurrently. A SIGTERM while a session was being created (or while a
 * graceful stop was still encoding the images in flight) released the environment under the running
 * native code: the JVM died with SIGBUS in {@code libonnxruntime.so}. So the signal does not start the
 * JVM's shutdown directly. Its handler, on its own thread: refuses new session creations, runs the
 * registered stops ({@link #beforeExit}: the ingest command's cancel-and-commit, the server's context
 * close with its graceful HTTP phase), newest first, waits for session creations, warm-ups and closes in flight (at most
 * {@link #MAX_WAIT_SECONDS}), and only then calls {@code System.exit(128 + signal)}, when no native
 * code runs; ONNX Runtime's hook then releases an idle environment.
 *
 * <p>Installed on first use (a session creation or a registration). Thread-safe: state guarded by
 * {@code LOCK}.
 */
public final class NativeShutdown {
    private static final Logger log = LoggerFactory.getLogger(NativeShutdown.class);

    /** How long the stop waits for session creations: a 600 MB graph takes about 10 s on 2 loaded cores. */
    static final long MAX_WAIT_SECONDS = 120;

    private static final Object LOCK = new Object();
    private static int creating; // guarded by LOCK
    private static boolean stopping; // guarded by LOCK
    private static boolean installed; // guarded by LOCK
    private static final List<Runnable> stops = new ArrayList<>(); // guarded by LOCK

    private NativeShutdown() {}

    /**
     * Registers work that must run before the JVM exits on SIGTERM/SIGINT; runs on the signal's stop
     * thread. Returns what removes it again (when the work is done by itself).
     */
    public static Runnable beforeExit(Runnable stop) {
        synchronized (LOCK) {
            install();
            stops.add(stop);
        }
        return () -> {
            synchronized (LOCK) {
                stops.remove(stop);
            }
        };
    }

    /** Runs a session creation; refused with {@link BundleException} once the process is stopping. */
    static <T> T creating(String what, Supplier<T> creation) {
        synchronized (LOCK) {
            if (stopping) {
                throw new BundleException(what + ": not loaded, the process is shutting down");
            }
            install();
            creating++;
        }
        try {
            return creation.get();
        } finally {
            synchronized (LOCK) {
                creating--;
                LOCK.notifyAll();
            }
        }
    }

    /** Runs a release of native resources (closing sessions); the exit waits for it, it is never refused. */
    static void closing(Runnable release) {
        synchronized (LOCK) {
            creating++;
        }
        try {
            release.run();
        } finally {
            synchronized (LOCK) {
                creating--;
                LOCK.notifyAll();
            }
        }
    }

    private static void install() {
        if (installed) {
            return;
        }
        installed = true;
        for (String name : List.of("TERM", "INT")) {
            try {
                Signal.handle(new Signal(name), signal -> stop(signal.getNumber()));
            } catch (IllegalArgumentException e) {
                // the signal is not available here, or the JVM uses it (-Xrs): the JVM's default stays
                log.debug("cannot handle SIG{}: {}", name, e.getMessage());
            }
        }
    }

    /** The signal's stop: on the JVM's signal thread; ends with System.exit. */
    private static void stop(int signal) {
        List<Runnable> work;
        synchronized (LOCK) {
            if (stopping) {
                return; // a second signal while stopping: the first stop goes on
            }
            stopping = true;
            work = new ArrayList<>(stops).reversed();
        }
        log.info("signal {}: stopping", signal);
        for (Runnable stop : work) {
            try {
                stop.run();
            } catch (RuntimeException e) {
                log.warn("a stop step failed", e);
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(MAX_WAIT_SECONDS);
        synchronized (LOCK) {
            if (creating > 0) {
                log.info("waiting for {} ONNX Runtime session(s) being created", creating);
            }
            try {
                long left;
                while (creating > 0 && (left = deadline - System.nanoTime()) > 0) {
                    TimeUnit.NANOSECONDS.timedWait(LOCK, left);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        System.exit(128 + signal);
    }
}
