package io.koclip.search.ingest;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A small tmpfs mounted for one test, that can be filled up to a few bytes and freed again: a real
 * "No space left on device" from the kernel. Mounting needs root (CI and the development machine run as
 * root); elsewhere the test is skipped ({@link Assumptions#abort}), never failed.
 */
final class SmallVolume implements AutoCloseable {
    private final Path mountPoint;
    private final Path ballast;

    private SmallVolume(Path mountPoint) {
        this.mountPoint = mountPoint;
        this.ballast = mountPoint.resolve("ballast");
    }

    /** Mounts a tmpfs of {@code size} (tmpfs syntax: {@code 8m}) at {@code mountPoint}, or skips the test. */
    static SmallVolume mount(Path mountPoint, String size) throws IOException, InterruptedException {
        Assumptions.assumeTrue(System.getProperty("os.name").startsWith("Linux"), "a tmpfs mount needs Linux");
        Files.createDirectories(mountPoint);
        String output = run(List.of("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", mountPoint.toString()));
        if (output != null) {
            Assumptions.abort("cannot mount a tmpfs here (needs root): " + output);
        }
        return new SmallVolume(mountPoint);
    }

    Path path() {
        return mountPoint;
    }

    long usable() throws IOException {
        return Files.getFileStore(mountPoint).getUsableSpace();
    }

    /** Writes a ballast file until at most {@code keepBytes} are left free. */
    void fill(long keepBytes) throws IOException {
        byte[] chunk = new byte[4096];
        try (OutputStream out = Files.newOutputStream(ballast)) {
            while (usable() > keepBytes + chunk.length) {
                out.write(chunk);
                out.flush();
            }
        } catch (IOException e) {
            // full already: fine
        }
    }

    /** Deletes the ballast: the space is free again. */
    void free() throws IOException {
        Files.deleteIfExists(ballast);
    }

    @Override
    public void close() throws IOException, InterruptedException {
        String output = run(List.of("umount", "-l", mountPoint.toString()));
        if (output != null) {
            throw new IOException("umount " + mountPoint + " failed: " + output);
        }
    }

    /** Runs a command; null when it exits 0, else what it printed. */
    private static String run(List<String> command) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            return command.getFirst() + " cannot run: " + e.getMessage();
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return command + " did not finish";
        }
        return p.exitValue() == 0 ? null : "exit " + p.exitValue() + ": " + output;
    }
}
