package io.koclip.search.model.hub;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Hub's HTTP API, as {@code huggingface_hub} uses it:
 *
 * <ul>
 *   <li>{@code GET /api/models/{repo}/revision/{revision}}: the commit ({@code sha}) of a revision;
 *   <li>{@code GET /api/models/{repo}/tree/{commit}?recursive=true}: the file listing, paged with
 *       {@code Link: <...>; rel="next"} headers;
 *   <li>{@code HEAD /{repo}/resolve/{commit}/{path}}: the file's metadata ({@code X-Repo-Commit},
 *       {@code X-Linked-Etag} or {@code ETag}, {@code X-Linked-Size} or {@code Content-Length}).
 *       Relative redirects (a renamed repo) are followed; a redirect to another host (the storage
 *       host of LFS files) is not: its {@code Location} is where the bytes are fetched from;
 *   <li>{@code GET} of that location, with {@code Range: bytes=N-} to resume. The token is sent
 *       only to the Hub's own host: the storage URL is signed and must not receive it.
 * </ul>
 *
 * <p>Errors are mapped as {@code hf_raise_for_status} does, from the status and {@code X-Error-Code}
 * ({@code RepoNotFound}, {@code RevisionNotFound}, {@code EntryNotFound}, {@code GatedRepo}).
 *
 * <p>Thread-safe ({@link HttpClient} is); one instance per pull is the intended use.
 */
final class HubClient implements AutoCloseable {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern NEXT_LINK = Pattern.compile("<([^>]*)>\\s*;\\s*rel=\"?next\"?");
    private static final int MAX_REDIRECTS = 10;
    private static final int BUFFER = 1 << 20;

    private final HubSettings settings;
    private final HttpClient http;
    private final String userAgent;

    HubClient(HubSettings settings) {
        this.settings = settings;
        // Redirects by hand: relative ones only for HEAD, and no token towards another host.
        this.http = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
        String version = HubClient.class.getPackage().getImplementationVersion();
        this.userAgent = "koclip-search/" + (version == null ? "dev" : version) + "; java/" + Runtime.version();
    }

    /** A file's metadata from the HEAD call. */
    record FileMetadata(String commit, String etag, long size, URI location) {}

    /** One file of the listing; {@code sha256} is set for LFS files. */
    record RemoteFile(String path, long size, @Nullable String sha256) {}

    /** The commit hash that {@code spec.revision()} points to now. */
    String commit(RepoSpec spec) {
        URI uri = api(spec, "revision", spec.revision(), "");
        HttpResponse<byte[]> response = send(spec, get(uri).build(), HttpResponse.BodyHandlers.ofByteArray());
        raiseForStatus(spec, "", response.statusCode(), response.headers(), response.body());
        JsonNode sha = json(spec, uri, response.body()).get("sha");
        if (sha == null || !sha.isString() || !sha.asString().matches("[0-9a-f]{40}")) {
            throw new HubException(
                    HubException.Reason.NETWORK, spec + ": " + uri + " answered without a commit hash ('sha')");
        }
        return sha.asString();
    }

    /** Every file of the repo at {@code commit}, following the listing's pages. */
    List<RemoteFile> listFiles(RepoSpec spec, String commit) {
        List<RemoteFile> files = new ArrayList<>();
        URI next = URI.create(api(spec, "tree", commit, "") + "?recursive=true");
        int pages = 0;
        while (next != null) {
            if (++pages > 10_000) {
                throw new HubException(HubException.Reason.NETWORK, spec + ": the file listing never ends");
            }
            HttpResponse<byte[]> response = send(spec, get(next).build(), HttpResponse.BodyHandlers.ofByteArray());
            raiseForStatus(spec, "", response.statusCode(), response.headers(), response.body());
            JsonNode page = json(spec, next, response.body());
            if (!page.isArray()) {
                throw new HubException(HubException.Reason.NETWORK, spec + ": " + next + " is not a JSON list");
            }
            for (JsonNode entry : page) {
                if (!"file".equals(entry.path("type").asString(""))) {
                    continue;
                }
                JsonNode lfs = entry.get("lfs");
                String sha256 = lfs != null && lfs.isObject() ? lfs.path("oid").asString(null) : null;
                files.add(new RemoteFile(
                        entry.path("path").asString(), entry.path("size").asLong(-1), sha256));
            }
            next = nextPage(next, response.headers());
        }
        return files;
    }

