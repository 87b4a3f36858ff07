package io.koclip.search.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM ({@link Process#destroy()}) to a JVM that is creating ONNX Runtime sessions: it exits with
 * the signal's status 143, never a native crash (SIGSEGV/SIGABRT, an hs_err file), thanks to
 * {@link NativeShutdown}. The child opens the demo bundle in a loop, so the signal lands at a
 * random moment of session creation or warm-up; several rounds.
 */
class ShutdownDuringSessionCreationTest {
    @TempDir
    Path tmp;

    @Test
    void sigtermWhileSessionsAreCreatedExitsCleanly() throws Exception {
        long seed = Long.getLong("tests.seed", new Random().nextLong());
        System.out.println("sigtermWhileSessionsAreCreatedExitsCleanly seed=" + seed);
        Random random = new Random(seed);
        for (int round = 0; round < 6; round++) {
            Path log = tmp.resolve("child-" + round + ".log");
            Process child = fork(log);
            waitForLine(child, log, "loading " + (1 + random.nextInt(3)));
            Thread.sleep(random.nextInt(150));
            long t0 = System.nanoTime();
            child.destroy(); // SIGTERM
            assertThat(child.waitFor(60, TimeUnit.SECONDS))
                    .as("exit within 60 s")
                    .isTrue();
            long millis = (System.nanoTime() - t0) / 1_000_000;
            String output = Files.readString(log, StandardCharsets.UTF_8);
            System.out.println("round " + round + ": exit " + child.exitValue() + " after " + millis + " ms");
            assertThat(output).doesNotContain("A fatal error has been detected", "SIGSEGV", "SIGABRT");
            try (var files = Files.list(tmp)) {
                assertThat(files.filter(f -> f.getFileName().toString().startsWith("hs_err")))
                        .isEmpty();
            }
            assertThat(child.exitValue()).as(output).isIn(143, 0);
        }
    }

    private Process fork(Path log) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        return new ProcessBuilder(List.of(
                        java,
                        "-Xmx256m",
                        "--enable-native-access=ALL-UNNAMED",
                        "-cp",
                        System.getProperty("java.class.path"),
                        SessionLoadLoopMain.class.getName(),
                        "demo"))
                .directory(tmp.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }

    private static void waitForLine(Process child, Path log, String line) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            assertThat(child.isAlive())
                    .as("the child ended early: " + Files.readString(log))
                    .isTrue();
            if (Files.readString(log).contains(line)) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no '" + line + "' within 120 s");
    }
}
