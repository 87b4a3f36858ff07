package io.koclip.search.cli;

import io.koclip.search.options.Terminal;
import java.io.PrintStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps standard output for a command's JSON. Logging without a configuration file (the CLI never
 * starts Spring, which would configure it) goes to {@code System.out} at DEBUG; commands whose
 * output is parsed call {@link #reserveStdout()} first, so that log lines go to standard error, at
 * INFO unless a logging configuration says otherwise.
 */
final class CommandOutput {
    private CommandOutput() {}

    /**
     * Returns the real standard output for JSON and points {@code System.out} at standard error for
     * everything else; {@link #restore} undoes it.
     */
    static PrintStream reserveStdout() {
        PrintStream stdout = System.out;
        System.setOut(System.err);
        quietUnconfiguredLogging();
        return stdout;
    }

    static void restore(PrintStream stdout) {
        System.setOut(stdout);
    }

    /** Logback's unconfigured default is DEBUG for everything; the CLI wants INFO. */
    private static void quietUnconfiguredLogging() {
        Logger root = LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
        if (root instanceof ch.qos.logback.classic.Logger logback
                && logback.getLevel() == ch.qos.logback.classic.Level.DEBUG) {
            logback.setLevel(ch.qos.logback.classic.Level.INFO);
        }
    }

    /** True when standard error is an interactive terminal (a progress bar makes sense there). */
    static boolean interactive() {
        return Terminal.interactive();
    }
}
