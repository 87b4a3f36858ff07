package io.koclip.search.text;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The text known about one image, one component per {@link TextSource} so that each can be weighted.
 * Values are cleaned (Unicode NFC, no NUL or control characters, whitespace collapsed), never blank,
 * and unique within a component ignoring case; a description equal to a title is kept only as the title.
 *
 * @param titles titles ({@link TextSource#TITLE}), single-line
 * @param descriptions descriptions and comments ({@link TextSource#DESCRIPTION}), may span lines
 * @param keywords keywords and tags ({@link TextSource#KEYWORDS}), one per value, single-line
 * @param sidecar the text of the image's {@code .txt} sidecar(s) ({@link TextSource#SIDECAR}), may span lines
 * @param pathWords words of the folder and file names ({@link TextSource#PATH_WORDS}), single words
 * @param captions captions from a data set's caption file ({@link TextSource#CAPTION}), may span lines
 */
public record ImageText(
        List<String> titles,
        List<String> descriptions,
        List<String> keywords,
        List<String> sidecar,
        List<String> pathWords,
        List<String> captions) {

    /** No text at all. */
    public static final ImageText EMPTY =
            new ImageText(List.of(), List.of(), List.of(), List.of(), List.of(), List.of());

    /**
     * Which sources survive a total cap: the ones first in this list. What the owner typed about this
     * very image outranks what is shared with neighbours (a folder name) or long free text (a sidecar).
     */
    static final List<TextSource> KEEP_ORDER = List.of(
            TextSource.TITLE,
            TextSource.KEYWORDS,
            TextSource.CAPTION,
            TextSource.DESCRIPTION,
            TextSource.PATH_WORDS,
            TextSource.SIDECAR);

    public ImageText {
        titles = List.copyOf(titles);
        descriptions = List.copyOf(descriptions);
        keywords = List.copyOf(keywords);
        sidecar = List.copyOf(sidecar);
        pathWords = List.copyOf(pathWords);
        captions = List.copyOf(captions);
    }

    /** A builder that cleans and deduplicates what it is given. */
    public static Builder builder() {
        return new Builder();
    }

    /** The values of one source, in the order they were found. */
    public List<String> values(TextSource source) {
        return switch (source) {
            case TITLE -> titles;
            case DESCRIPTION -> descriptions;
            case KEYWORDS -> keywords;
            case SIDECAR -> sidecar;
            case PATH_WORDS -> pathWords;
            case CAPTION -> captions;
        };
    }

    /** The values of one source joined by newlines, for one index field; empty when there are none. */
    public String text(TextSource source) {
        return String.join("\n", values(source));
    }

    /** The non-empty sources and their joined text, in {@link TextSource} order. */
    public Map<TextSource, String> fields() {
        Map<TextSource, String> fields = new EnumMap<>(TextSource.class);
        for (TextSource source : TextSource.values()) {
            if (!values(source).isEmpty()) {
                fields.put(source, text(source));
            }
        }
        return fields;
    }

    /** True when no source has any value. */
    public boolean isEmpty() {
        for (TextSource source : TextSource.values()) {
            if (!values(source).isEmpty()) {
                return false;
            }
        }
        return true;
    }

    /** This text's values followed by {@code other}'s, per source, deduplicated; not capped ({@link #capped}). */
    public ImageText merge(ImageText other) {
        return builder().addAll(this).addAll(other).build();
    }

    /**
     * This text within {@code limits}: each source cut to {@link TextLimits#fieldChars} (values are
     * counted with one separator each), then sources dropped or cut from the end of {@link #KEEP_ORDER}
     * until the whole fits {@link TextLimits#totalChars}. A value is cut at a word boundary where one
     * is near. Every cut is a warning.
     */
    public ExtractedText capped(TextLimits limits) {
        List<String> warnings = new ArrayList<>();
        Map<TextSource, List<String>> kept = new EnumMap<>(TextSource.class);
        int total = 0;
        for (TextSource source : KEEP_ORDER) {
            List<String> values = values(source);
            int length = length(values);
            List<String> cut = values;
            if (length > limits.fieldChars()) {
                cut = cut(values, limits.fieldChars());
                warnings.add(source.key() + ": " + length + " chars, over the cap of " + limits.fieldChars()
                        + " per source; " + (length - length(cut)) + " chars cut");
            }
            int room = limits.totalChars() - total;
            int cutLength = length(cut);
            if (cutLength > room) {
                List<String> fitted = cut(cut, room);
                warnings.add(source.key() + ": " + (cutLength - length(fitted)) + " chars cut to keep the image's text"
                        + " within " + limits.totalChars() + " chars");
                cut = fitted;
            }
            total += length(cut);
            kept.put(source, cut);
        }
        ImageText text = new ImageText(
                kept.get(TextSource.TITLE),
                kept.get(TextSource.DESCRIPTION),
                kept.get(TextSource.KEYWORDS),
                kept.get(TextSource.SIDECAR),
                kept.get(TextSource.PATH_WORDS),
                kept.get(TextSource.CAPTION));
        return new ExtractedText(text, warnings);
    }

    /**
     * SHA-256 (hex) of all values and their sources: equal for equal texts, so that ingest can tell
     * whether an image's text changed without comparing the fields.
     */
    public String fingerprint() {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
        for (TextSource source : TextSource.values()) {
            sha.update(source.key().getBytes(StandardCharsets.UTF_8));
            for (String value : values(source)) {
                sha.update((byte) 0);
                sha.update(value.getBytes(StandardCharsets.UTF_8));
            }
            sha.update((byte) 1);
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    /** Values plus one separator each. */
    private static int length(List<String> values) {
        int length = 0;
        for (String v : values) {
            length += v.length() + 1;
        }
        return Math.max(0, length - 1);
    }

    /** The longest prefix of {@code values} within {@code room} chars, the last value cut if needed. */
    private static List<String> cut(List<String> values, int room) {
        List<String> out = new ArrayList<>();
        int used = 0;
        for (String v : values) {
            int separator = out.isEmpty() ? 0 : 1;
            if (used + separator + v.length() <= room) {
                out.add(v);
                used += separator + v.length();
                continue;
            }
            int left = room - used - separator;
            String prefix = left > 0 ? prefix(v, left) : "";
            if (!prefix.isEmpty()) {
                out.add(prefix);
            }
            break;
        }
        return out;
    }

    /** At most {@code max} chars of {@code v}, ending at a word boundary within the last 32 chars when there is one. */
    static String prefix(String v, int max) {
        if (v.length() <= max) {
            return v;
        }
        int end = max;
        if (Character.isLowSurrogate(v.charAt(end)) && end > 0) {
            end--; // never split a surrogate pair
        }
        for (int i = end; i > Math.max(0, end - 32); i--) {
            if (Character.isWhitespace(v.charAt(i))) {
                end = i;
                break;
            }
        }
        return v.substring(0, end).strip();
    }

    /**
     * Collects values per source, cleaning each ({@link TextDecoding#clean}) and dropping blank ones and
     * ones already present in that source (ignoring case). Not thread-safe.
     */
    public static final class Builder {
        private final Map<TextSource, LinkedHashSet<String>> values = new EnumMap<>(TextSource.class);
        private final Map<TextSource, Set<String>> seen = new EnumMap<>(TextSource.class);

        private Builder() {
            for (TextSource source : TextSource.values()) {
                values.put(source, new LinkedHashSet<>());
                seen.put(source, new HashSet<>());
            }
        }

        /** Adds one value to {@code source}; null, blank and repeated values are ignored. */
        public Builder add(TextSource source, @Nullable String value) {
            if (value == null) {
                return this;
            }
            String clean = TextDecoding.clean(value, multiline(source));
            if (!clean.isEmpty() && seen.get(source).add(key(clean))) {
                values.get(source).add(clean);
            }
            return this;
        }

        /** Adds each value to {@code source}. */
        public Builder addAll(TextSource source, Iterable<String> more) {
            more.forEach(v -> add(source, v));
            return this;
        }

        /** Adds every value of {@code text}, source by source. */
        public Builder addAll(ImageText text) {
            for (TextSource source : TextSource.values()) {
                addAll(source, text.values(source));
            }
            return this;
        }

        /** True when nothing was added yet. */
        public boolean isEmpty() {
            return values.values().stream().allMatch(Set::isEmpty);
        }

        /** The text, uncapped; a description equal to a title (ignoring case) is dropped. */
        public ImageText build() {
            Set<String> titleKeys = seen.get(TextSource.TITLE);
            List<String> descriptions = values.get(TextSource.DESCRIPTION).stream()
                    .filter(d -> !titleKeys.contains(key(d)))
                    .toList();
            return new ImageText(
                    List.copyOf(values.get(TextSource.TITLE)),
                    descriptions,
                    List.copyOf(values.get(TextSource.KEYWORDS)),
                    List.copyOf(values.get(TextSource.SIDECAR)),
                    List.copyOf(values.get(TextSource.PATH_WORDS)),
                    List.copyOf(values.get(TextSource.CAPTION)));
        }

        private static boolean multiline(TextSource source) {
            return source == TextSource.DESCRIPTION || source == TextSource.SIDECAR || source == TextSource.CAPTION;
        }

        private static String key(String clean) {
            return clean.replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
        }
    }
}
