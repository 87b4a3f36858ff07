package io.koclip.search.options;

import io.koclip.search.model.hub.TransferListener;
import java.io.PrintStream;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.jspecify.annotations.Nullable;

/**
 * Shows the transfer of a model pull on standard error: one progress bar per file (MiB done/total,
 * speed, ETA) on a terminal, a line per file otherwise (logs, CI).
 *
 * <p>Not thread-safe: used from the pulling thread.
 */
public final class DownloadProgress implements TransferListener, AutoCloseable {
    private static final double MIB = 1024.0 * 1024.0;

    private final boolean bar;
    private final PrintStream err;
    private @Nullable ProgressBar current;
    private long startNanos;
    private long resumedFrom;

    DownloadProgress(boolean bar, PrintStream err) {
        this.bar = bar;
        this.err = err;
    }

    /** A bar on a terminal, lines elsewhere. */
    public static DownloadProgress console() {
        return new DownloadProgress(Terminal.interactive(), System.err);
    }

    @Override
    public void started(String file, long size, long resumedFrom) {
        close();
        this.startNanos = System.nanoTime();
        this.resumedFrom = resumedFrom;
        if (bar) {
            current = new ProgressBarBuilder()
                    .setTaskName(shorten(file))
                    .setInitialMax(Math.max(1, size))
                    .startsFrom(resumedFrom, java.time.Duration.ZERO)
                    .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK)
                    .setUpdateIntervalMillis(250)
                    .setUnit(" MiB", 1 << 20)
                    .showSpeed(new java.text.DecimalFormat("#.0"))
                    .build();
        } else {
            err.println("pulling " + file + " (" + mib(size)
                    + (resumedFrom > 0 ? ", resuming at " + mib(resumedFrom) : "") + ")");
        }
    }

    @Override
    public void transferred(String file, long done) {
        if (current != null) {
            current.stepTo(done);
        }
    }

    @Override
    public void finished(String file, long size, boolean downloaded) {
        close();
        if (!downloaded) {
            err.println("cached  " + file + " (" + mib(size) + ")");
            return;
        }
        double seconds = Math.max(1e-3, (System.nanoTime() - startNanos) / 1e9);
        err.println(String.format(
                Locale.ROOT,
                "done    %s (%s in %.1f s, %.1f MiB/s)",
                file,
                mib(size),
                seconds,
                (size - resumedFrom) / MIB / seconds));
    }

    public static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / MIB);
    }

    private static String shorten(String file) {
        return file.length() <= 32 ? file : "…" + file.substring(file.length() - 31);
    }

    @Override
    public void close() {
        if (current != null) {
            current.close();
            current = null;
        }
    }
}
