package io.koclip.search;

import io.koclip.search.cli.RootCommand;

/**
 * Entry point of {@code koclip-search.jar}. Subcommands other than {@code serve} run without starting
 * Spring, so {@code embed}, {@code search} and {@code check} answer in about two seconds, model loading included.
 */
public final class KoclipSearch {
    private KoclipSearch() {}

    public static void main(String[] args) {
        RootCommand root = new RootCommand();
        int exit = RootCommand.commandLine(root).execute(args.length == 0 ? new String[] {"serve"} : args);
        if (exit != 0 || !root.keepsRunning()) {
            System.exit(exit);
        }
    }
}
