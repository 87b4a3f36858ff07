package io.koclip.search.cli;

import io.koclip.search.model.BundleException;
import io.koclip.search.model.BundleLoader;
import io.koclip.search.model.ModelBundle;
import io.koclip.search.model.hub.CachedModel;
import io.koclip.search.model.hub.CheckpointExport;
import io.koclip.search.model.hub.HubException;
import io.koclip.search.model.hub.HubSettings;
import io.koclip.search.model.hub.ModelHub;
import io.koclip.search.model.hub.PulledModel;
import io.koclip.search.model.hub.RepoSpec;
import io.koclip.search.options.DownloadProgress;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code models}: models from the Hugging Face Hub in the shared {@code huggingface_hub} cache.
 * {@code pull} downloads (resuming interrupted transfers) and checks that the bundle loads;
 * {@code list} and {@code rm} manage the cache. Errors are one line on standard error, exit 1.
 */
@Command(
        name = "models",
        mixinStandardHelpOptions = true,
        description = "Pull, list and remove models from the Hugging Face Hub cache (HF_HUB_CACHE).",
        subcommands = {ModelsCommand.Pull.class, ModelsCommand.ListModels.class, ModelsCommand.Remove.class})
final class ModelsCommand {
    /** How the subcommands reach the Hub; tests replace it to point at a local server. */
    static Supplier<HubSettings> settings = HubSettings::fromEnvironment;

    /** The Python and export tool for KoCLIP checkpoints; tests replace it. */
    static Supplier<CheckpointExport.Tools> exportTools = CheckpointExport.Tools::fromEnvironment;

    @Command(
            name = "pull",
            mixinStandardHelpOptions = true,
            description = "Download a model (Immich CLIP export, koclip-bundle/1, or a KoCLIP checkpoint, which is"
                    + " exported to a bundle when a Python with torch is available) into the Hub cache.")
    static final class Pull implements Callable<Integer> {
        @Parameters(paramLabel = "REPO[@REVISION]", description = "e.g. immich-app/ViT-B-32__openai@main")
        String repo;

        @Option(names = "--no-check", description = "Do not load the bundle after the download.")
        boolean noCheck;

        @Override
        public Integer call() {
            PrintStream stdout = CommandOutput.reserveStdout();
            try (ModelHub hub = new ModelHub(settings.get());
                    DownloadProgress progress = DownloadProgress.console()) {
                PulledModel pulled = hub.pull(RepoSpec.parse(repo), progress);
                Map<String, Object> out = new LinkedHashMap<>();
                if (ModelHub.isCheckpoint(pulled.folder())) {
                    out.put("checkpoint", pulled.folder().toString());
                    try {
                        pulled = CheckpointExport.ensure(hub, pulled, progress, exportTools.get());
                    } catch (HubException e) {
                        if (e.reason() != HubException.Reason.EXPORT_UNAVAILABLE) {
                            throw e;
                        }
                        // Downloaded but not exported: say exactly what to run, then use hf:… as usual.
                        System.err.println("models pull: " + e.getMessage());
                        out.put("model", pulled.spec().repo());
                        out.put("commit", pulled.commit());
                        out.put("exported", false);
                        stdout.println(JsonMapper.builder().build().writeValueAsString(out));
                        return 0;
                    }
                }
                out.put("model", pulled.spec().repo());
                out.put("revision", pulled.spec().revision());
                out.put("commit", pulled.commit());
                out.put("folder", pulled.folder().toString());
                out.put("bytes", pulled.bytes());
                out.put("use", "--model " + RepoSpec.PREFIX + pulled.spec().repo() + "@" + pulled.commit());
                if (!noCheck) {
                    ModelBundle bundle = BundleLoader.load(pulled);
                    out.put("name", bundle.name());
                    out.put("embeddingDim", bundle.embeddingDim());
                    out.put("fingerprint", bundle.fingerprint());
                }
                stdout.println(JsonMapper.builder().build().writeValueAsString(out));
                return 0;
            } catch (HubException | BundleException | IllegalArgumentException | IllegalStateException e) {
                System.err.println("models pull: " + e.getMessage());
                return 1;
            } finally {
                CommandOutput.restore(stdout);
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Models in the Hub cache (JSON lines).")
    static final class ListModels implements Callable<Integer> {
        @Override
        public Integer call() {
            PrintStream stdout = CommandOutput.reserveStdout();
            try (ModelHub hub = new ModelHub(settings.get())) {
                JsonMapper json = JsonMapper.builder().build();
                for (CachedModel model : hub.list()) {
                    Map<String, Object> line = new LinkedHashMap<>();
                    line.put("model", model.repo());
                    line.put("refs", model.refs());
                    List<String> complete = new ArrayList<>();
                    for (String commit : model.snapshots()) {
                        if (hub.cached(RepoSpec.parse(model.repo() + "@" + commit))
                                .isPresent()) {
                            complete.add(commit);
                        }
                    }
                    line.put("snapshots", model.snapshots());
                    line.put("complete", complete);
                    line.put("bytes", model.bytes());
                    line.put("size", DownloadProgress.mib(model.bytes()));
                    line.put("folder", model.folder().toString());
                    stdout.println(json.writeValueAsString(line));
                }
                return 0;
            } catch (RuntimeException e) {
                System.err.println("models list: " + e.getMessage());
                return 1;
            } finally {
                CommandOutput.restore(stdout);
            }
        }
    }

    @Command(name = "rm", mixinStandardHelpOptions = true, description = "Delete a model from the Hub cache.")
    static final class Remove implements Callable<Integer> {
        @Parameters(paramLabel = "REPO", description = "org/name")
        String repo;

        @Override
        public Integer call() {
            try (ModelHub hub = new ModelHub(settings.get())) {
                RepoSpec target = RepoSpec.parse(repo);
                if (!hub.remove(target)) {
                    System.err.println("models rm: " + target.repo() + " is not in the cache "
                            + hub.settings().cache());
                    return 1;
                }
                System.err.println("removed " + target.repo());
                return 0;
            } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
                System.err.println("models rm: " + e.getMessage());
                return 1;
            }
        }
    }
}
