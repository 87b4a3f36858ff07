package io.koclip.search.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** What a benchmark ran on, for the figures' context: CPU, cores, JVM, heap, load, SIMD provider. */
final class Machine {
    private Machine() {}

    /** The one-minute load average, or -1 where the OS does not report it. */
    static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    /**
     * Whether Lucene can use SIMD for vector distances: true when the JVM runs with
     * {@code --add-modules jdk.incubator.vector} (Lucene then logs "Java vector incubator API enabled");
     * otherwise it falls back to scalar Java, several times slower per distance.
     */
    static boolean vectorModule() {
        return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    }

    static String cpu() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).strip();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: the architecture will do
        }
        return System.getProperty("os.arch");
    }

    static String describe() {
        return String.format(
                Locale.ROOT,
                "%s, %d cores, Java %s, max heap %d MB, load %.2f, jdk.incubator.vector %s",
                cpu(),
                Runtime.getRuntime().availableProcessors(),
                Runtime.version(),
                Runtime.getRuntime().maxMemory() >> 20,
                loadAverage(),
                vectorModule() ? "on" : "OFF (add --add-modules jdk.incubator.vector)");
    }
}
