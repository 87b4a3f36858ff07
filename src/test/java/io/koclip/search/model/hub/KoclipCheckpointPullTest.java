package io.koclip.search.model.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.koclip.search.model.BundleLoader;
import io.koclip.search.model.ClipModel;
import io.koclip.search.model.Embeddings;
import io.koclip.search.model.ModelBundle;
import io.koclip.search.model.ModelOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * KoCLIP checkpoints on the fake Hub, in the published layouts at a tiny size (made by
 * {@code src/tools/koclip/fake_checkpoints.py}): {@code koclip/koclip-base-pt} (transformers'
 * {@code pytorch_model.bin} with its tokenizer) and {@code koclip/koclip-base} (Flax
 * {@code flax_model.msgpack} without tokenizer files, which come from klue/roberta-large). A pull
 * downloads the checkpoint, runs the export tool with {@code /usr/bin/python3} and loads the bundle;
 * without a usable Python it names the exact command. Skipped when {@code /usr/bin/python3} lacks torch.
 */
class KoclipCheckpointPullTest {
    static final String PYTHON = "/usr/bin/python3";
    static final Path EXPORTER = Path.of("src/tools/koclip/export.py").toAbsolutePath();

    @TempDir
    static Path checkpoints;

    @TempDir
    Path home;

    @BeforeAll
    static void tinyCheckpoints() throws Exception {
        assumeTrue(run(PYTHON, "-c", "import torch, onnx, numpy") == 0, PYTHON + " has no torch/onnx/numpy");
        String script = "import sys; sys.path.insert(0, 'src/tools')\n"
                + "from koclip import fake_checkpoints as f\n"
                + "vocab = f.tiny_vocab(); config = f.tiny_config('clip', len(vocab))\n"
                + "state = f.random_state(config, seed=3)\n"
                + "f.write_checkpoint(sys.argv[1] + '/pt', config, state, 'pytorch_model.bin', vocab, 'tokenizer.json')\n"
                + "f.write_checkpoint(sys.argv[1] + '/flax', config, state, 'flax', vocab, None)\n"
                + "f.write_checkpoint(sys.argv[1] + '/klue', config, state, 'pytorch_model.bin', vocab, 'vocab.txt')\n";
        assertThat(run(PYTHON, "-c", script, checkpoints.toString())).isZero();
    }

