package io.koclip.search.bench;

import io.koclip.search.index.SearchFilter;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.IntPredicate;

/**
 * The filter attributes of bench-knn's synthetic documents and the filters that select a known share
 * of them. Every base vector's ordinal gets a bucket in [0, {@link #BUCKETS}) from a fixed hash
 * (independent of the vector, so a filter is not correlated with the clusters), and its folder,
 * format and modification date encode that bucket so that a folder prefix, a format set and a date
 * range each select exactly the documents whose bucket is below {@code selectivity × BUCKETS}:
 *
 * <pre>
 *   path      s{b<50%}/t{b<10%}/h{b<1%}/k{b<0.1%}/ID   ("s0/t0/" = the 10% whose bucket is below 10 000)
 *   format    heic (b < 0.1%), webp (< 1%), png (< 10%), jpeg (< 50%), gif (the rest)
 *   modified  EPOCH_MS + b seconds
 * </pre>
 *
 * So the three kinds of filter at one selectivity select the same documents (one exact truth per
 * selectivity) through different Lucene queries (prefix, term set, point range). Stateless.
 */
final class BenchFilters {
    static final int BUCKETS = 100_000;
    static final long EPOCH_MS = 1_700_000_000_000L;
    /** The selectivities the folder and format attributes encode. */
    static final List<Double> SELECTIVITIES = List.of(0.5, 0.1, 0.01, 0.001);

    private static final String[] FORMATS = {"heic", "webp", "png", "jpeg"};

    private BenchFilters() {}

    /** A filter of bench-knn: its kind ("none", "folder", "format", "date"), share and search filter. */
    record Spec(String kind, double selectivity, SearchFilter filter) {
        /** Whether the document of base ordinal {@code ordinal} passes the filter. */
        IntPredicate accepts() {
            if (kind.equals("none")) {
                return ordinal -> true;
            }
            int below = (int) Math.round(selectivity * BUCKETS);
            return ordinal -> bucket(ordinal) < below;
        }

        String label() {
            return kind.equals("none") ? "none" : kind + ":" + selectivity;
        }
    }

    /** The bucket of a base ordinal: a fixed 32-bit mix (murmur3's finalizer), then modulo. */
    static int bucket(int ordinal) {
        int h = ordinal * 0x9E3779B9;
        h ^= h >>> 16;
        h *= 0x85EBCA6B;
        h ^= h >>> 13;
        h *= 0xC2B2AE35;
        h ^= h >>> 16;
        return Math.floorMod(h, BUCKETS);
    }

    static String path(int ordinal) {
        int b = bucket(ordinal);
        return "s" + bit(b, 0.5) + "/t" + bit(b, 0.1) + "/h" + bit(b, 0.01) + "/k" + bit(b, 0.001) + "/" + ordinal;
    }

    static String format(int ordinal) {
        int b = bucket(ordinal);
        for (int i = 0; i < FORMATS.length; i++) {
            if (b < below(SELECTIVITIES.get(SELECTIVITIES.size() - 1 - i))) {
                return FORMATS[i];
            }
        }
        return "gif";
    }

    static long modified(int ordinal) {
        return EPOCH_MS + bucket(ordinal) * 1000L;
    }

    private static int bit(int bucket, double share) {
        return bucket < below(share) ? 0 : 1;
    }

    private static int below(double share) {
        return (int) Math.round(share * BUCKETS);
    }

    /**
     * Parses {@code none}, {@code KIND:SELECTIVITY} with KIND folder, format or date; folder and format
     * take the selectivities of {@link #SELECTIVITIES}, date any in (0, 1].
     */
    static Spec parse(String text) {
        String spec = text.trim().toLowerCase(Locale.ROOT);
        if (spec.equals("none")) {
            return new Spec("none", 1.0, SearchFilter.NONE);
        }
        int colon = spec.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("--filters: '" + text + "' is not none or KIND:SELECTIVITY"
                    + " (folder:0.1, format:0.01, date:0.5)");
        }
        String kind = spec.substring(0, colon);
        double s;
        try {
            s = Double.parseDouble(spec.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--filters: '" + text + "' has no number after the colon");
        }
        if (!(s > 0 && s <= 1)) {
            throw new IllegalArgumentException("--filters: selectivity " + s + " in '" + text + "' is not in (0, 1]");
        }
        boolean encoded = SELECTIVITIES.contains(s);
        SearchFilter filter = switch (kind) {
            case "folder" -> {
                requireEncoded(encoded, text);
                StringBuilder prefix = new StringBuilder();
                String[] levels = {"s", "t", "h", "k"};
                for (int i = 0; i <= SELECTIVITIES.indexOf(s); i++) {
                    prefix.append(levels[i]).append("0/");
                }
                yield new SearchFilter(prefix.toString(), null, null, null, null, Set.of());
            }
            case "format" -> {
                requireEncoded(encoded, text);
                int count = SELECTIVITIES.size() - SELECTIVITIES.indexOf(s);
                yield new SearchFilter(
                        null,
                        null,
                        null,
                        null,
                        null,
                        Set.copyOf(List.of(FORMATS).subList(0, count)));
            }
            case "date" -> new SearchFilter(null, null, null, EPOCH_MS, EPOCH_MS + (below(s) - 1) * 1000L, Set.of());
            default ->
                throw new IllegalArgumentException(
                        "--filters: kind '" + kind + "' in '" + text + "' is not folder, format or date");
        };
        return new Spec(kind, s, filter);
    }

    private static void requireEncoded(boolean encoded, String text) {
        if (!encoded) {
            throw new IllegalArgumentException(
                    "--filters: '" + text + "': folder and format filters take the selectivities " + SELECTIVITIES);
        }
    }
}
