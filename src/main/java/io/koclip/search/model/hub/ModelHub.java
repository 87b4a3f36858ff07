package io.koclip.search.model.hub;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pulls models from the Hub into the {@code huggingface_hub} cache and finds them there.
 *
 * <p>{@link #pull} asks the Hub which commit the revision names, lists the repo, picks the files
 * the model needs ({@link FileSelection}) and fetches those not yet cached, each verified against
 * its ETag (SHA-256 for LFS files, git blob SHA-1 for the rest) before it is moved into
 * {@code blobs/} and linked from {@code snapshots/{commit}/}. {@link #locate} answers from the cache
 * without the network when the revision's snapshot is complete, and pulls otherwise. With
 * {@link HubSettings#offline()} nothing is downloaded.
 *
 * <p>A snapshot counts as complete when its layout's key file is present ({@code model.json} or
 * {@code config.json}) together with the files that file implies: a pull links the key file last,
 * so an interrupted pull never looks complete.
 *
 * <p>Not thread-safe; one pull at a time per instance. Close it to release the HTTP client.
 */
public final class ModelHub implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ModelHub.class);
    private static final List<String> IMMICH_REQUIRED = List.of(
            "visual/model.onnx",
            "visual/preprocess_cfg.json",
            "textual/model.onnx",
            "textual/tokenizer.json",
            "config.json");

    private final HubSettings settings;
    private final HubCache cache;
    private final HubClient client;

    public ModelHub(HubSettings settings) {
        this.settings = settings;
        this.cache = new HubCache(settings.cache());
        this.client = new HubClient(settings);
    }

    public HubSettings settings() {
        return settings;
    }

    /** The cached snapshot when complete, else a pull (unless offline). */
    public PulledModel locate(RepoSpec spec, TransferListener listener) {
        Optional<PulledModel> cached = cached(spec);
        if (cached.isPresent()) {
            log.debug("{} found in the cache at {}", spec, cached.get().folder());
            return cached.get();
        }
        return pull(spec, listener);
    }

    /**
     * Only the tokenizer files of a repo (for a checkpoint without its own: KoCLIP's Flax repos take
     * klue/roberta-large's); {@code tokenizer_config.json} or the last of them marks it complete.
     */
    public PulledModel pullTokenizer(RepoSpec spec, TransferListener listener) {
        Optional<String> cachedCommit = cache.cachedCommit(spec);
        if (cachedCommit.isPresent()) {
            Path snapshot = cache.snapshot(spec, cachedCommit.get());
            if (FileSelection.hasTokenizer(presentFiles(snapshot))) {
                return new PulledModel(spec, cachedCommit.get(), snapshot, 0);
            }
        }
        if (settings.offline()) {
            throw new HubException(
                    HubException.Reason.NOT_CACHED,
                    "the tokenizer of " + spec + " is not in the cache " + settings.cache()
                            + " and offline mode (HF_HUB_OFFLINE) forbids downloading it");
        }
        String commit = client.commit(spec);
        Set<String> names = new java.util.HashSet<>();
        for (HubClient.RemoteFile file : client.listFiles(spec, commit)) {
            names.add(file.path());
        }
        List<String> selected = FileSelection.tokenizer(names);
        if (!FileSelection.hasTokenizer(selected)) {
            throw new HubException(HubException.Reason.NOT_A_MODEL, spec + " has no tokenizer.json or vocab.txt");
        }
        try {
            cache.writeRef(spec, commit);
            long bytes = 0;
            for (String file : selected) {
                Path linked = fetch(spec, commit, file, listener, true);
                bytes += Files.size(linked);
            }
            return new PulledModel(spec, commit, cache.snapshot(spec, commit), bytes);
        } catch (IOException e) {
            throw HubClient.writeFailure(cache.repoFolder(spec), e);
        }
    }

    /** Fetches what is missing of the revision's current commit; offline, answers from the cache. */
    public PulledModel pull(RepoSpec spec, TransferListener listener) {
        if (settings.offline()) {
            return cached(spec)
                    .orElseThrow(() -> new HubException(
                            HubException.Reason.NOT_CACHED,
                            spec + " is not in the cache " + settings.cache() + " and offline mode (HF_HUB_OFFLINE)"
                                    + " forbids downloading it; run `koclip-search models pull " + spec.repo() + "@"
                                    + spec.revision() + "` where the Hub is reachable"));
        }
        String commit = client.commit(spec);
        Map<String, HubClient.RemoteFile> files = new LinkedHashMap<>();
        for (HubClient.RemoteFile file : client.listFiles(spec, commit)) {
            files.put(file.path(), file);
        }
        try {
            cache.writeRef(spec, commit);
            FileSelection.Layout layout = FileSelection.layout(spec, files.keySet());
            List<String> selected;
            String keyFile;
            Path keyBlob = null;
            if (layout == FileSelection.Layout.KOCLIP) {
                keyFile = FileSelection.MANIFEST;
                keyBlob = fetch(spec, commit, keyFile, listener, false);
                selected = FileSelection.koclip(spec, Files.readAllBytes(keyBlob), files.keySet());
            } else if (layout == FileSelection.Layout.CHECKPOINT) {
                keyFile = "config.json";
                selected = FileSelection.checkpoint(files.keySet());
            } else {
                keyFile = "config.json";
                selected = FileSelection.immich(files.keySet());
                for (String required : IMMICH_REQUIRED) {
                    if (!files.containsKey(required)) {
                        throw new HubException(
                                HubException.Reason.NOT_A_MODEL,
                                spec + " looks like an Immich CLIP export but has no " + required);
                    }
                }
            }
            checkSpace(spec, commit, selected, files);
            long bytes = 0;
            for (String file : selected) {
                HubClient.RemoteFile remote = files.get(file);
                bytes += remote == null ? 0 : Math.max(0, remote.size());
                if (!file.equals(keyFile)) {
                    fetch(spec, commit, file, listener, true);
                }
            }
            // The key file last: its presence marks the snapshot complete.
            Path blob = keyBlob != null ? keyBlob : fetch(spec, commit, keyFile, listener, false);
            HubCache.link(blob, cache.pointer(spec, commit, keyFile));
            return new PulledModel(spec, commit, cache.snapshot(spec, commit), bytes);
        } catch (IOException e) {
            throw HubClient.writeFailure(cache.repoFolder(spec), e);
        }
    }

    /** True when the snapshot is a checkpoint that the export tool must turn into a bundle first. */
    public static boolean isCheckpoint(Path snapshot) {
        return !Files.isRegularFile(snapshot.resolve(FileSelection.MANIFEST))
                && !Files.isDirectory(snapshot.resolve("visual"))
                && !Files.isDirectory(snapshot.resolve("textual"))
                && Files.isRegularFile(snapshot.resolve("config.json"));
    }

    /** Every cached model repo. */
    public List<CachedModel> list() {
        return cache.list();
    }

    /** Deletes a repo from the cache; false when it was not there. */
    public boolean remove(RepoSpec spec) {
        try {
            return cache.remove(spec);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + cache.repoFolder(spec) + ": " + e.getMessage(), e);
        }
    }

    /** The complete snapshot of the revision in the cache, if any. */
    public Optional<PulledModel> cached(RepoSpec spec) {
        Optional<String> commit = cache.cachedCommit(spec);
        if (commit.isEmpty()) {
            return Optional.empty();
        }
        Path snapshot = cache.snapshot(spec, commit.get());
        List<String> needed = neededFiles(spec, snapshot);
        if (needed.isEmpty()) {
            return Optional.empty();
        }
        long bytes = 0;
        for (String file : needed) {
            Path path = snapshot.resolve(file);
            if (!Files.isRegularFile(path)) {
                return Optional.empty();
            }
            try {
                bytes += Files.size(path);
            } catch (IOException e) {
                return Optional.empty();
            }
        }
        return Optional.of(new PulledModel(spec, commit.get(), snapshot, bytes));
    }

    private List<String> neededFiles(RepoSpec spec, Path snapshot) {
        Path manifest = snapshot.resolve(FileSelection.MANIFEST);
        if (Files.isRegularFile(manifest)) {
            Set<String> present = presentFiles(snapshot);
            try {
                return FileSelection.koclip(spec, Files.readAllBytes(manifest), present);
            } catch (HubException | IOException e) {
                return List.of();
            }
        }
        if (Files.isRegularFile(snapshot.resolve("config.json"))) {
            Set<String> present = presentFiles(snapshot);
            if (present.stream().anyMatch(f -> f.startsWith("visual/") || f.startsWith("textual/"))) {
                return IMMICH_REQUIRED;
            }
            List<String> checkpoint = FileSelection.checkpoint(present);
            // config.json alone is not a checkpoint: its weights must be there too
            return checkpoint.size() > 1 && FileSelection.WEIGHTS.contains(checkpoint.get(0)) ? checkpoint : List.of();
        }
        return List.of();
    }

    private static Set<String> presentFiles(Path snapshot) {
        try (var walk = Files.walk(snapshot)) {
            return walk.filter(Files::isRegularFile)
                    .map(p -> snapshot.relativize(p).toString().replace('\\', '/'))
                    .collect(java.util.stream.Collectors.toSet());
        } catch (IOException e) {
            return Set.of();
        }
    }

    /** Refuses to start a pull that cannot fit, before any byte is written. */
    private void checkSpace(
            RepoSpec spec, String commit, List<String> selected, Map<String, HubClient.RemoteFile> files)
            throws IOException {
        long needed = 0;
        for (String file : selected) {
            HubClient.RemoteFile remote = files.get(file);
            if (remote != null && remote.size() > 0 && !Files.exists(cache.pointer(spec, commit, file))) {
                needed += remote.size();
            }
        }
        Path folder = cache.repoFolder(spec);
        Files.createDirectories(folder);
        long free = Files.getFileStore(folder).getUsableSpace();
        if (needed > free) {
            throw new HubException(
                    HubException.Reason.DISK_FULL,
                    spec + " needs " + mib(needed) + " but " + folder + " has " + mib(free)
                            + " free; free some space or point HF_HUB_CACHE at a bigger disk");
        }
    }

    /**
     * Makes one file available: the snapshot link when present, else the blob (downloaded and
     * verified when missing). Returns the blob, or the pointer when it already existed.
     */
    private Path fetch(RepoSpec spec, String commit, String file, TransferListener listener, boolean link)
            throws IOException {
        Path pointer = cache.pointer(spec, commit, file);
        if (Files.exists(pointer)) {
            listener.finished(file, Files.size(pointer), false);
            return pointer;
        }
        HubClient.FileMetadata meta = client.metadata(spec, commit, file);
        Path blob = cache.blob(spec, meta.etag());
        boolean downloaded = false;
        if (!Files.isRegularFile(blob)) {
            downloadVerified(spec, file, meta, blob, listener);
            downloaded = true;
        }
        if (link) {
            HubCache.link(blob, pointer);
        }
        listener.finished(file, meta.size(), downloaded);
        return blob;
    }

    private void downloadVerified(
            RepoSpec spec, String file, HubClient.FileMetadata meta, Path blob, TransferListener listener)
            throws IOException {
        Files.createDirectories(blob.getParent());
        Path incomplete = cache.incomplete(blob);
        for (int attempt = 0; ; attempt++) {
            long have = Files.exists(incomplete) ? Files.size(incomplete) : 0;
            if (have > meta.size()) {
                Files.delete(incomplete);
                have = 0;
            }
            if (have < meta.size()) {
                long free = Files.getFileStore(blob.getParent()).getUsableSpace();
                if (meta.size() - have > free) {
                    throw new HubException(
                            HubException.Reason.DISK_FULL,
                            spec + ": " + file + " needs " + mib(meta.size() - have) + " more but " + blob.getParent()
                                    + " has " + mib(free) + " free");
                }
                try {
                    client.download(spec, file, meta, incomplete, listener);
                } catch (IOException e) {
                    long got = Files.exists(incomplete) ? Files.size(incomplete) : 0;
                    if (attempt < settings.retries()) {
                        log.warn(
                                "{}: {} broke after {} of {} bytes ({}); resuming",
                                spec,
                                file,
                                got,
                                meta.size(),
                                HubClient.describe(e));
                        pause();
                        continue;
                    }
                    throw new HubException(
                            HubException.Reason.INTERRUPTED,
                            spec + ": the transfer of " + file + " broke after " + mib(got) + " of " + mib(meta.size())
                                    + " (" + HubClient.describe(e) + "); the partial file is kept: run the same"
                                    + " command again to resume",
                            e);
                }
            }
            verify(spec, file, meta, incomplete);
            HubCache.move(incomplete, blob);
            return;
        }
    }

    private void pause() {
        try {
            Thread.sleep(settings.retryDelay());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HubException(HubException.Reason.INTERRUPTED, "interrupted while waiting to resume a transfer");
        }
    }

    /**
     * Size, then content: a 64-hex ETag is the LFS SHA-256 of the file, a 40-hex one its git blob
     * SHA-1 ({@code sha1("blob " + size + "\0" + content)}). A mismatch deletes the partial file.
     */
    private static void verify(RepoSpec spec, String file, HubClient.FileMetadata meta, Path incomplete)
            throws IOException {
        long size = Files.size(incomplete);
        String etag = meta.etag().toLowerCase(java.util.Locale.ROOT);
        String actual = null;
        if (size == meta.size()) {
            if (etag.matches("[0-9a-f]{64}")) {
                actual = digest("SHA-256", null, incomplete);
            } else if (etag.matches("[0-9a-f]{40}")) {
                actual = digest("SHA-1", ("blob " + size + "\0").getBytes(StandardCharsets.US_ASCII), incomplete);
            } else {
                log.debug("{}: {} has a non-hash ETag '{}'; only its size is checked", spec, file, etag);
                return;
            }
            if (actual.equals(etag)) {
                return;
            }
        }
        Files.deleteIfExists(incomplete);
        throw new HubException(
                HubException.Reason.INTEGRITY,
                spec + ": " + file + " is corrupt: "
                        + (size != meta.size()
                                ? size + " bytes arrived, the Hub announced " + meta.size()
                                : "its hash is " + actual + " but the Hub's ETag is " + etag)
                        + "; the download was discarded, run the command again");
    }

    private static String digest(String algorithm, byte[] prefix, Path file) throws IOException {
        try {
            MessageDigest digest = MessageDigest.getInstance(algorithm);
            if (prefix != null) {
                digest.update(prefix);
            }
            byte[] buffer = new byte[1 << 20];
            try (InputStream in = Files.newInputStream(file)) {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    digest.update(buffer, 0, n);
                }
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is missing from this JVM", e);
        }
    }

    static String mib(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
    }

    @Override
    public void close() {
        client.close();
    }

    /** For tests and {@code models list}: the files a snapshot holds, relative and sorted. */
    static List<String> snapshotFiles(Path snapshot) {
        List<String> files = new ArrayList<>(presentFiles(snapshot));
        files.sort(null);
        return files;
    }
}
