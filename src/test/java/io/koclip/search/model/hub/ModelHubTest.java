package io.koclip.search.model.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pulls from a local fake Hub (API server + storage server) into a temporary huggingface_hub cache. */
class ModelHubTest {
    private static final String REPO = "immich-app/Tiny-CLIP";

    @TempDir
    Path cache;

    FakeHub fake;
    Map<String, byte[]> files;
    String commit;

    @BeforeEach
    void publish() throws Exception {
        fake = new FakeHub();
        Random random = new Random(13);
        files = new LinkedHashMap<>();
        files.put("config.json", bytes("{\"embed_dim\": 4, \"text_cfg\": {\"context_length\": 8}}"));
        files.put("README.md", bytes("# tiny"));
        files.put("visual/model.onnx", randomBytes(random, 40_000));
        files.put("visual/preprocess_cfg.json", bytes("{\"size\": [4, 4], \"mean\": [0,0,0], \"std\": [1,1,1]}"));
        files.put("visual/fp16/model.armnn", randomBytes(random, 5_000));
        files.put("textual/model.onnx", randomBytes(random, 30_000));
        files.put("textual/model.onnx_data", randomBytes(random, 20_000));
        files.put("textual/tokenizer.json", bytes("{\"model\": {}}"));
        files.put("textual/tokenizer_config.json", bytes("{\"pad_token\": \"<pad>\"}"));
        files.put("rknpu/visual/model.rknn", randomBytes(random, 5_000));
        commit = fake.publish(REPO, files);
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    @Test
    void fullPullPlacesVerifiedBlobsAndRelativeLinksInTheHuggingFaceLayout() throws Exception {
        fake.requiredToken = "hf_secret";
        try (ModelHub hub = new ModelHub(fake.settings(cache, "hf_secret"))) {
            PulledModel pulled = hub.pull(RepoSpec.parse("hf:" + REPO), TransferListener.NONE);

            assertThat(pulled.commit()).isEqualTo(commit);
            Path repo = cache.resolve("models--immich-app--Tiny-CLIP");
            assertThat(pulled.folder()).isEqualTo(repo.resolve("snapshots").resolve(commit));
            assertThat(Files.readString(repo.resolve("refs/main"))).isEqualTo(commit);
            assertThat(ModelHub.snapshotFiles(pulled.folder()))
                    .containsExactly(
                            "config.json",
                            "textual/model.onnx",
                            "textual/model.onnx_data",
                            "textual/tokenizer.json",
                            "textual/tokenizer_config.json",
                            "visual/model.onnx",
                            "visual/preprocess_cfg.json");
            for (String file : ModelHub.snapshotFiles(pulled.folder())) {
                Path pointer = pulled.folder().resolve(file);
                assertThat(Files.isSymbolicLink(pointer)).as(file).isTrue();
                String etag = files.get(file).length >= FakeHub.LFS_THRESHOLD
                        ? FakeHub.sha256(files.get(file))
                        : FakeHub.gitSha1(files.get(file));
                String up = file.contains("/") ? "../../../" : "../../";
                assertThat(Files.readSymbolicLink(pointer).toString()).isEqualTo(up + "blobs/" + etag);
                assertThat(Files.readAllBytes(pointer)).as(file).isEqualTo(files.get(file));
            }
            // The storage host never saw the token (the fake answers 400 if it does), the Hub always did.
            assertThat(fake.requests)
                    .filteredOn(r -> r.server().equals("storage"))
                    .hasSize(3)
                    .allSatisfy(r -> assertThat(r.authorization()).isNull());
            assertThat(fake.hubRequests())
                    .allSatisfy(r -> assertThat(r.authorization()).isEqualTo("Bearer hf_secret"));
            assertThat(fake.requests)
                    .noneMatch(r -> r.path().contains("armnn") || r.path().contains("rknn"));

            // A second pull finds every file in the snapshot: no HEAD, no transfer.
            int before = fake.requests.size();
            hub.pull(RepoSpec.parse(REPO), TransferListener.NONE);
            assertThat(fake.requests.subList(before, fake.requests.size()))
                    .extracting(FakeHub.Request::method)
                    .containsOnly("GET")
                    .hasSize(2); // revision + tree
        }
    }

    @Test
    void aCutConnectionKeepsThePartialFileAndTheNextPullResumesWithRange() throws Exception {
        fake.cutAfter.set(12_345);
        try (ModelHub hub = new ModelHub(fake.settings(cache, null))) {
            assertThatThrownBy(() -> hub.pull(RepoSpec.parse(REPO), TransferListener.NONE))
                    .isInstanceOfSatisfying(
                            HubException.class, e -> assertThat(e.reason()).isEqualTo(HubException.Reason.INTERRUPTED))
                    .hasMessageContaining("run the same command again to resume");
            Path blobs = cache.resolve("models--immich-app--Tiny-CLIP/blobs");
            Path incomplete;
            try (var list = Files.list(blobs)) {
                incomplete = list.filter(p -> p.toString().endsWith(".incomplete"))
                        .findFirst()
                        .orElseThrow();
            }
            assertThat(Files.size(incomplete)).isEqualTo(12_345);
            assertThat(hub.cached(RepoSpec.parse(REPO))).isEmpty();

            PulledModel pulled = hub.pull(RepoSpec.parse(REPO), TransferListener.NONE);
            assertThat(fake.requests).anyMatch(r -> "bytes=12345-".equals(r.range()));
            assertThat(Files.exists(incomplete)).isFalse();
            assertThat(Files.readAllBytes(pulled.folder().resolve("textual/model.onnx")))
                    .isEqualTo(files.get("textual/model.onnx"));
            assertThat(hub.cached(RepoSpec.parse(REPO))).isPresent();
        }
    }

    @Test
    void aCutConnectionIsResumedWithinThePullWhenRetriesAreAllowed() throws Exception {
        fake.cutAfter.set(1_000);
        HubSettings settings = fake.settings(cache, null).withRetries(1, Duration.ZERO);
        try (ModelHub hub = new ModelHub(settings)) {
            PulledModel pulled = hub.pull(RepoSpec.parse(REPO), TransferListener.NONE);
            assertThat(fake.requests).anyMatch(r -> "bytes=1000-".equals(r.range()));
            assertThat(Files.readAllBytes(pulled.folder().resolve("textual/model.onnx")))
                    .isEqualTo(files.get("textual/model.onnx"));
        }
    }

    @Test
    void bytesThatDoNotMatchTheEtagAreRefusedAndDiscarded() throws Exception {
        fake.corruptStorage = true;
        try (ModelHub hub = new ModelHub(fake.settings(cache, null))) {
            assertThatThrownBy(() -> hub.pull(RepoSpec.parse(REPO), TransferListener.NONE))
                    .isInstanceOfSatisfying(
                            HubException.class, e -> assertThat(e.reason()).isEqualTo(HubException.Reason.INTEGRITY))
                    .hasMessageContaining("textual/model.onnx is corrupt")
                    .hasMessageContaining(FakeHub.sha256(files.get("textual/model.onnx")));
            try (var list = Files.list(cache.resolve("models--immich-app--Tiny-CLIP/blobs"))) {
                assertThat(list.map(p -> p.getFileName().toString()))
                        .noneMatch(n -> n.equals(FakeHub.sha256(files.get("textual/model.onnx"))))
                        .noneMatch(n -> n.endsWith(".incomplete"));
            }
        }
    }

    @Test
    void unauthorizedWithoutATokenSaysToSetOne() throws Exception {
        fake.requiredToken = "hf_secret";
        try (ModelHub hub = new ModelHub(fake.settings(cache, null))) {
            assertThatThrownBy(() -> hub.pull(RepoSpec.parse(REPO), TransferListener.NONE))
                    .isInstanceOfSatisfying(
                            HubException.class, e -> assertThat(e.reason()).isEqualTo(HubException.Reason.UNAUTHORIZED))
                    .hasMessageContaining("no token was sent")
                    .hasMessageContaining("HF_TOKEN");
        }
    }

    @Test
    void unauthorizedWithABadTokenSaysTheTokenWasRejected() throws Exception {
        fake.requiredToken = "hf_secret";
        try (ModelHub hub = new ModelHub(fake.settings(cache, "hf_expired"))) {
            assertThatThrownBy(() -> hub.pull(RepoSpec.parse(REPO), TransferListener.NONE))
                    .isInstanceOfSatisfying(
                            HubException.class, e -> assertThat(e.reason()).isEqualTo(HubException.Reason.UNAUTHORIZED))
                    .hasMessageContaining("token from HF_TOKEN was rejected")
                    .hasMessageNotContaining("hf_expired");
        }
    }

    @Test
    void aGatedRepoSaysWhereToAcceptItsConditions() throws Exception {
        fake.gatedRepo = REPO;
        try (ModelHub hub = new ModelHub(fake.settings(cache, "hf_secret"))) {
            assertThatThrownBy(() -> hub.pull(RepoSpec.parse(REPO), TransferListener.NONE))
                    .isInstanceOfSatisfying(
                            HubException.class, e -> assertThat(e.reason()).isEqualTo(HubException.Reason.GATED))
                    .hasMessageContaining(fake.endpoint() + "/" + REPO);
        }
    }

    @Test
    void missingRepoRevisionAndFilesAreNamed() throws Exception {
        try (ModelHub hub = new ModelHub(fake.settings(cache, null))) {
            assertThatThrownBy(() -> hub.pull(RepoSpec.parse("immich-app/No-Such"), TransferListener.NONE))
                    .isInstanceOfSatisfying(
                            HubException.class,
                            e -> assertThat(e.reason()).isEqualTo(HubException.Reason.REPO_NOT_FOUND))
                    .hasMessageContaining("immich-app/No-Such");
            assertThatThrownBy(() -> hub.pull(RepoSpec.parse(REPO + "@v9"), TransferListener.NONE))
                    .isInstanceOfSatisfying(
                            HubException.class,
                            e -> assertThat(e.reason()).isEqualTo(HubException.Reason.REVISION_NOT_FOUND))
                    .hasMessageContaining("no revision 'v9'");
        }
        fake.publish("someone/not-a-model", Map.of("weights.bin", bytes("x")));
        try (ModelHub hub = new ModelHub(fake.settings(cache, null))) {
            assertThatThrownBy(() -> hub.pull(RepoSpec.parse("someone/not-a-model"), TransferListener.NONE))
                    .isInstanceOfSatisfying(
                            HubException.class, e -> assertThat(e.reason()).isEqualTo(HubException.Reason.NOT_A_MODEL))
                    .hasMessageContaining("weights.bin");
        }
    }

    @Test
    void theListingIsFollowedAcrossPages() throws Exception {
        fake.pageSize = 3;
        try (ModelHub hub = new ModelHub(fake.settings(cache, null))) {
            PulledModel pulled = hub.pull(RepoSpec.parse(REPO), TransferListener.NONE);
            assertThat(fake.treePages.get()).isEqualTo(4); // 10 files, 3 per page
            assertThat(ModelHub.snapshotFiles(pulled.folder())).hasSize(7);
        }
    }

    @Test
    void offlineModeServesTheCacheAndNeverTheNetwork() throws Exception {
        try (ModelHub hub = new ModelHub(fake.settings(cache, null))) {
            hub.pull(RepoSpec.parse(REPO), TransferListener.NONE);
        }
        int before = fake.requests.size();
        try (ModelHub offline = new ModelHub(fake.settings(cache, null).withOffline(true))) {
            PulledModel pulled = offline.pull(RepoSpec.parse(REPO), TransferListener.NONE);
            assertThat(pulled.commit()).isEqualTo(commit);
            assertThat(offline.locate(RepoSpec.parse(REPO + "@" + commit), TransferListener.NONE)
                            .folder())
                    .isEqualTo(pulled.folder());
            assertThatThrownBy(() -> offline.locate(RepoSpec.parse("immich-app/Other"), TransferListener.NONE))
                    .isInstanceOfSatisfying(
                            HubException.class, e -> assertThat(e.reason()).isEqualTo(HubException.Reason.NOT_CACHED))
                    .hasMessageContaining("HF_HUB_OFFLINE");
        }
        assertThat(fake.requests).hasSize(before);
    }

    @Test
    void aCacheWrittenByHuggingFaceHubIsReusedAsItIs() throws Exception {
        // The layout snapshot_download leaves: blobs by etag, refs/main, relative links in snapshots/.
        String pythonCommit = "0123456789abcdef0123456789abcdef01234567";
        Path repo = cache.resolve("models--immich-app--From-Python");
        Files.createDirectories(repo.resolve("refs"));
        Files.writeString(repo.resolve("refs/main"), pythonCommit);
        Path snapshot = repo.resolve("snapshots").resolve(pythonCommit);
        for (String file : List.of(
                "config.json",
                "visual/model.onnx",
                "visual/preprocess_cfg.json",
                "textual/model.onnx",
                "textual/tokenizer.json")) {
            byte[] content = files.get(file);
            String etag = FakeHub.sha256(content);
            Files.createDirectories(repo.resolve("blobs"));
            Files.write(repo.resolve("blobs").resolve(etag), content);
            Path pointer = snapshot.resolve(file);
            Files.createDirectories(pointer.getParent());
            Files.createSymbolicLink(
                    pointer,
                    pointer.getParent().relativize(repo.resolve("blobs").resolve(etag)));
        }
        fake.close(); // nothing may be asked of the network
        try (ModelHub hub = new ModelHub(fake.settings(cache, null))) {
            PulledModel pulled = hub.locate(RepoSpec.parse("hf:immich-app/From-Python"), TransferListener.NONE);
            assertThat(pulled.commit()).isEqualTo(pythonCommit);
            assertThat(pulled.location()).isEqualTo("hf:immich-app/From-Python@" + pythonCommit);
            assertThat(Files.readAllBytes(pulled.folder().resolve("visual/model.onnx")))
                    .isEqualTo(files.get("visual/model.onnx"));
            assertThat(hub.list()).singleElement().satisfies(m -> {
                assertThat(m.repo()).isEqualTo("immich-app/From-Python");
                assertThat(m.refs()).containsEntry("main", pythonCommit);
            });
            assertThat(hub.remove(RepoSpec.parse("immich-app/From-Python"))).isTrue();
            assertThat(repo).doesNotExist();
            assertThat(hub.list()).isEmpty();
        }
        assertThat(fake.requests).isEmpty();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] randomBytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }
}
