package io.koclip.search.cli;

import io.koclip.search.index.IndexBackup;
import io.koclip.search.options.IndexMixin;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code backup} and {@code restore}: a checked copy of the index's last commit into a new folder, and
 * back. Both need the index closed (no server or ingest writing it); a running server is backed up
 * with {@code POST /api/v1/admin/backup}. Prints one JSON object; exit 0 when the copy is clean, 1 on
 * any problem (one line on stderr).
 */
final class BackupCommand {
    private BackupCommand() {}

    @Command(
            name = "backup",
            mixinStandardHelpOptions = true,
            description = "Copy the index's last commit into a new folder and verify the copy with CheckIndex;"
                    + " the index must not be open for writing (a running server: POST /api/v1/admin/backup).")
    static final class Backup implements Callable<Integer> {
        @Mixin
        IndexMixin index;

        @Option(names = "--to", required = true, paramLabel = "DIR", description = "New folder for the backup.")
        Path to;

        @Override
        public Integer call() {
            return run("backup", () -> index.backend().backup(to));
        }
    }

    @Command(
            name = "restore",
            mixinStandardHelpOptions = true,
            description = "Replace the index with a backup (checked first); the index must not be open:"
                    + " stop the server first.")
    static final class Restore implements Callable<Integer> {
        @Mixin
        IndexMixin index;

        @Option(names = "--from", required = true, paramLabel = "DIR", description = "A folder written by backup.")
        Path from;

        @Override
        public Integer call() {
            return run("restore", () -> index.backend().restore(from));
        }
    }

    @FunctionalInterface
    private interface Copy {
        IndexBackup run() throws IOException;
    }

    private static int run(String command, Copy copy) {
        PrintStream stdout = CommandOutput.reserveStdout();
        try {
            IndexBackup b = copy.run();
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("location", b.location().toString());
            out.put("documents", b.documents());
            out.put("files", b.files());
            out.put("bytes", b.bytes());
            out.put("copySeconds", b.copySeconds());
            out.put("checkSeconds", b.checkSeconds());
            out.put("secondsPerGiB", b.secondsPerGib());
            out.put("clean", b.clean());
            out.put("checkpoint", b.checkpoint());
            stdout.println(JsonMapper.builder().build().writeValueAsString(out));
            return 0;
        } catch (IllegalArgumentException | IllegalStateException | UnsupportedOperationException e) {
            System.err.println(command + ": " + e.getMessage());
            return 1;
        } catch (IOException e) {
            System.err.println(command + ": I/O error: " + e.getMessage());
            return 1;
        } finally {
            CommandOutput.restore(stdout);
        }
    }
}
