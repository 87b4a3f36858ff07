package io.koclip.search.search;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.koclip.search.index.ImageDocument;
import io.koclip.search.index.IndexedFile;
import io.koclip.search.index.SearchFilter;
import io.koclip.search.index.VectorIndex;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Groups of near-duplicate images: images whose embeddings are within a cosine distance
 * ({@code 1 − cosine}) of each other. Computed with the index's kNN, not all pairs: each image asks
 * for its {@value #NEIGHBOURS} nearest neighbours, every neighbour within the distance links the two,
 * and the links are joined with union-find, so a group is a connected component (a chain of links,
 * which is how more than {@value #NEIGHBOURS} copies of one picture still form one group). Byte-equal
 * copies have equal embeddings and are always in one group.
 *
 * <p>Cost: one stored-vector read and one kNN query per indexed image. The groups of one distance are
 * cached until the indexed files change (a digest of every id, content hash and modification time,
 * read without vectors on each request).
 *
 * <p>Order, deterministic: groups by size (largest first), then by their first path; the images of a
 * group by path. Each image's score is its cosine similarity to the group's first image.
 *
 * <p>Thread-safe: the cache is; two concurrent misses compute the same groups.
 */
public final class NearDuplicates {
    /**
     * The default {@code maxDistance}: measured on the demo corpus by {@code NearDuplicateDistanceTest}
     * (docs/api.md, "Near-duplicates"), above every re-encoded or resized copy's distance to its
     * original and below the distance of nearly every pair of distinct images.
     */
    public static final double DEFAULT_MAX_DISTANCE = 0.01;

    /** The largest {@code maxDistance} a request may ask for. */
    public static final double MAX_DISTANCE = 0.5;

    /** Neighbours each image asks the index for. */
    public static final int NEIGHBOURS = 10;

    /** Default and largest groups per page. */
    public static final int DEFAULT_PAGE_SIZE = 20;

    public static final int MAX_PAGE_SIZE = 100;

    private final String model;
    private final SearchableIndex index;
    private final Retriever retriever;
    private final RequestTimer timer;
    private final Cache<Double, Computed> cache =
            Caffeine.newBuilder().maximumSize(4).build();

    /** Groups computed for one state of the index. */
    private record Computed(String files, List<List<RankedImage>> groups) {}

    /**
     * @param model the bundle's name, for the answer
     * @param retriever the vector retriever (kNN with the candidate policy)
     */
    public NearDuplicates(String model, SearchableIndex index, Retriever retriever, RequestTimer timer) {
        this.model = model;
        this.index = index;
        this.retriever = retriever;
        this.timer = timer;
    }

    /**
     * One page of groups.
     *
     * @param maxDistance cosine distance in [0, {@value #MAX_DISTANCE}], null for {@link #DEFAULT_MAX_DISTANCE}
     * @param page 0-based page of groups
     * @param size groups per page, in [1, {@value #MAX_PAGE_SIZE}], null for {@value #DEFAULT_PAGE_SIZE}
     * @throws InvalidRequestException naming {@code maxDistance}, {@code page} or {@code size}
     */
    public DuplicatePage find(@Nullable Double maxDistance, int page, @Nullable Integer size) {
        long start = System.nanoTime();
        double distance = maxDistance == null ? DEFAULT_MAX_DISTANCE : maxDistance;
        if (!(distance >= 0 && distance <= MAX_DISTANCE)) {
            throw new InvalidRequestException("maxDistance", maxDistance + " is not in [0, " + MAX_DISTANCE + "]");
        }
        if (page < 0) {
            throw new InvalidRequestException("page", page + " must be >= 0");
        }
        int pageSize = size == null ? DEFAULT_PAGE_SIZE : size;
        InvalidRequestException.checkRange("size", pageSize, 1, MAX_PAGE_SIZE);
        List<List<RankedImage>> groups = index.search(i -> {
            List<IndexedFile> files = new ArrayList<>();
            i.forEachIndexedFile(files::add);
            files.sort(Comparator.comparing(IndexedFile::id));
            String digest = digest(files);
            Computed cached = cache.getIfPresent(distance);
            if (cached != null && cached.files().equals(digest)) {
                return cached.groups();
            }
            List<List<RankedImage>> computed = compute(i, files, distance);
            cache.put(distance, new Computed(digest, computed));
            return computed;
        });
        int images = groups.stream().mapToInt(List::size).sum();
        long from = Math.min((long) page * pageSize, groups.size());
        List<List<RankedImage>> slice = groups.subList((int) from, (int) Math.min(from + pageSize, groups.size()));
        return new DuplicatePage(
                model, timer.stop("duplicates", start), distance, page, pageSize, groups.size(), images, slice);
    }

    private List<List<RankedImage>> compute(VectorIndex i, List<IndexedFile> files, double maxDistance)
            throws IOException {
        Map<String, Integer> position = new LinkedHashMap<>();
        for (int f = 0; f < files.size(); f++) {
            position.put(files.get(f).id(), f);
        }
        int[] parent = new int[files.size()];
        for (int f = 0; f < parent.length; f++) {
            parent[f] = f;
        }
        double minCosine = 1 - maxDistance;
        Map<Integer, ImageDocument> linked = new LinkedHashMap<>(); // documents with at least one link, with vector
        for (int f = 0; f < files.size(); f++) {
            Optional<ImageDocument> found = i.get(files.get(f).id());
            if (found.isEmpty() || found.get().vector() == null) {
                continue; // removed since the listing
            }
            ImageDocument document = found.get();
            List<RetrievedHit> neighbours = retriever.retrieve(
                    i, new RetrievalQuery(document.vector(), null, SearchFilter.NONE), NEIGHBOURS + 1);
            for (RetrievedHit hit : neighbours) {
                Integer other = position.get(hit.document().id());
                // the 1e-6 absorbs float rounding: identical vectors score 0.9999999 as often as 1
                if (other == null || other == f || hit.score() < minCosine - 1e-6) {
                    continue;
                }
                union(parent, f, other);
                linked.put(f, document);
            }
        }
        Map<Integer, List<Integer>> components = new LinkedHashMap<>();
        for (int f = 0; f < files.size(); f++) {
            components.computeIfAbsent(find(parent, f), r -> new ArrayList<>()).add(f);
        }
        List<List<RankedImage>> groups = new ArrayList<>();
        for (List<Integer> members : components.values()) {
            if (members.size() < 2) {
                continue;
            }
            List<ImageDocument> documents = new ArrayList<>();
            for (int f : members) {
                ImageDocument d = linked.get(f);
                if (d == null) { // linked only as someone's neighbour
                    d = i.get(files.get(f).id()).orElse(null);
                }
                if (d != null && d.vector() != null) {
                    documents.add(d);
                }
            }
            if (documents.size() < 2) {
                continue;
            }
            documents.sort(Comparator.comparing(ImageDocument::path).thenComparing(ImageDocument::id));
            float[] first = documents.get(0).vector();
            List<RankedImage> group = new ArrayList<>();
            for (ImageDocument d : documents) {
                float score = (float) Math.min(1.0, cosine(first, d.vector()));
                group.add(new RankedImage(
                        d.id(), d.path(), score, d.width(), d.height(), d.format(), d.bytes(), d.modified(), 0));
            }
            groups.add(List.copyOf(group));
        }
        groups.sort(Comparator.comparingInt((List<RankedImage> g) -> -g.size())
                .thenComparing(g -> g.get(0).path()));
        return List.copyOf(groups);
    }

    /** The dot product, which is the cosine of two unit vectors. */
    static double cosine(float[] a, float[] b) {
        double dot = 0;
        for (int d = 0; d < a.length; d++) {
            dot += (double) a[d] * b[d];
        }
        return dot;
    }

    private static int find(int[] parent, int x) {
        while (parent[x] != x) {
            parent[x] = parent[parent[x]]; // path halving
            x = parent[x];
        }
        return x;
    }

    private static void union(int[] parent, int a, int b) {
        int ra = find(parent, a);
        int rb = find(parent, b);
        if (ra != rb) {
            parent[Math.max(ra, rb)] = Math.min(ra, rb);
        }
    }

    private static String digest(List<IndexedFile> files) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (IndexedFile f : files) {
                sha.update((f.id() + '\0' + f.contentHash() + '\0' + f.modified() + '\n')
                        .getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
