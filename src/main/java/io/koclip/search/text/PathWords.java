package io.koclip.search.text;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The words of an image's path relative to the source root: {@code 2024-제주도-여행/IMG_0012.jpg} →
 * {@code 2024, 제주도, 여행}.
 *
 * <ol>
 *   <li>The path is split into folder names and the file name; the file name loses its extension.
 *   <li>A name that is generated as a whole ({@link GeneratedNames#FOLDER_NAMES}, {@link
 *       GeneratedNames#FILE_NAMES}) gives no words; camera names inside a longer name are cut out
 *       ({@link GeneratedNames#EMBEDDED}).
 *   <li>The rest is split at every character that is not a letter, mark or digit ({@code - _ . , ( ) [ ]},
 *       spaces, …), then at camelCase humps ({@code JejuTrip} → {@code Jeju, Trip}; {@code HTMLPage} →
 *       {@code HTML, Page}) and between digits and Hangul ({@code 2024제주도} → {@code 2024, 제주도}).
 *       Digits and Latin letters stay together ({@code 4K}, {@code A7III}): the analyzer splits them
 *       alike at index and query time. Hangul runs are kept whole; the analyzer decompounds them.
 *   <li>Dropped: single Latin letters ({@code s} of {@code Mom's}), single digits (copy counters) and
 *       numbers of 9 or more digits (timestamps, ids). Repeats are dropped ignoring case.
 * </ol>
 *
 * <p>Thread-safe: stateless.
 */
final class PathWords {
    private static final Pattern SEPARATORS = Pattern.compile("[^\\p{L}\\p{M}\\p{N}]+");
    private static final Pattern HUMPS = Pattern.compile("(?<=\\p{Ll})(?=\\p{Lu})|(?<=\\p{Lu})(?=\\p{Lu}\\p{Ll})"
            + "|(?<=\\p{N})(?=[\\uAC00-\\uD7A3])|(?<=[\\uAC00-\\uD7A3])(?=\\p{N})");
    private static final Pattern EXTENSION = Pattern.compile("\\.[A-Za-z0-9]{1,5}$");

    private PathWords() {}

    /** The words of {@code relativePath} ('/' or '\' separators), in path order, without repeats. */
    static List<String> of(String relativePath) {
        String[] names = Normalizer.normalize(relativePath, Normalizer.Form.NFC).split("[/\\\\]+");
        Set<String> seen = new LinkedHashSet<>();
        List<String> words = new ArrayList<>();
        for (int i = 0; i < names.length; i++) {
            boolean file = i == names.length - 1;
            String name = file ? EXTENSION.matcher(names[i]).replaceFirst("") : names[i];
            if (name.isBlank() || name.equals(".") || name.equals("..")) {
                continue;
            }
            boolean generated =
                    file ? GeneratedNames.isGeneratedFileName(name) : GeneratedNames.isGeneratedFolderName(name);
            if (generated) {
                continue;
            }
            for (String word : words(GeneratedNames.withoutEmbedded(name))) {
                if (seen.add(word.toLowerCase(Locale.ROOT))) {
                    words.add(word);
                }
            }
        }
        return words;
    }

    private static List<String> words(String name) {
        List<String> out = new ArrayList<>();
        for (String piece : SEPARATORS.split(name)) {
            for (String word : HUMPS.split(piece)) {
                if (keep(word)) {
                    out.add(word);
                }
            }
        }
        return out;
    }

    private static boolean keep(String word) {
        if (word.isEmpty()) {
            return false;
        }
        boolean digits = word.chars().allMatch(Character::isDigit);
        if (digits) {
            return word.length() >= 2 && word.length() <= 8;
        }
        return !(word.length() == 1 && word.charAt(0) < 0x250); // a lone Latin letter
    }
}
