package io.koclip.search.cli;

import io.koclip.search.ingest.IngestOptions;
import picocli.CommandLine;

/** What {@code ingest ARGS} would run with, for tests outside this package (the surfaces test in web). */
public final class IngestCommandOptions {
    private IngestCommandOptions() {}

    public static IngestOptions parse(String... args) {
        IngestCommand command = new IngestCommand();
        new CommandLine(command).parseArgs(args);
        return command.options();
    }
}
