package io.koclip.search.model.hub;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Where the Hub is and how to talk to it, resolved like {@code huggingface_hub}'s {@code constants}:
 *
 * <ul>
 *   <li>{@code HF_ENDPOINT}, default {@code https://huggingface.co};
 *   <li>{@code HF_HOME}, default {@code $XDG_CACHE_HOME/huggingface} or {@code ~/.cache/huggingface};
 *   <li>{@code HF_HUB_CACHE} (or the older {@code HUGGINGFACE_HUB_CACHE}), default {@code $HF_HOME/hub};
 *   <li>the token: {@code HF_TOKEN}, else {@code HUGGING_FACE_HUB_TOKEN}, else the file
 *       {@code HF_TOKEN_PATH} (default {@code $HF_HOME/token}), as written by {@code hf auth login};
 *   <li>{@code HF_HUB_OFFLINE} (or {@code TRANSFORMERS_OFFLINE}) = 1/ON/YES/TRUE: never use the network.
 * </ul>
 *
 * <p>Tests build the record directly (or call {@link #from} with a map) so that no real environment
 * variable or home folder is touched.
 *
 * @param endpoint the Hub's base address, without a trailing slash
 * @param cache the hub cache folder (holds {@code models--org--name} folders)
 * @param token a user access token, or null to send none
 * @param tokenSource where the token came from ({@code HF_TOKEN}, a file path), for error messages
 * @param offline when true nothing is downloaded; models come from the cache or not at all
 * @param retries how many times a broken transfer is resumed within one pull before giving up
 * @param retryDelay the pause before each such retry
 */
public record HubSettings(
        URI endpoint,
        Path cache,
        @Nullable String token,
        String tokenSource,
        boolean offline,
        int retries,
        Duration retryDelay) {

    public static final String DEFAULT_ENDPOINT = "https://huggingface.co";
    private static final Set<String> TRUE = Set.of("1", "ON", "YES", "TRUE");

    public HubSettings {
        String scheme = endpoint.getScheme();
        if (!"https".equals(scheme) && !"http".equals(scheme) || endpoint.getHost() == null) {
            throw new IllegalArgumentException("HF_ENDPOINT '" + endpoint + "' is not an http(s) address");
        }
        if (retries < 0) {
            throw new IllegalArgumentException("retries must be >= 0, got " + retries);
        }
        String text = endpoint.toString();
        endpoint = URI.create(text.replaceAll("/+$", ""));
    }

    /** Settings from this process's environment and the user's home folder. */
    public static HubSettings fromEnvironment() {
        return from(System.getenv(), Path.of(System.getProperty("user.home")));
    }

    /** Settings from {@code env} (the names above), with {@code home} standing for {@code ~}. */
    public static HubSettings from(Map<String, String> env, Path home) {
        String endpoint = nonBlank(env.get("HF_ENDPOINT"), DEFAULT_ENDPOINT);
        Path defaultHome = path(
                        nonBlank(
                                env.get("XDG_CACHE_HOME"),
                                home.resolve(".cache").toString()),
                        home)
                .resolve("huggingface");
        Path hfHome = env.containsKey("HF_HOME") ? path(env.get("HF_HOME"), home) : defaultHome;
        String cache = nonBlank(env.get("HF_HUB_CACHE"), env.get("HUGGINGFACE_HUB_CACHE"));
        Path hubCache = cache == null ? hfHome.resolve("hub") : path(cache, home);
        String token = clean(env.get("HF_TOKEN"));
        String source = "HF_TOKEN";
        if (token == null) {
            token = clean(env.get("HUGGING_FACE_HUB_TOKEN"));
            source = "HUGGING_FACE_HUB_TOKEN";
        }
        if (token == null) {
            String tokenPath = env.get("HF_TOKEN_PATH");
            Path file = tokenPath == null ? hfHome.resolve("token") : path(tokenPath, home);
            token = readToken(file);
            source = file.toString();
        }
        boolean offline = isTrue(env.get("HF_HUB_OFFLINE")) || isTrue(env.get("TRANSFORMERS_OFFLINE"));
        return new HubSettings(
                URI.create(endpoint),
                hubCache,
                token,
                token == null ? "none" : source,
                offline,
                3,
                Duration.ofSeconds(1));
    }

    public HubSettings withOffline(boolean value) {
        return new HubSettings(endpoint, cache, token, tokenSource, value, retries, retryDelay);
    }

    public HubSettings withRetries(int count, Duration delay) {
        return new HubSettings(endpoint, cache, token, tokenSource, offline, count, delay);
    }

    private static @Nullable String readToken(Path file) {
        try {
            return clean(Files.readString(file));
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the Hub token file " + file + ": " + e.getMessage(), e);
        }
    }

    /** As {@code huggingface_hub}'s {@code _clean_token}: newlines and spaces removed, empty is none. */
    private static @Nullable String clean(@Nullable String token) {
        if (token == null) {
            return null;
        }
        String cleaned = token.replace("\r", "").replace("\n", "").strip();
        return cleaned.isEmpty() ? null : cleaned;
    }

    private static boolean isTrue(@Nullable String value) {
        return value != null && TRUE.contains(value.strip().toUpperCase(Locale.ROOT));
    }

    private static @Nullable String nonBlank(@Nullable String value, @Nullable String fallback) {
        return value == null || value.isBlank() ? fallback : value;
    }

    /** {@code ~} expanded as {@code os.path.expanduser} does. */
    private static Path path(String value, Path home) {
        if (value.equals("~")) {
            return home;
        }
        if (value.startsWith("~/")) {
            return home.resolve(value.substring(2));
        }
        return Path.of(value);
    }
}
