package io.koclip.search.solrnode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.solr.cloud.MiniSolrCloudCluster;
import org.apache.solr.cloud.ZkTestServer;
import org.apache.solr.embedded.JettyConfig;
import org.apache.solr.embedded.JettySolrRunner;

/**
 * Starts a SolrCloud for tests and for trying the Solr backend by hand: one embedded ZooKeeper and N
 * Solr nodes (Jetty) in this JVM, which runs on Solr's own classpath (target/solr-node/lib), never on
 * the product's.
 *
 * <p>Usage: {@code java -cp 'target/solr-node/classes:target/solr-node/lib/*'
 * io.koclip.search.solrnode.SolrNodeLauncher [--nodes N] [--zk-port P] [--ports P1,P2,...] [--dir DIR]}.
 * Port 0 (the default) means a free port. Without {@code --dir} the data lives in a temporary folder
 * that is deleted on exit; with it, the folder is kept (ZooKeeper state and cores survive a restart).
 *
 * <p>Protocol on stdout, one line each: {@code READY zkHost=127.0.0.1:2181/solr
 * urls=http://127.0.0.1:8983/solr,... millis=N java=V} once every node is live (N: ZooKeeper and node
 * start time, V: this JVM's feature version); then answers to commands read from
 * stdin: {@code stop I} (node index from 0) answers {@code STOPPED I}, {@code start I} restarts that
 * node on its old port and answers {@code STARTED I url}, a bad command answers {@code ERROR text}.
 * End of stdin, {@code quit} or SIGTERM shut everything down; the last line is {@code SHUTDOWN}.
 * Solr's own logging (log4j2.xml beside this class: WARN and up) goes to stderr.
 *
 * <p>Commands are handled one at a time on the main thread; shutdown may come from the SIGTERM hook
 * at the same time and runs once.
 */
public final class SolrNodeLauncher {
    /** Seconds to wait for a started node to show up in ZooKeeper's live nodes. */
    private static final int NODE_LIVE_TIMEOUT_SECONDS = 60;

    private final PrintStream out;
    private final Path baseDir;
    private final boolean deleteBaseDir;
    private final ZkTestServer zk;
    private final MiniSolrCloudCluster cluster;
    /** By index; a stopped node keeps its slot so that {@code start I} brings the same one back. */
    private final List<JettySolrRunner> nodes = new ArrayList<>();

    private final AtomicBoolean shutDown = new AtomicBoolean();

