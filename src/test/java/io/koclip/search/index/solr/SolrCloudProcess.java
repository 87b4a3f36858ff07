package io.koclip.search.index.solr;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * A real SolrCloud for tests: one embedded ZooKeeper and N Solr 9.10.1 nodes, started in a child JVM on
 * Solr's own classpath ({@code target/solr-node}, built by {@code src/test/solr-node/build.sh} before the
 * tests), so that no Solr server class or Lucene 9 jar meets this JVM's classpath. The child prints
 * {@code READY zkHost=... urls=...} (see {@code SolrNodeLauncher}); {@link #start} waits for that line.
 *
 * <p>The child stops when its stdin closes, so it dies with this JVM even when {@link #close} is never
 * called. Its stderr (Solr's warnings and errors) goes to {@code target/solr-node/logs/}; a failure to
 * start quotes the end of that log.
 *
 * <p>Node JVM: {@code -Dkoclip.solr.java.home=DIR} if set, else a JDK 21, 22, 20 or 17 under /usr/lib/jvm,
 * else this JVM's own java. Lucene 9.12 uses the Vector API only on Java 20-22 (it gets
 * {@code --add-modules jdk.incubator.vector} there); on 17 and on 23+ its vector maths is scalar.
 *
 * <p>Thread-safe: commands to the child are serialized.
 */
final class SolrCloudProcess implements AutoCloseable {
    /** Time for the child to print READY; a 2-node start takes 6-15 s, more on a loaded machine. */
    static final Duration READY_TIMEOUT = Duration.ofSeconds(180);
    /** Time for one stop/start command. */
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(90);

    private static final Pattern READY = Pattern.compile("READY zkHost=(\\S+) urls=(\\S+) millis=(\\d+) java=(\\d+)");
    private static final String LAUNCHER = "io.koclip.search.solrnode.SolrNodeLauncher";
    private static final int LOG_TAIL_LINES = 60;

    private static @Nullable SolrCloudProcess shared;

    private final Process process;
    private final Writer commands;
    /** The child's stdout lines not read yet (protocol replies), filled by a reader thread. */
    private final BlockingQueue<String> replies;

    private final Path log;
    private final String zkHost;
    private final List<String> solrUrls;
    private final Duration startup;
    private final Duration launcherStartup;
    private final int javaVersion;

    private SolrCloudProcess(
            Process process,
            Writer commands,
            BlockingQueue<String> replies,
            Path log,
            String zkHost,
            List<String> solrUrls,
            Duration startup,
            Duration launcherStartup,
            int javaVersion) {
        this.javaVersion = javaVersion;
        this.process = process;
        this.replies = replies;
        this.commands = commands;
        this.log = log;
        this.zkHost = zkHost;
        this.solrUrls = List.copyOf(solrUrls);
        this.startup = startup;
        this.launcherStartup = launcherStartup;
    }

    /**
     * The cluster shared by every test in this JVM (2 nodes, started on first use, stopped when the JVM
     * exits). Tests that share it use their own collection names and delete what they create.
     */
    static synchronized SolrCloudProcess shared() throws IOException {
        if (shared == null || !shared.process.isAlive()) {
            SolrCloudProcess cluster = start(2);
            Runtime.getRuntime().addShutdownHook(new Thread(cluster::close, "solr-cloud-process-stop"));
            shared = cluster;
        }
        return shared;
    }

    /** Starts ZooKeeper and {@code nodes} Solr nodes on free ports and waits until all are live. */
    static SolrCloudProcess start(int nodes) throws IOException {
        if (nodes < 1 || nodes > 16) {
            throw new IllegalArgumentException("nodes: " + nodes + " is not in [1, 16]");
        }
        Path nodeDir = nodeDir();
        Path logs = Files.createDirectories(nodeDir.resolve("logs"));
        Path log = Files.createTempFile(logs, "solr-cloud-", ".log");
        Path javaHome = nodeJavaHome();
        List<String> command = new ArrayList<>();
        command.add(javaHome.resolve("bin/java").toString());
        String major = javaMajor(javaHome);
        if (major != null && Set.of("20", "21", "22").contains(major)) {
            command.add("--add-modules=jdk.incubator.vector");
        }
        command.addAll(List.of(
                "-Xmx" + System.getProperty("koclip.solr.node.heap", "1g"),
                "-Dsolr.log.dir=" + logs,
                "-cp",
                nodeDir.resolve("classes") + File.pathSeparator + nodeDir.resolve("lib") + "/*",
                LAUNCHER,
                "--nodes",
                Integer.toString(nodes)));
        long started = System.nanoTime();
        Process process = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> readLines(process, lines), "solr-cloud-process-stdout");
        reader.setDaemon(true);
        reader.start();
        Writer commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        String ready;
        try {
            ready = awaitLine(lines, process, READY_TIMEOUT, "READY");
        } catch (IllegalStateException e) {
            process.destroyForcibly();
            throw new IllegalStateException(
                    e.getMessage() + "; command: " + String.join(" ", command) + "\n" + tail(log), e);
        }
        Matcher m = READY.matcher(ready);
        if (!m.matches()) {
            process.destroyForcibly();
            throw new IllegalStateException("unexpected READY line from the Solr launcher: '" + ready + "'");
        }
        return new SolrCloudProcess(
                process,
                commands,
                lines,
                log,
                m.group(1),
                Arrays.asList(m.group(2).split(",")),
                Duration.ofNanos(System.nanoTime() - started),
                Duration.ofMillis(Long.parseLong(m.group(3))),
                Integer.parseInt(m.group(4)));
    }

    /** ZooKeeper connect string with the {@code /solr} chroot, e.g. {@code 127.0.0.1:41234/solr}. */
    String zkHost() {
        return zkHost;
    }

    /** Base URL of every node, index order, e.g. {@code http://127.0.0.1:40123/solr}. */
    List<String> solrUrls() {
        return solrUrls;
    }

    /** Wall time from starting the child JVM to READY. */
    Duration startup() {
        return startup;
    }

    /** Time the launcher itself reported (ZooKeeper + nodes, without the child JVM's start). */
    Duration launcherStartup() {
        return launcherStartup;
    }

    /** The nodes' Java feature version (17, 21, ...). */
    int javaVersion() {
        return javaVersion;
    }

    /** Where the nodes' stderr goes. */
    Path log() {
        return log;
    }

    /** Stops node {@code index} (its cores stay on disk) and waits until it is down. */
    synchronized void stopNode(int index) {
        command("stop " + index, "STOPPED " + index);
    }

    /** Starts node {@code index} again on its old port, waits until it is live, returns its URL. */
    synchronized String startNode(int index) {
        String reply = command("start " + index, "STARTED " + index);
        return reply.substring(reply.lastIndexOf(' ') + 1);
    }

    private String command(String command, String expected) {
        try {
            commands.write(command + "\n");
            commands.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("sending '" + command + "' to the Solr launcher", e);
        }
        String reply = awaitLine(replies, process, COMMAND_TIMEOUT, expected);
        if (!reply.startsWith(expected)) {
            throw new IllegalStateException("'" + command + "' answered '" + reply + "'\n" + tail(log));
        }
        return reply;
    }

    /** Shuts the cluster down (quit, then SIGTERM, then kill); data in the child's temp dir is deleted. */
    @Override
    public synchronized void close() {
        if (!process.isAlive()) {
            return;
        }
        try {
            commands.write("quit\n");
            commands.close();
        } catch (IOException e) {
            // The child is going away already; the waits below decide.
        }
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroy();
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** The node classpath's folder: {@code koclip.solr.node.dir} (set by the pom), else target/solr-node. */
    static Path nodeDir() {
        Path dir = Path.of(System.getProperty("koclip.solr.node.dir", "target/solr-node"));
        if (!Files.isDirectory(dir.resolve("lib")) || !Files.isDirectory(dir.resolve("classes"))) {
            throw new IllegalStateException("no Solr node classpath in " + dir.toAbsolutePath()
                    + " (lib/ and classes/); build it with ./mvnw process-test-classes, which runs"
                    + " src/test/solr-node/build.sh");
        }
        return dir;
    }

    /** A JDK 21, 22, 20, else 17 for the nodes; see the class comment. */
    static Path nodeJavaHome() {
        String configured = System.getProperty("koclip.solr.java.home");
        if (configured != null && !configured.isBlank()) {
            Path home = Path.of(configured);
            if (!Files.isExecutable(home.resolve("bin/java"))) {
                throw new IllegalArgumentException("koclip.solr.java.home: " + home + " has no bin/java");
            }
            return home;
        }
        for (String major : List.of("21", "22", "20", "17")) {
            Optional<Path> jdk = installedJdk(major);
            if (jdk.isPresent()) {
                return jdk.get();
            }
        }
        return Path.of(System.getProperty("java.home"));
    }

    private static Optional<Path> installedJdk(String major) {
        Path jvms = Path.of("/usr/lib/jvm");
        if (!Files.isDirectory(jvms)) {
            return Optional.empty();
        }
        try (Stream<Path> homes = Files.list(jvms)) {
            return homes.sorted()
                    .filter(home -> Files.isExecutable(home.resolve("bin/java")))
                    .filter(home -> major.equals(javaMajor(home)))
                    .findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The major version from a JDK's {@code release} file ({@code JAVA_VERSION="17.0.16"}), or null. */
    private static @Nullable String javaMajor(Path home) {
        try (Stream<String> lines = Files.lines(home.resolve("release"))) {
            return lines.filter(l -> l.startsWith("JAVA_VERSION="))
                    .map(l -> l.substring("JAVA_VERSION=".length()).replace("\"", ""))
                    .map(v -> v.split("[.+-]")[0])
                    .findFirst()
                    .orElse(null);
        } catch (IOException e) {
            return null;
        }
    }

    private static void readLines(Process process, BlockingQueue<String> lines) {
        try (BufferedReader in =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                lines.add(line);
            }
        } catch (IOException e) {
            // The child exited; awaitLine reports that.
        }
    }

    /**
     * The next line that starts with {@code expected} or with ERROR; other lines are skipped. Throws
     * IllegalStateException when the child exits or the time is up.
     */
    private static String awaitLine(BlockingQueue<String> lines, Process process, Duration timeout, String expected) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> skipped = new ArrayList<>();
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IllegalStateException("no '" + expected + "' from the Solr launcher within " + timeout
                            + "; it printed " + skipped);
                }
                String line = lines.poll(Math.min(left, TimeUnit.MILLISECONDS.toNanos(200)), TimeUnit.NANOSECONDS);
                if (line == null) {
                    if (!process.isAlive() && lines.isEmpty()) {
                        throw new IllegalStateException("the Solr launcher exited with " + process.exitValue()
                                + " before '" + expected + "'; it printed " + skipped);
                    }
                } else if (line.startsWith(expected) || line.startsWith("ERROR")) {
                    return line;
                } else {
                    skipped.add(line);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for '" + expected + "'", e);
        }
    }

    private static String tail(Path log) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return "last lines of " + log + ":\n"
                    + String.join("\n", all.subList(Math.max(0, all.size() - LOG_TAIL_LINES), all.size()));
        } catch (IOException e) {
            return "(" + log + " unreadable: " + e.getMessage() + ")";
        }
    }
}
