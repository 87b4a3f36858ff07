package io.koclip.search.model.hub;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A local Hugging Face Hub for tests: the Hub's API and {@code resolve} endpoints on one server,
 * LFS content on a second one (the storage host) that the first redirects to, as huggingface.co
 * redirects to its CDN. Files of at least {@link #LFS_THRESHOLD} bytes are LFS files (ETag = SHA-256,
 * 302 to storage); smaller ones are served by the Hub itself (ETag = git blob SHA-1).
 *
 * <p>Fault injection: {@link #cutNextTransferAfter} closes the next storage transfer mid-body,
 * {@link #corruptStorage} serves wrong bytes, {@link #requireToken} makes repos private.
 */
public final class FakeHub implements AutoCloseable {
    static final int LFS_THRESHOLD = 1024;

    record Repo(String commit, Map<String, byte[]> files) {}

    record Request(String server, String method, String path, String range, String authorization) {}

    private final HttpServer hub;
    private final ServerSocket storage;
    private final Thread storageThread;
    private final Map<String, Repo> repos = new ConcurrentHashMap<>();
    private final Map<String, byte[]> blobs = new ConcurrentHashMap<>();
    final List<Request> requests = new CopyOnWriteArrayList<>();
    final AtomicLong cutAfter = new AtomicLong(-1);
    volatile boolean corruptStorage;
    volatile String requiredToken;
    volatile String gatedRepo;
    volatile int pageSize = 1000;
    final AtomicInteger treePages = new AtomicInteger();

    public FakeHub() throws IOException {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        hub = HttpServer.create(new InetSocketAddress(loopback, 0), 0);
        storage = new ServerSocket(0, 50, loopback);
        hub.createContext("/", this::hub);
        hub.start();
        storageThread = Thread.ofPlatform().daemon().name("fake-storage").start(this::serveStorage);
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + hub.getAddress().getPort());
    }

    /** Settings that reach this hub, with the cache in {@code cache}, no retries by default. */
    public HubSettings settings(Path cache, String token) {
        return new HubSettings(endpoint(), cache, token, token == null ? "none" : "HF_TOKEN", false, 0, Duration.ZERO);
    }

    /** Publishes {@code files} as repo {@code id} at a commit derived from their content; returns it. */
    public String publish(String id, Map<String, byte[]> files) {
        Map<String, byte[]> sorted = new TreeMap<>(files);
        StringBuilder all = new StringBuilder(id);
        sorted.forEach((name, bytes) -> {
            all.append(name).append(sha256(bytes));
            if (bytes.length >= LFS_THRESHOLD) {
                blobs.put(sha256(bytes), bytes);
            }
        });
        String commit = hex("SHA-1", all.toString().getBytes(StandardCharsets.UTF_8));
        repos.put(id, new Repo(commit, sorted));
        return commit;
    }

    long storageRequests() {
        return requests.stream().filter(r -> r.server().equals("storage")).count();
    }

    List<Request> hubRequests() {
        return requests.stream().filter(r -> r.server().equals("hub")).toList();
    }

    private void hub(HttpExchange exchange) throws IOException {
        try (exchange) {
            record(exchange, "hub");
            String path = URLDecoder.decode(exchange.getRequestURI().getRawPath(), StandardCharsets.UTF_8);
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            String[] parts = path.substring(1).split("/", 5);
            boolean api = parts[0].equals("api") && parts.length >= 5 && parts[1].equals("models");
            String repoId = api ? parts[2] + "/" + parts[3] : parts.length >= 2 ? parts[0] + "/" + parts[1] : "";
            if (requiredToken != null && !("Bearer " + requiredToken).equals(auth)) {
                // The real Hub: 401 with RepoNotFound when anonymous, "Invalid credentials" with a bad token.
                if (auth == null) {
                    error(exchange, 401, "RepoNotFound", "Repository not found");
                } else {
                    error(exchange, 401, null, "Invalid credentials in Authorization header");
                }
                return;
            }
            if (repoId.equals(gatedRepo)) {
                error(exchange, 403, "GatedRepo", "Access to model " + repoId + " is restricted.");
                return;
            }
            Repo repo = repos.get(repoId);
            if (repo == null) {
                error(exchange, 404, "RepoNotFound", "Repository not found");
                return;
            }
            if (api) {
                String[] rest = parts[4].split("/", 3);
                String kind = rest[0];
                String revision = rest.length > 1 ? rest[1] : "";
                if (!revision.equals("main") && !revision.equals(repo.commit())) {
                    error(exchange, 404, "RevisionNotFound", "Invalid rev id: " + revision);
                    return;
                }
                if (kind.equals("revision")) {
                    json(exchange, "{\"id\":\"" + repoId + "\",\"sha\":\"" + repo.commit() + "\"}", Map.of());
                } else {
                    tree(exchange, repo);
                }
                return;
            }
            // /{org}/{name}/resolve/{revision}/{file}
            String[] resolve = path.substring(1).split("/", 5);
            if (resolve.length < 5 || !resolve[2].equals("resolve")) {
                error(exchange, 404, null, "not a resolve url");
                return;
            }
            String revision = resolve[3];
            String file = resolve[4];
            if (!revision.equals("main") && !revision.equals(repo.commit())) {
                error(exchange, 404, "RevisionNotFound", "Invalid rev id: " + revision);
                return;
            }
            byte[] bytes = repo.files().get(file);
            if (bytes == null) {
                exchange.getResponseHeaders().set("X-Repo-Commit", repo.commit());
                error(exchange, 404, "EntryNotFound", "Entry not found");
                return;
            }
            var headers = exchange.getResponseHeaders();
            headers.set("X-Repo-Commit", repo.commit());
            boolean head = exchange.getRequestMethod().equals("HEAD");
            if (bytes.length >= LFS_THRESHOLD) {
                String sha = sha256(bytes);
                headers.set("ETag", "\"" + gitSha1(bytes) + "\"");
                headers.set("X-Linked-Etag", "\"" + sha + "\"");
                headers.set("X-Linked-Size", Long.toString(bytes.length));
                headers.set("Location", storageUri() + "/blobs/" + sha + "?signature=x");
                exchange.sendResponseHeaders(302, -1);
                return;
            }
            headers.set("ETag", "\"" + gitSha1(bytes) + "\"");
            if (head) {
                headers.set("Content-Length", Integer.toString(bytes.length));
                exchange.sendResponseHeaders(200, -1);
            } else {
                exchange.sendResponseHeaders(200, bytes.length);
                exchange.getResponseBody().write(bytes);
            }
        }
    }

    private void tree(HttpExchange exchange, Repo repo) throws IOException {
        treePages.incrementAndGet();
        String query = exchange.getRequestURI().getRawQuery();
        int start = 0;
        if (query != null && query.contains("cursor=")) {
            start = Integer.parseInt(
                    query.substring(query.indexOf("cursor=") + 7).split("&")[0]);
        }
        List<String> names = new ArrayList<>(repo.files().keySet());
        int end = Math.min(names.size(), start + pageSize);
        StringBuilder json = new StringBuilder("[");
        for (int i = start; i < end; i++) {
            byte[] bytes = repo.files().get(names.get(i));
            if (i > start) {
                json.append(',');
            }
            json.append("{\"type\":\"file\",\"oid\":\"")
                    .append(gitSha1(bytes))
                    .append("\",\"size\":")
                    .append(bytes.length)
                    .append(",\"path\":\"")
                    .append(names.get(i))
                    .append('"');
            if (bytes.length >= LFS_THRESHOLD) {
                json.append(",\"lfs\":{\"oid\":\"")
                        .append(sha256(bytes))
                        .append("\",\"size\":")
                        .append(bytes.length)
                        .append(",\"pointerSize\":134}");
            }
            json.append('}');
        }
        json.append(']');
        Map<String, String> extra = end < names.size()
                ? Map.of(
                        "Link",
                        "<" + exchange.getRequestURI().getPath() + "?recursive=true&cursor=" + end + ">; rel=\"next\"")
                : Map.of();
        json(exchange, json.toString(), extra);
    }

    /**
     * The storage host: a bare HTTP/1.1 server on a socket, one request per connection, so that a
     * cut really drops the connection in the middle of the body.
     */
    private void serveStorage() {
        while (!storage.isClosed()) {
            try (Socket socket = storage.accept()) {
                socket.setSoTimeout(10_000);
                storageRequest(socket);
            } catch (IOException e) {
                // closed server, or a client that went away
            }
        }
    }

    private void storageRequest(Socket socket) throws IOException {
        var in = new java.io.BufferedReader(
                new java.io.InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
        String requestLine = in.readLine();
        if (requestLine == null) {
            return;
        }
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (String line; (line = in.readLine()) != null && !line.isEmpty(); ) {
            int colon = line.indexOf(':');
            headers.put(
                    line.substring(0, colon).strip(), line.substring(colon + 1).strip());
        }
        String[] parts = requestLine.split(" ");
        String path = parts[1];
        requests.add(new Request("storage", parts[0], path, headers.get("Range"), headers.get("Authorization")));
        OutputStream out = socket.getOutputStream();
        if (headers.get("Authorization") != null) {
            // A signed storage URL must never receive the Hub token.
            respond(out, "400 Bad Request", "", new byte[0]);
            return;
        }
        String sha = path.substring("/blobs/".length()).split("\\?")[0];
        byte[] bytes = blobs.get(sha);
        if (bytes == null) {
            respond(out, "404 Not Found", "", new byte[0]);
            return;
        }
        if (corruptStorage) {
            bytes = bytes.clone();
            bytes[bytes.length / 2] ^= 0x5a;
        }
        String range = headers.get("Range");
        int from =
                range == null ? 0 : Integer.parseInt(range.replace("bytes=", "").replace("-", ""));
        int length = bytes.length - from;
        String status = range == null ? "200 OK" : "206 Partial Content";
        String extra = range == null
                ? ""
                : "Content-Range: bytes " + from + "-" + (bytes.length - 1) + "/" + bytes.length + "\r\n";
        out.write(
                ("HTTP/1.1 " + status + "\r\nContent-Length: " + length + "\r\nConnection: close\r\n" + extra + "\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
        long cut = cutAfter.getAndSet(-1);
        if (cut >= 0 && cut < length) {
            out.write(bytes, from, (int) cut);
            out.flush();
            // Close (FIN) with bytes missing: the client reads what came, then the body ends early.
            socket.shutdownOutput();
            return;
        }
        out.write(bytes, from, length);
        out.flush();
    }

    private static void respond(OutputStream out, String status, String headers, byte[] body) throws IOException {
        out.write(("HTTP/1.1 " + status + "\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n" + headers
                        + "\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
    }

    private void record(HttpExchange exchange, String server) {
        requests.add(new Request(
                server,
                exchange.getRequestMethod(),
                exchange.getRequestURI().toString(),
                exchange.getRequestHeaders().getFirst("Range"),
                exchange.getRequestHeaders().getFirst("Authorization")));
    }

    private String storageUri() {
        return "http://127.0.0.1:" + storage.getLocalPort();
    }

    private static void error(HttpExchange exchange, int status, String code, String message) throws IOException {
        if (code != null) {
            exchange.getResponseHeaders().set("X-Error-Code", code);
        }
        exchange.getResponseHeaders().set("X-Error-Message", message);
        byte[] body = ("{\"error\":\"" + message + "\"}").getBytes(StandardCharsets.UTF_8);
        if (exchange.getRequestMethod().equals("HEAD")) {
            exchange.sendResponseHeaders(status, -1);
        } else {
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    private static void json(HttpExchange exchange, String json, Map<String, String> headers) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        headers.forEach(exchange.getResponseHeaders()::set);
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
    }

    static String sha256(byte[] bytes) {
        return hex("SHA-256", bytes);
    }

    static String gitSha1(byte[] bytes) {
        byte[] header = ("blob " + bytes.length + "\0").getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[header.length + bytes.length];
        System.arraycopy(header, 0, all, 0, header.length);
        System.arraycopy(bytes, 0, all, header.length, bytes.length);
        return hex("SHA-1", all);
    }

    private static String hex(String algorithm, byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        hub.stop(0);
        try {
            storage.close();
        } catch (IOException e) {
            // already closed
        }
    }
}