    private SolrNodeLauncher(PrintStream out, Options options) throws Exception {
        this.out = out;
        this.deleteBaseDir = options.dir() == null;
        this.baseDir = options.dir() == null ? Files.createTempDirectory("koclip-solr-") : options.dir();
        Files.createDirectories(baseDir);
        // Our own ZooKeeper so that its port can be fixed; the cluster then does not own (or stop) it.
        this.zk = new ZkTestServer(baseDir.resolve("zookeeper/data"), options.zkPort());
        zk.run();
        // Zero nodes here: the cluster would start them on random ports; we start them one by one below.
        this.cluster = new MiniSolrCloudCluster(
                0,
                baseDir,
                MiniSolrCloudCluster.DEFAULT_CLOUD_SOLR_XML,
                JettyConfig.builder().build(),
                zk,
                true);
        for (int i = 0; i < options.ports().size(); i++) {
            JettyConfig config = JettyConfig.builder()
                    .setPort(options.ports().get(i))
                    .stopAtShutdown(false) // our hook stops the nodes, in order, before ZooKeeper
                    .build();
            JettySolrRunner node = cluster.startJettySolrRunner("node" + (i + 1), "/solr", config);
            cluster.waitForNode(node, NODE_LIVE_TIMEOUT_SECONDS);
            nodes.add(node);
        }
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        if (System.getProperty("solr.log.dir") == null) { // else Solr logs an ERROR about it at every node start
            System.setProperty("solr.log.dir", System.getProperty("java.io.tmpdir"));
        }
        long started = System.nanoTime();
        SolrNodeLauncher launcher = new SolrNodeLauncher(out, options);
        Runtime.getRuntime().addShutdownHook(new Thread(launcher::shutdown, "solr-node-shutdown"));
        out.println("READY zkHost=" + launcher.zk.getZkAddress() + " urls=" + String.join(",", launcher.urls())
                + " millis=" + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)
                + " java=" + Runtime.version().feature());
        launcher.serveCommands(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)));
        launcher.shutdown();
        System.exit(0); // Solr and ZooKeeper leave non-daemon threads behind
    }

    private List<String> urls() {
        return nodes.stream().map(n -> n.getBaseUrl().toString()).toList();
    }

    private void serveCommands(BufferedReader in) throws IOException {
        for (String line; (line = in.readLine()) != null; ) {
            String[] words = line.trim().split("\\s+");
            if (words[0].isEmpty()) {
                continue;
            }
            if (words[0].equals("quit")) {
                return;
            }
            try {
                if (words.length != 2 || !(words[0].equals("stop") || words[0].equals("start"))) {
                    throw new IllegalArgumentException("unknown command: '" + line + "' (stop I, start I, quit)");
                }
                int index = nodeIndex(words[1]);
                JettySolrRunner node = nodes.get(index);
                if (words[0].equals("stop")) {
                    cluster.stopJettySolrRunner(node);
                    cluster.waitForJettyToStop(node);
                    out.println("STOPPED " + index);
                } else {
                    cluster.startJettySolrRunner(node, true); // same port, same cores
                    cluster.waitForNode(node, NODE_LIVE_TIMEOUT_SECONDS);
                    out.println("STARTED " + index + " " + node.getBaseUrl());
                }
            } catch (Exception e) {
                out.println("ERROR " + String.valueOf(e.getMessage()).replace('\n', ' '));
            }
        }
    }

    private int nodeIndex(String word) {
        int index;
        try {
            index = Integer.parseInt(word);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("node index: '" + word + "' is not a number");
        }
        if (index < 0 || index >= nodes.size()) {
            throw new IllegalArgumentException("node index: " + index + " is not in [0, " + nodes.size() + ")");
        }
        return index;
    }

    private void shutdown() {
        if (!shutDown.compareAndSet(false, true)) {
            return;
        }
        try {
            cluster.shutdown(); // stops the nodes that are running; leaves our ZooKeeper alone
        } catch (Exception e) {
            System.err.println("stopping Solr nodes: " + e);
        }
        try {
            zk.shutdown();
        } catch (IOException | InterruptedException e) {
            System.err.println("stopping ZooKeeper: " + e);
        }
        if (deleteBaseDir) {
            deleteRecursively(baseDir);
        }
        out.println("SHUTDOWN");
    }

    private static void deleteRecursively(Path dir) {
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    Files.deleteIfExists(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            System.err.println("deleting " + dir + ": " + e);
        }
    }

    /** Command-line options; {@code ports} has one entry per node (0 = a free port). */
    record Options(int zkPort, List<Integer> ports, Path dir) {
        static Options parse(String[] args) {
            int nodes = -1;
            int zkPort = 0;
            List<Integer> ports = null;
            Path dir = null;
            for (int i = 0; i < args.length; i++) {
                String name = args[i];
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("option " + name + " needs a value");
                }
                String value = args[++i];
                switch (name) {
                    case "--nodes" -> nodes = number(name, value, 1, 16);
                    case "--zk-port" -> zkPort = number(name, value, 0, 65535);
                    case "--ports" -> {
                        ports = new ArrayList<>();
                        for (String p : value.split(",")) {
                            ports.add(number(name, p, 0, 65535));
                        }
                    }
                    case "--dir" -> dir = Path.of(value).toAbsolutePath();
                    default -> throw new IllegalArgumentException(
                            "unknown option: " + name + " (--nodes N, --zk-port P, --ports P1,P2, --dir DIR)");
                }
            }
            if (ports == null) {
                ports = new ArrayList<>();
                for (int i = 0; i < (nodes == -1 ? 2 : nodes); i++) {
                    ports.add(0);
                }
            } else if (nodes != -1 && nodes != ports.size()) {
                throw new IllegalArgumentException(
                        "--nodes " + nodes + " but --ports names " + ports.size() + " ports: " + ports);
            }
            return new Options(zkPort, List.copyOf(ports), dir);
        }

        private static int number(String option, String value, int min, int max) {
            try {
                int n = Integer.parseInt(value.trim());
                if (n < min || n > max) {
                    throw new IllegalArgumentException(option + ": " + n + " is not in [" + min + ", " + max + "]");
                }
                return n;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + ": '" + value + "' is not a number");
            }
        }
    }
}