    /** HEAD of {@code resolve/{commit}/{file}}, following relative redirects only. */
    FileMetadata metadata(RepoSpec spec, String commit, String file) {
        URI uri = resolveUri(spec, commit, file);
        for (int hop = 0; ; hop++) {
            HttpRequest request = request(uri, true)
                    .method("HEAD", HttpRequest.BodyPublishers.noBody())
                    .build();
            HttpResponse<Void> response = send(spec, request, HttpResponse.BodyHandlers.discarding());
            int status = response.statusCode();
            HttpHeaders headers = response.headers();
            Optional<String> location = headers.firstValue("Location");
            if (status >= 300 && status < 400 && location.isPresent()) {
                URI target = URI.create(location.get());
                if (target.getHost() == null && hop < MAX_REDIRECTS) {
                    // A relative redirect: a renamed repo on the same host.
                    uri = uri.resolve(target);
                    continue;
                }
                return metadataFrom(spec, file, headers, uri.resolve(target));
            }
            raiseForStatus(spec, file, status, headers, null);
            return metadataFrom(spec, file, headers, uri);
        }
    }

    private FileMetadata metadataFrom(RepoSpec spec, String file, HttpHeaders headers, URI location) {
        String commit = headers.firstValue("X-Repo-Commit").orElse(null);
        String etag = headers.firstValue("X-Linked-Etag")
                .or(() -> headers.firstValue("ETag"))
                .map(HubClient::normalizeEtag)
                .orElse(null);
        String size = headers.firstValue("X-Linked-Size")
                .or(() -> headers.firstValue("Content-Length"))
                .orElse(null);
        if (commit == null) {
            throw new HubException(
                    HubException.Reason.NETWORK,
                    spec + ": " + file + ": the answer has no X-Repo-Commit header; is " + settings.endpoint()
                            + " a Hugging Face Hub (check HF_ENDPOINT, proxy and firewall)?");
        }
        if (etag == null || etag.isEmpty()) {
            throw new HubException(
                    HubException.Reason.INTEGRITY, spec + ": " + file + ": the Hub sent no ETag; cannot verify it");
        }
        long length;
        try {
            length = Long.parseLong(Objects.requireNonNull(size).strip());
        } catch (NumberFormatException | NullPointerException e) {
            throw new HubException(
                    HubException.Reason.NETWORK, spec + ": " + file + ": the Hub sent no usable size (" + size + ")");
        }
        return new FileMetadata(commit, etag, length, location);
    }

    /**
     * Streams the file into {@code incomplete}, appending from its current length when the server
     * honours {@code Range}, starting over when it answers 200 instead of 206.
     *
     * @throws IOException when the connection breaks; what arrived stays in {@code incomplete}
     */
    void download(RepoSpec spec, String file, FileMetadata meta, Path incomplete, TransferListener listener)
            throws IOException {
        long have = Files.exists(incomplete) ? Files.size(incomplete) : 0;
        URI uri = meta.location();
        HttpResponse<InputStream> response = null;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            HttpRequest.Builder builder = request(uri, sameHost(uri));
            if (have > 0) {
                builder.header("Range", "bytes=" + have + "-");
            }
            response = send(spec, builder.GET().build(), HttpResponse.BodyHandlers.ofInputStream());
            int status = response.statusCode();
            Optional<String> location = response.headers().firstValue("Location");
            if (status >= 300 && status < 400 && location.isPresent()) {
                response.body().close();
                uri = uri.resolve(location.get());
                continue;
            }
            break;
        }
        int status = Objects.requireNonNull(response).statusCode();
        if (status == 416 && have > 0) {
            // Our partial file is not a prefix the server recognises: start again next attempt.
            response.body().close();
            Files.deleteIfExists(incomplete);
            throw new IOException("the server refused to resume " + file + " at byte " + have + " (416)");
        }
        if (status != 200 && status != 206) {
            byte[] body;
            try (InputStream in = response.body()) {
                body = in.readNBytes(4096);
            }
            raiseForStatus(spec, file, status, response.headers(), body);
        }
        boolean append = status == 206 && have > 0;
        if (!append) {
            have = 0;
        }
        listener.started(file, meta.size(), have);
        try (InputStream in = response.body();
                FileChannel out = FileChannel.open(
                        incomplete,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE,
                        append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
            byte[] buffer = new byte[BUFFER];
            long done = have;
            int n;
            while ((n = in.read(buffer)) >= 0) {
                write(out, buffer, n, incomplete);
                done += n;
                listener.transferred(file, done);
            }
            if (done < meta.size()) {
                throw new IOException("the connection closed after " + done + " of " + meta.size() + " bytes");
            }
        }
    }

