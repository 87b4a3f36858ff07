package io.koclip.search.options;

import io.koclip.search.model.BundleLoader;
import io.koclip.search.model.ClipModel;
import io.koclip.search.model.ModelOptions;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The options every command that loads a model shares ({@code @Mixin ModelMixin model}). */
public final class ModelMixin {
    @Option(
            names = "--model",
            defaultValue = "demo",
            paramLabel = "DIR|demo|hf:REPO[@REV]",
            description =
                    "Model bundle folder (koclip-bundle/1 or Immich CLIP layout), 'demo', or a Hugging Face Hub"
                            + " model hf:org/name[@revision], taken from the Hub cache or downloaded (default: ${DEFAULT-VALUE}).")
    String model;

    @Mixin
    RuntimeMixin runtime;

    @Option(
            names = "--variant",
            paramLabel = "NAME",
            description = "Precision variant listed in the bundle's model.json (e.g. int8); default: the main graphs.")
    String variant;

    /** The bundle: a folder, {@code demo} or {@code hf:org/name[@revision]}. */
    public String bundle() {
        return model;
    }

    public ModelOptions options() {
        return runtime.options(variant);
    }

    /** Loads the bundle (pulling a Hub model with a progress bar when it is not cached) and opens it. */
    public ClipModel open() {
        try (DownloadProgress progress = DownloadProgress.console()) {
            return ClipModel.open(BundleLoader.load(model, progress), options());
        }
    }
}
