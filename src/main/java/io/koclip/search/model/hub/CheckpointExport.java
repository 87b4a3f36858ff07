package io.koclip.search.model.hub;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a KoCLIP checkpoint pulled from the Hub ({@code koclip/koclip-base-pt}: transformers'
 * {@code VisionTextDualEncoderModel}; {@code koclip/koclip-base}, {@code koclip/koclip-large}: Flax
 * {@code flax_model.msgpack}) into a {@code koclip-bundle/1} by running the project's export tool
 * ({@code src/tools/koclip/export.py}) with a Python that has torch, onnx and numpy. A checkpoint
 * without tokenizer files gets klue/roberta-large's (KoCLIP's text tower was trained with it).
 *
 * <p>The bundle goes beside the Hub cache, in {@code koclip-bundles/models--org--name/{commit}}
 * ({@code ~/.cache/huggingface/koclip-bundles/…} by default), written to a {@code .incomplete}
 * folder first and moved into place when the tool succeeds, so a broken export is never loaded.
 *
 * <p>Stateless; one export at a time per bundle folder.
 */
public final class CheckpointExport {
    private static final Logger log = LoggerFactory.getLogger(CheckpointExport.class);

    /** Where a checkpoint without its own tokenizer takes it from. */
    public static final RepoSpec KLUE_TOKENIZER = RepoSpec.parse("klue/roberta-large");

    private CheckpointExport() {}

    /**
     * The Python and the export tool.
     *
     * @param python the interpreter ({@code KOCLIP_PYTHON}, default {@code /usr/bin/python3})
     * @param exporter {@code export.py} ({@code KOCLIP_EXPORT_TOOL}, else {@code src/tools/koclip/export.py}
     *     under the working folder or the checkout the jar was built in), or null when not found
     */
    public record Tools(String python, @Nullable Path exporter) {
        public static Tools fromEnvironment() {
            return from(System.getenv(), Path.of("").toAbsolutePath());
        }

        static Tools from(Map<String, String> env, Path workingFolder) {
            String python = env.getOrDefault("KOCLIP_PYTHON", "/usr/bin/python3");
            if (env.containsKey("KOCLIP_EXPORT_TOOL")) {
                return new Tools(python, Path.of(env.get("KOCLIP_EXPORT_TOOL")));
            }
            List<Path> candidates = new ArrayList<>();
            candidates.add(workingFolder.resolve("src/tools/koclip/export.py"));
            try {
                Path jar = Path.of(CheckpointExport.class
                        .getProtectionDomain()
                        .getCodeSource()
                        .getLocation()
                        .toURI());
                // target/koclip-search.jar or target/classes -> the checkout
                candidates.add(jar.getParent().getParent().resolve("src/tools/koclip/export.py"));
            } catch (java.net.URISyntaxException | RuntimeException e) {
                log.debug("no code source for the export tool lookup", e);
            }
            Path found =
                    candidates.stream().filter(Files::isRegularFile).findFirst().orElse(null);
            return new Tools(python, found);
        }
    }

    /** {@code koclip-bundles/models--org--name/{commit}} beside the Hub cache the checkpoint is in. */
    public static Path bundleFolder(PulledModel checkpoint) {
        // snapshots/{commit} -> models--org--name -> the Hub cache
        Path cache = checkpoint.folder().getParent().getParent().getParent();
        return cache.resolveSibling("koclip-bundles")
                .resolve(checkpoint.spec().folderName())
                .resolve(checkpoint.commit());
    }

    /** The export command for {@code checkpoint}, with klue's tokenizer folder when it has none. */
    public static List<String> command(Tools tools, PulledModel checkpoint, @Nullable Path tokenizer, Path out) {
        List<String> command = new ArrayList<>(List.of(
                tools.python(),
                tools.exporter() == null
                        ? "src/tools/koclip/export.py"
                        : tools.exporter().toString(),
                "--checkpoint",
                checkpoint.folder().toString(),
                "--out",
                out.toString(),
                "--name",
                checkpoint.spec().repo()));
        if (tokenizer != null) {
            command.addAll(List.of("--tokenizer", tokenizer.toString()));
        }
        return List.copyOf(command);
    }