    private static void write(FileChannel out, byte[] buffer, int length, Path file) {
        try {
            ByteBuffer bytes = ByteBuffer.wrap(buffer, 0, length);
            while (bytes.hasRemaining()) {
                out.write(bytes);
            }
        } catch (IOException e) {
            throw writeFailure(file, e);
        }
    }

    /** A failed write: disk full (ENOSPC, EDQUOT) or another local problem, never a network one. */
    static HubException writeFailure(Path file, IOException e) {
        String message = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        if (message.contains("no space") || message.contains("quota") || message.contains("disk full")) {
            return new HubException(
                    HubException.Reason.DISK_FULL,
                    "disk full while writing " + file + ": free some space (or point HF_HUB_CACHE elsewhere) and run"
                            + " the same command again to resume",
                    e);
        }
        return new HubException(HubException.Reason.DISK_FULL, "cannot write " + file + ": " + e.getMessage(), e);
    }

    private boolean sameHost(URI uri) {
        URI endpoint = settings.endpoint();
        return Objects.equals(uri.getScheme(), endpoint.getScheme())
                && Objects.equals(uri.getHost(), endpoint.getHost())
                && uri.getPort() == endpoint.getPort();
    }

    private HttpRequest.Builder get(URI uri) {
        return request(uri, true).GET();
    }

