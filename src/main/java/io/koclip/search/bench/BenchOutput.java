package io.koclip.search.bench;

import ch.qos.logback.classic.Level;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Where benchmark figures go: one JSON object per line on standard output, everything else
 * (progress, log lines) on standard error, so {@code > results.jsonl} keeps only figures. Same
 * convention as the CLI's other JSON commands.
 */
final class BenchOutput implements AutoCloseable {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final PrintStream stdout;

    private BenchOutput(PrintStream stdout) {
        this.stdout = stdout;
    }

    /** Reserves standard output for JSON lines until {@link #close()}. */
    static BenchOutput reserve() {
        PrintStream stdout = System.out;
        System.setOut(System.err);
        Logger root = LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
        if (root instanceof ch.qos.logback.classic.Logger logback && logback.getLevel() == Level.DEBUG) {
            logback.setLevel(Level.INFO);
        }
        return new BenchOutput(stdout);
    }

    void line(Map<String, ?> fields) {
        stdout.println(JSON.writeValueAsString(fields));
        stdout.flush();
    }

    static void progress(String format, Object... args) {
        System.err.printf(java.util.Locale.ROOT, format + "%n", args);
        System.err.flush();
    }

    /** {@code value} rounded to {@code digits} decimals, for readable JSON. */
    static double round(double value, int digits) {
        if (!Double.isFinite(value)) {
            return value;
        }
        return BigDecimal.valueOf(value).setScale(digits, RoundingMode.HALF_UP).doubleValue();
    }

    @Override
    public void close() {
        stdout.flush();
        System.setOut(stdout);
    }
}
