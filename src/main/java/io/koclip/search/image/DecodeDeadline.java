package io.koclip.search.image;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageReader;
import org.jspecify.annotations.Nullable;

/**
 * The time budget of one decode. ImageIO decoders run on the caller's thread and cannot be
 * interrupted, so the budget is enforced cooperatively, three ways:
 *
 * <ol>
 *   <li>when the budget runs out, a shared timer thread marks this deadline expired; from then on
 *       every read of the {@link ByteArrayImageInputStream} the decoder pulls its data from throws,
 *       which stops every reader that is still consuming input (the JDK's native JPEG decoder
 *       pulls 4 KiB at a time as it decodes, PNG inflates IDAT progressively, TwelveMonkeys readers
 *       read as they go);
 *   <li>the timer also calls {@link ImageReader#abort()}, which the JDK PNG/GIF/BMP readers and the
 *       TwelveMonkeys readers check between rows (the JDK JPEG reader refuses an abort from another
 *       thread, hence 1); it repeats every {@value #REPEAT_MILLIS} ms in case the reader cleared the
 *       request when it started reading;
 *   <li>the decoder checks {@link #expired()} between its own steps and after the reader returns,
 *       so an aborted, partially decoded image is never returned as a result.
 * </ol>
 *
 * A native decode (libvips) registers an {@link #onExpire} action instead, which asks libvips to
 * stop its evaluation ({@code vips_image_set_kill}).
 *
 * <p>A reader that neither reads input nor checks its abort flag (none of the installed ones, for the
 * data sizes the pixel cap allows) would overrun the budget but still be reported as a timeout.
 *
 * <p>Thread-safe: {@link #expire()} runs on the timer thread while the decoding thread polls.
 */
final class DecodeDeadline implements AutoCloseable {
    static final long REPEAT_MILLIS = 20;

    /** One daemon thread for every decoder in the process: it only flips flags. */
    private static final ScheduledThreadPoolExecutor TIMER = newTimer();

    private final Duration budget;
    private final long deadlineNanos;
    private final ScheduledFuture<?> task;
    private volatile boolean expired;
    private volatile @Nullable ImageReader reader;
    private volatile @Nullable Runnable onExpire;

    DecodeDeadline(Duration budget) {
        if (budget == null || budget.isNegative() || budget.isZero()) {
            throw new IllegalArgumentException("budget: " + budget + " must be positive");
        }
        this.budget = budget;
        long nanos = saturatedNanos(budget);
        this.deadlineNanos = System.nanoTime() + nanos;
        this.task = TIMER.scheduleWithFixedDelay(
                this::expire, nanos, TimeUnit.MILLISECONDS.toNanos(REPEAT_MILLIS), TimeUnit.NANOSECONDS);
    }

    Duration budget() {
        return budget;
    }

    /** Registers the reader to abort when the budget runs out (aborts it at once if it already has). */
    void watch(ImageReader imageReader) {
        this.reader = imageReader;
        if (expired) {
            abortQuietly(imageReader);
        }
    }

    /**
     * Registers an action the timer runs when the budget runs out (and again every {@value
     * #REPEAT_MILLIS} ms after), or runs it at once if it already has; null unregisters. The action
     * runs on the timer thread and must be safe against the decoding thread finishing meanwhile.
     */
    void onExpire(@Nullable Runnable action) {
        this.onExpire = action;
        if (action != null && expired) {
            action.run();
        }
    }

    /** Whether the budget has run out (by the timer's mark or by the clock). */
    boolean expired() {
        return expired || System.nanoTime() - deadlineNanos > 0;
    }

    /** The cheap check for the input stream's hot path: only the timer's mark. */
    boolean markedExpired() {
        return expired;
    }

    @Override
    public void close() {
        task.cancel(false);
        reader = null;
        onExpire = null;
    }

    private void expire() {
        expired = true;
        ImageReader current = reader;
        if (current != null) {
            abortQuietly(current);
        }
        Runnable action = onExpire;
        if (action != null) {
            action.run();
        }
    }

    private static void abortQuietly(ImageReader imageReader) {
        try {
            imageReader.abort();
        } catch (RuntimeException refused) {
            // The JDK JPEG reader throws IllegalStateException when aborted from another thread;
            // the expired input stream stops it instead.
        }
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE / 4; // centuries: effectively no budget, and no overflow below
        }
    }

    private static ScheduledThreadPoolExecutor newTimer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "koclip-image-decode-deadline");
            thread.setDaemon(true);
            return thread;
        });
        // Decodes mostly finish in time: drop their cancelled tasks at once instead of at expiry.
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }
}
