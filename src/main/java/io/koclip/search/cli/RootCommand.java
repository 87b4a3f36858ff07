package io.koclip.search.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code koclip-search}: the top-level command. */
@Command(
        name = "koclip-search",
        mixinStandardHelpOptions = true,
        versionProvider = RootCommand.Version.class,
        description = "Korean-first text-to-image search with CLIP-style dual encoders.",
        subcommands = {
            ServeCommand.class,
            IngestCommand.class,
            SearchCommand.class,
            EmbedCommand.class,
            EvalCommand.class,
            CheckCommand.class,
            BackupCommand.Backup.class,
            BackupCommand.Restore.class,
            ModelsCommand.class,
            io.koclip.search.bench.KnnBenchCommand.class,
            io.koclip.search.bench.EncoderBenchCommand.class,
            io.koclip.search.bench.IngestBenchCommand.class,
            io.koclip.search.bench.BackupBenchCommand.class,
            CommandLine.HelpCommand.class
        })
public final class RootCommand {
    private boolean keepsRunning;

    /** True after a command (serve) that leaves non-daemon threads running; main must not exit then. */
    public boolean keepsRunning() {
        return keepsRunning;
    }

    void markKeepsRunning() {
        keepsRunning = true;
    }

    /** A command line with the project's conventions: case-insensitive enums, usage on bad input. */
    public static CommandLine commandLine(RootCommand root) {
        CommandLine cli = new CommandLine(root);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        return cli;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = RootCommand.class.getPackage().getImplementationVersion();
            return new String[] {"koclip-search " + (version == null ? "development build" : version)};
        }
    }
}
