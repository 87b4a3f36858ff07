package io.koclip.search.options;

import java.io.Console;
import java.lang.reflect.Method;

/** What the command line knows about the terminal it runs in. Thread-safe: stateless. */
public final class Terminal {
    private Terminal() {}

    /** True when standard error is an interactive terminal (a progress bar makes sense there). */
    public static boolean interactive() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            // JDK 22+: System.console() exists even when redirected; isTerminal() tells.
            Method isTerminal = Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console)
                    && System.getenv("TERM") != null
                    && !"dumb".equals(System.getenv("TERM"));
        } catch (ReflectiveOperationException e) {
            return true; // JDK 21: a console means a terminal
        }
    }
}