    private HttpRequest.Builder request(URI uri, boolean withToken) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(30))
                .header("User-Agent", userAgent)
                // The real size, not a compressed one; huggingface_hub asks the same.
                .header("Accept-Encoding", "identity");
        if (withToken && settings.token() != null) {
            builder.header("Authorization", "Bearer " + settings.token());
        }
        return builder;
    }

    private <T> HttpResponse<T> send(RepoSpec spec, HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        if (settings.offline()) {
            throw new HubException(
                    HubException.Reason.NOT_CACHED,
                    "cannot reach " + request.uri() + ": offline mode is on (HF_HUB_OFFLINE); " + spec
                            + " must be in the cache " + settings.cache());
        }
        try {
            return http.send(request, handler);
        } catch (IOException e) {
            throw new HubException(
                    HubException.Reason.NETWORK,
                    "cannot reach the Hub at " + settings.endpoint() + " for " + spec + ": " + describe(e),
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HubException(HubException.Reason.INTERRUPTED, spec + ": interrupted", e);
        }
    }

    static String describe(Throwable e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    /** As {@code hf_raise_for_status}: the Hub's error codes first, then the status. */
    private void raiseForStatus(RepoSpec spec, String file, int status, HttpHeaders headers, byte @Nullable [] body) {
        if (status < 400) {
            return;
        }
        String code = headers.firstValue("X-Error-Code").orElse("");
        String server = headers.firstValue("X-Error-Message").orElseGet(() -> serverMessage(body));
        String detail = server.isBlank() ? "" : " (the Hub says: " + server + ")";
        String what = file.isEmpty() ? spec.toString() : spec + ": " + file;
        String tokenHint = settings.token() == null
                ? "no token was sent; set HF_TOKEN (or log in with `hf auth login`) if you have access"
                : "the token from " + settings.tokenSource() + " was sent";
        switch (code) {
            case "RevisionNotFound" ->
                throw new HubException(
                        HubException.Reason.REVISION_NOT_FOUND,
                        spec.repo() + " has no revision '" + spec.revision() + "' (a branch, tag or commit)" + detail);
            case "EntryNotFound" ->
                throw new HubException(
                        HubException.Reason.FILE_NOT_FOUND, what + ": no such file in the repo" + detail);
            case "GatedRepo" ->
                throw new HubException(
                        HubException.Reason.GATED,
                        spec.repo() + " is gated: accept its conditions at " + settings.endpoint() + "/" + spec.repo()
                                + " with the account of your token; " + tokenHint + detail);
            case "RepoNotFound" -> {
                if (status != 401) {
                    throw new HubException(
                            HubException.Reason.REPO_NOT_FOUND,
                            "no model repo " + spec.repo() + " on " + settings.endpoint()
                                    + " (or it is private and the token cannot see it)" + detail);
                }
            }
            default -> {}
        }
        if (status == 401) {
            throw new HubException(
                    HubException.Reason.UNAUTHORIZED,
                    settings.token() == null
                            ? what + ": 401 Unauthorized: the repo is private, gated or missing; " + tokenHint
                            : what + ": 401 Unauthorized: the token from " + settings.tokenSource()
                                    + " was rejected (invalid or expired), or the repo does not exist" + detail);
        }
        if (status == 403) {
            throw new HubException(
                    HubException.Reason.FORBIDDEN,
                    what + ": 403 Forbidden: " + tokenHint + ", but it may not read this repo" + detail);
        }
        if (status == 404) {
            throw new HubException(HubException.Reason.FILE_NOT_FOUND, what + ": 404 Not Found" + detail);
        }
        throw new HubException(
                HubException.Reason.NETWORK, what + ": the Hub answered HTTP " + status + detail + "; try again later");
    }

    private static String serverMessage(byte @Nullable [] body) {
        if (body == null || body.length == 0) {
            return "";
        }
        try {
            JsonNode error = JSON.readTree(body).get("error");
            return error == null ? "" : error.isString() ? error.asString() : error.toString();
        } catch (JacksonException e) {
            return "";
        }
    }

    private static JsonNode json(RepoSpec spec, URI uri, byte[] body) {
        try {
            return JSON.readTree(body);
        } catch (JacksonException e) {
            throw new HubException(
                    HubException.Reason.NETWORK, spec + ": " + uri + " did not answer JSON: " + e.getOriginalMessage());
        }
    }

    private static @Nullable URI nextPage(URI current, HttpHeaders headers) {
        for (String link : headers.allValues("Link")) {
            Matcher m = NEXT_LINK.matcher(link);
            if (m.find()) {
                return current.resolve(m.group(1));
            }
        }
        return null;
    }

    /** {@code {endpoint}/api/models/{repo}/{kind}/{revision}}, the revision quoted with no safe characters. */
    private URI api(RepoSpec spec, String kind, String revision, String suffix) {
        return URI.create(settings.endpoint() + "/api/models/" + spec.repo() + "/" + kind + "/" + quote(revision, false)
                + suffix);
    }

    /** {@code {endpoint}/{repo}/resolve/{revision}/{file}}, as {@code hf_hub_url}. */
    URI resolveUri(RepoSpec spec, String revision, String file) {
        return URI.create(settings.endpoint() + "/" + spec.repo() + "/resolve/" + quote(revision, false) + "/"
                + quote(file, true));
    }

    /** Percent-encoding as Python's {@code urllib.parse.quote}: unreserved characters kept, '/' if asked. */
    static String quote(String value, boolean keepSlash) {
        String encoded = URLEncoder.encode(value, StandardCharsets.UTF_8)
                .replace("+", "%20")
                .replace("%7E", "~");
        return keepSlash ? encoded.replace("%2F", "/") : encoded;
    }

    /** {@code W/"abc"} or {@code "abc"} to {@code abc}, as {@code _normalize_etag}. */
    static String normalizeEtag(String etag) {
        String e = etag.strip();
        if (e.startsWith("W/")) {
            e = e.substring(2);
        }
        return e.replace("\"", "");
    }

    @Override
    public void close() {
        http.close();
    }
}
