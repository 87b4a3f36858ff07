package io.koclip.search.cli;

import io.koclip.search.ingest.IngestFailure;
import io.koclip.search.ingest.IngestProgress;
import io.koclip.search.ingest.ProgressListener;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.jspecify.annotations.Nullable;

/**
 * Shows ingest progress on standard error: a progress bar (done/total, images/s, ETA) on a terminal,
 * plain periodic lines otherwise (logs, CI), nothing when quiet. Failures are printed as they happen
 * in line mode; a bar would be torn by them, so there they are only counted on the bar.
 *
 * <p>Not thread-safe: used from the thread running the job.
 */
final class ConsoleProgress implements ProgressListener, AutoCloseable {
    /** How progress is shown. */
    enum Mode {
        AUTO,
        BAR,
        LOG,
        NONE
    }

    private final Mode mode;
    private final PrintStream err;
    private final long logIntervalNanos;
    private @Nullable ProgressBar bar;
    private long lastLineNanos;
    private long failures;

    ConsoleProgress(Mode mode, PrintStream err, Duration logInterval) {
        this.mode = mode == Mode.AUTO ? (CommandOutput.interactive() ? Mode.BAR : Mode.LOG) : mode;
        this.err = err;
        this.logIntervalNanos = logInterval.toNanos();
        this.lastLineNanos = System.nanoTime();
    }

    Mode mode() {
        return mode;
    }

    @Override
    public void onProgress(IngestProgress progress) {
        switch (mode) {
            case BAR -> bar(progress);
            case LOG -> line(progress);
            default -> {}
        }
    }

    @Override
    public void onFailure(IngestFailure failure) {
        failures++;
        if (mode == Mode.LOG) {
            err.println("failed: " + failure.path() + ": " + failure.reason());
        }
    }

    private void bar(IngestProgress progress) {
        if (bar == null) {
            bar = new ProgressBarBuilder()
                    .setTaskName("ingest")
                    .setInitialMax(Math.max(1, progress.total()))
                    .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK)
                    .setUpdateIntervalMillis(250)
                    .setUnit(" img", 1)
                    .showSpeed()
                    .build();
        }
        bar.maxHint(Math.max(progress.total(), progress.done()));
        bar.stepTo(progress.done());
        StringBuilder extra = new StringBuilder();
        if (!progress.scanComplete()) {
            extra.append("scanning… ");
        }
        if (failures > 0) {
            extra.append(failures).append(" failed ");
        }
        if (progress.phase() == IngestProgress.Phase.PRUNING || progress.phase() == IngestProgress.Phase.COMMITTING) {
            extra.append(progress.phase().name().toLowerCase(Locale.ROOT));
        }
        bar.setExtraMessage(extra.isEmpty() ? "" : " " + extra.toString().strip());
        if (progress.phase() == IngestProgress.Phase.FINISHED) {
            close();
        }
    }

    private void line(IngestProgress progress) {
        long now = System.nanoTime();
        boolean finished = progress.phase() == IngestProgress.Phase.FINISHED;
        if (!finished && now - lastLineNanos < logIntervalNanos) {
            return;
        }
        lastLineNanos = now;
        err.println(describe(progress));
    }

    static String describe(IngestProgress p) {
        StringBuilder line = new StringBuilder("ingest: ");
        line.append(p.done())
                .append('/')
                .append(p.total())
                .append(p.scanComplete() ? "" : "+")
                .append(" files");
        if (p.scanComplete() && p.total() > 0) {
            line.append(String.format(Locale.ROOT, " (%.1f%%)", 100.0 * p.done() / p.total()));
        }
        line.append(String.format(Locale.ROOT, ", %.1f images/s", p.imagesPerSecond()));
        line.append(", ")
                .append(p.indexed())
                .append(" indexed, ")
                .append(p.unchanged())
                .append(" unchanged, ");
        line.append(p.failed()).append(" failed");
        double filesPerSecond = p.seconds() > 0 ? p.done() / p.seconds() : 0;
        if (p.scanComplete() && filesPerSecond > 0 && p.done() < p.total()) {
            long eta = Math.round((p.total() - p.done()) / filesPerSecond);
            line.append(", ETA ")
                    .append(Duration.ofSeconds(eta).toString().substring(2).toLowerCase(Locale.ROOT));
        }
        if (p.phase() != IngestProgress.Phase.INGESTING) {
            line.append(" [").append(p.phase().name().toLowerCase(Locale.ROOT)).append(']');
        }
        return line.toString();
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