    /**
     * The exported bundle of {@code checkpoint}: found beside the cache, or exported now.
     *
     * @return the model with {@code folder} pointing at the bundle
     * @throws HubException {@code EXPORT_UNAVAILABLE} (with the exact command to run) when Python,
     *     torch or the tool are missing; {@code EXPORT_FAILED} when the tool fails
     */
    public static PulledModel ensure(ModelHub hub, PulledModel checkpoint, TransferListener listener, Tools tools) {
        Path bundle = bundleFolder(checkpoint);
        if (Files.isRegularFile(bundle.resolve("model.json"))) {
            return new PulledModel(checkpoint.spec(), checkpoint.commit(), bundle, checkpoint.bytes());
        }
        Path tokenizer = null;
        if (!FileSelection.hasTokenizer(ModelHub.snapshotFiles(checkpoint.folder()))) {
            tokenizer = hub.pullTokenizer(KLUE_TOKENIZER, listener).folder();
        }
        Path incomplete = bundle.resolveSibling(bundle.getFileName() + ".incomplete");
        List<String> command = command(tools, checkpoint, tokenizer, incomplete);
        String missing = missing(tools);
        if (missing != null) {
            List<String> shown = new ArrayList<>(command);
            shown.set(shown.indexOf(incomplete.toString()), bundle.toString());
            throw new HubException(
                    HubException.Reason.EXPORT_UNAVAILABLE,
                    checkpoint.spec() + " is a KoCLIP checkpoint (downloaded to " + checkpoint.folder() + ") that must"
                            + " be exported to ONNX first, and " + missing + "; run: " + shell(shown));
        }
        try {
            deleteTree(incomplete);
            Files.createDirectories(incomplete.getParent());
            log.info("exporting {} with {}", checkpoint.spec(), shell(command));
            int exit = run(command);
            if (exit != 0 || !Files.isRegularFile(incomplete.resolve("model.json"))) {
                throw new HubException(
                        HubException.Reason.EXPORT_FAILED,
                        "the export of " + checkpoint.spec() + " failed (exit code " + exit + "); command: "
                                + shell(command));
            }
            Files.move(incomplete, bundle, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the bundle of " + checkpoint.spec() + " to " + bundle, e);
        }
        return new PulledModel(checkpoint.spec(), checkpoint.commit(), bundle, checkpoint.bytes());
    }

    /** Why the tools cannot run, or null when they can. */
    private static @Nullable String missing(Tools tools) {
        if (tools.exporter() == null || !Files.isRegularFile(tools.exporter())) {
            return "the export tool src/tools/koclip/export.py was not found (set KOCLIP_EXPORT_TOOL or run from"
                    + " the koclip-search checkout)";
        }
        try {
            Process probe = new ProcessBuilder(tools.python(), "-c", "import torch, onnx, numpy")
                    .redirectErrorStream(true)
                    .start();
            probe.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
            if (!probe.waitFor(5, TimeUnit.MINUTES)) {
                probe.destroyForcibly();
                return tools.python() + " did not answer within 5 minutes";
            }
            return probe.exitValue() == 0
                    ? null
                    : tools.python() + " lacks torch, onnx or numpy (on Debian/Ubuntu: apt-get install python3-torch"
                            + " python3-onnx python3-numpy)";
        } catch (IOException e) {
            return tools.python() + " cannot be run (" + e.getMessage() + "; set KOCLIP_PYTHON)";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "the Python check was interrupted";
        }
    }

    /** Runs the tool; its output goes to standard error (standard output is the command's answer). */
    private static int run(List<String> command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                System.err.println(line);
            }
        }
        try {
            return process.waitFor();
        } catch (InterruptedException e) {
            process.destroy();
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static String shell(List<String> command) {
        return command.stream()
                .map(a -> a.matches("[A-Za-z0-9_./=:@+-]+") ? a : "'" + a.replace("'", "'\\''") + "'")
                .collect(Collectors.joining(" "));
    }

    private static void deleteTree(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(folder)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