    static int run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).inheritIO().start();
        assertThat(process.waitFor(10, TimeUnit.MINUTES)).isTrue();
        return process.exitValue();
    }

    static Map<String, byte[]> files(Path folder) throws Exception {
        Map<String, byte[]> files = new LinkedHashMap<>();
        try (Stream<Path> walk = Files.walk(folder)) {
            for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
                files.put(folder.relativize(file).toString(), Files.readAllBytes(file));
            }
        }
        return files;
    }

    @Test
    void thePytorchCheckpointIsExportedAndLoadsAsAHubModel() throws Exception {
        try (FakeHub fake = new FakeHub();
                ModelHub hub = new ModelHub(fake.settings(home.resolve("hub"), null))) {
            String commit = fake.publish("koclip/koclip-base-pt", files(checkpoints.resolve("pt")));
            RepoSpec spec = RepoSpec.parse("koclip/koclip-base-pt");
            PulledModel checkpoint = hub.pull(spec, TransferListener.NONE);
            assertThat(ModelHub.isCheckpoint(checkpoint.folder())).isTrue();
            assertThat(ModelHub.snapshotFiles(checkpoint.folder()))
                    .containsExactlyInAnyOrder("config.json", "pytorch_model.bin", "tokenizer.json");
            assertThat(hub.cached(spec))
                    .as("the checkpoint's snapshot counts as complete")
                    .isPresent();

            PulledModel exported = CheckpointExport.ensure(
                    hub, checkpoint, TransferListener.NONE, new CheckpointExport.Tools(PYTHON, EXPORTER));
            assertThat(exported.folder())
                    .isEqualTo(home.resolve("koclip-bundles/models--koclip--koclip-base-pt")
                            .resolve(commit));
            ModelBundle bundle = BundleLoader.load(exported);
            assertThat(bundle.name()).isEqualTo("koclip/koclip-base-pt");
            assertThat(bundle.location()).isEqualTo("hf:koclip/koclip-base-pt@" + commit);
            try (ClipModel model = ClipModel.open(bundle, ModelOptions.defaults())) {
                float[] cat = model.texts().encode("고양이 사진");
                assertThat(cat).hasSize(24);
                assertThat(Embeddings.dot(cat, model.texts().encode("고양이 사진"))).isGreaterThan(0.9999f);
            }
            // a second time the bundle is found, not exported again
            long modified = Files.getLastModifiedTime(exported.folder().resolve("model.json"))
                    .toMillis();
            CheckpointExport.ensure(
                    hub, checkpoint, TransferListener.NONE, new CheckpointExport.Tools("/nonexistent", null));
            assertThat(Files.getLastModifiedTime(exported.folder().resolve("model.json"))
                            .toMillis())
                    .isEqualTo(modified);
        }
    }

    @Test
    void withoutPythonThePullNamesTheExactCommand() throws Exception {
        try (FakeHub fake = new FakeHub();
                ModelHub hub = new ModelHub(fake.settings(home.resolve("hub"), null))) {
            String commit = fake.publish("koclip/koclip-base-pt", files(checkpoints.resolve("pt")));
            PulledModel checkpoint = hub.pull(RepoSpec.parse("koclip/koclip-base-pt"), TransferListener.NONE);
            Path bundle = home.resolve("koclip-bundles/models--koclip--koclip-base-pt")
                    .resolve(commit);
            assertThatThrownBy(() -> CheckpointExport.ensure(
                            hub,
                            checkpoint,
                            TransferListener.NONE,
                            new CheckpointExport.Tools("/nonexistent/python3", EXPORTER)))
                    .isInstanceOfSatisfying(
                            HubException.class,
                            e -> assertThat(e.reason()).isEqualTo(HubException.Reason.EXPORT_UNAVAILABLE))
                    .hasMessageContaining("/nonexistent/python3 cannot be run")
                    .hasMessageEndingWith("run: /nonexistent/python3 " + EXPORTER + " --checkpoint "
                            + checkpoint.folder() + " --out " + bundle + " --name koclip/koclip-base-pt");
            assertThat(bundle).doesNotExist();
        }
    }

    @Test
    void theFlaxCheckpointTakesKluesTokenizerAndNotItsWeights() throws Exception {
        try (FakeHub fake = new FakeHub();
                ModelHub hub = new ModelHub(fake.settings(home.resolve("hub"), null))) {
            fake.publish("koclip/koclip-base", files(checkpoints.resolve("flax")));
            fake.publish("klue/roberta-large", files(checkpoints.resolve("klue")));
            PulledModel checkpoint = hub.pull(RepoSpec.parse("koclip/koclip-base"), TransferListener.NONE);
            assertThat(ModelHub.snapshotFiles(checkpoint.folder()))
                    .containsExactlyInAnyOrder("config.json", "flax_model.msgpack");
            PulledModel exported = CheckpointExport.ensure(
                    hub, checkpoint, TransferListener.NONE, new CheckpointExport.Tools(PYTHON, EXPORTER));
            PulledModel klue = hub.cached(CheckpointExport.KLUE_TOKENIZER).orElse(null);
            Path klueSnapshot = home.resolve("hub/models--klue--roberta-large/snapshots");
            try (Stream<Path> snapshots = Files.list(klueSnapshot)) {
                Path snapshot = snapshots.findFirst().orElseThrow();
                assertThat(ModelHub.snapshotFiles(snapshot))
                        .containsExactlyInAnyOrder("vocab.txt", "tokenizer_config.json");
            }
            assertThat(klue)
                    .as("klue's weights were not pulled, so it is no complete model")
                    .isNull();
            try (ClipModel model = ClipModel.open(BundleLoader.load(exported), ModelOptions.defaults())) {
                assertThat(model.bundle().name()).isEqualTo("koclip/koclip-base");
                assertThat(model.texts().tokenize("고양이")).hasSizeGreaterThan(2);
            }
        }
    }
}
