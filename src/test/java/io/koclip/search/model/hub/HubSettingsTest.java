package io.koclip.search.model.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The environment is read as huggingface_hub's constants and get_token read it. */
class HubSettingsTest {
    @TempDir
    Path home;

    @Test
    void defaultsFollowTheHome() {
        HubSettings s = HubSettings.from(Map.of(), home);
        assertThat(s.endpoint()).isEqualTo(URI.create("https://huggingface.co"));
        assertThat(s.cache()).isEqualTo(home.resolve(".cache/huggingface/hub"));
        assertThat(s.token()).isNull();
        assertThat(s.offline()).isFalse();
    }

    @Test
    void hfHomeHubCacheEndpointAndOffline() {
        HubSettings s = HubSettings.from(
                Map.of("HF_HOME", "~/hf", "HF_ENDPOINT", "http://mirror.local:8080/", "HF_HUB_OFFLINE", "yes"), home);
        assertThat(s.cache()).isEqualTo(home.resolve("hf/hub"));
        assertThat(s.endpoint()).isEqualTo(URI.create("http://mirror.local:8080"));
        assertThat(s.offline()).isTrue();
        assertThat(HubSettings.from(Map.of("HF_HUB_CACHE", "/data/hub", "HF_HOME", "/x"), home)
                        .cache())
                .isEqualTo(Path.of("/data/hub"));
        assertThat(HubSettings.from(Map.of("XDG_CACHE_HOME", "/xdg"), home).cache())
                .isEqualTo(Path.of("/xdg/huggingface/hub"));
    }

    @Test
    void tokenFromHfTokenThenTheLegacyVariableThenTheFile() throws Exception {
        Files.createDirectories(home.resolve(".cache/huggingface"));
        Files.writeString(home.resolve(".cache/huggingface/token"), "hf_from_file\n");
        assertThat(HubSettings.from(Map.of(), home).token()).isEqualTo("hf_from_file");
        assertThat(HubSettings.from(Map.of(), home).tokenSource()).endsWith("token");
        assertThat(HubSettings.from(Map.of("HUGGING_FACE_HUB_TOKEN", "hf_legacy"), home)
                        .token())
                .isEqualTo("hf_legacy");
        HubSettings both =
                HubSettings.from(Map.of("HF_TOKEN", " hf_new ", "HUGGING_FACE_HUB_TOKEN", "hf_legacy"), home);
        assertThat(both.token()).isEqualTo("hf_new");
        assertThat(both.tokenSource()).isEqualTo("HF_TOKEN");
    }

    @Test
    void badValuesAreNamed() {
        assertThatThrownBy(() -> HubSettings.from(Map.of("HF_ENDPOINT", "ftp://x"), home))
                .hasMessageContaining("ftp://x");
        assertThatThrownBy(() -> RepoSpec.parse("just-a-name")).hasMessageContaining("'just-a-name'");
        assertThat(RepoSpec.parse("hf:org/name@v1.0")).isEqualTo(new RepoSpec("org/name", "v1.0"));
        assertThat(RepoSpec.parse("org/name").revision()).isEqualTo("main");
        assertThat(HubClient.quote("refs/pr/1", false)).isEqualTo("refs%2Fpr%2F1");
        assertThat(HubClient.quote("visual/model name.onnx", true)).isEqualTo("visual/model%20name.onnx");
        assertThat(HubClient.normalizeEtag("W/\"abc\"")).isEqualTo("abc");
    }
}
