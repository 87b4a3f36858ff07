package io.koclip.search.model;

import java.util.List;
import java.util.Map;

/**
 * Turns a label or query into prompts with the bundle's per-language templates.
 *
 * <p>Language: Korean when the text contains a Hangul syllable or jamo, else English; a language
 * without templates in the bundle falls back to the other one, then to the raw text.
 *
 * <p>Korean copula: a template written {@code "{}이다"} follows the label's last syllable. After a
 * syllable with a final consonant (받침) it stays {@code 이다} ("빨간 원이다"); after an open syllable it
 * contracts to {@code 다} ("빨간 세모다", "강아지다"), the way a Korean writer would. A label that ends in
 * anything other than a Hangul syllable (digits, Latin letters) keeps {@code 이다}. Templates written
 * with a space ({@code "{} 이다"}, as in KoCLIP's own examples) are used as written.
 *
 * <p>Thread-safe: immutable.
 */
public final class PromptTemplates {
    private static final String COPULA = "{}이다";

    private final Map<String, List<String>> templates;

    public PromptTemplates(Map<String, List<String>> templates) {
        this.templates = Map.copyOf(templates);
    }

    /** {@code ko} when the text has Hangul, else {@code en}. */
    public static String language(String text) {
        for (int i = 0; i < text.length(); i++) {
            Character.UnicodeBlock block = Character.UnicodeBlock.of(text.charAt(i));
            if (block == Character.UnicodeBlock.HANGUL_SYLLABLES
                    || block == Character.UnicodeBlock.HANGUL_JAMO
                    || block == Character.UnicodeBlock.HANGUL_COMPATIBILITY_JAMO) {
                return "ko";
            }
        }
        return "en";
    }

    /** The bundle's prompts for {@code label} in its language; the label itself when there are none. */
    public List<String> prompts(String label) {
        String language = language(label);
        List<String> chosen = templates.get(language);
        if (chosen == null || chosen.isEmpty()) {
            chosen = templates.get(language.equals("ko") ? "en" : "ko");
        }
        if (chosen == null || chosen.isEmpty()) {
            return List.of(label);
        }
        return chosen.stream().map(t -> apply(t, label)).toList();
    }

    /** Prompts from one custom template that contains {@code {}}. */
    public static List<String> custom(String template, String label) {
        if (!template.contains("{}")) {
            throw new IllegalArgumentException("template '" + template + "' has no {} placeholder");
        }
        return List.of(apply(template, label));
    }

    /** Fills {@code template} with {@code label}, choosing the Korean copula form. */
    public static String apply(String template, String label) {
        String filled = template;
        if (filled.contains(COPULA) && !hasFinalConsonant(label)) {
            filled = filled.replace(COPULA, "{}다");
        }
        return filled.replace("{}", label);
    }

    /** True when the last character is a Hangul syllable with a final consonant, or not Hangul at all. */
    static boolean hasFinalConsonant(String label) {
        String trimmed = label.strip();
        if (trimmed.isEmpty()) {
            return true;
        }
        char last = trimmed.charAt(trimmed.length() - 1);
        if (last < 0xAC00 || last > 0xD7A3) {
            return true;
        }
        // Hangul syllables are laid out as ((initial * 21) + medial) * 28 + final; final 0 means none.
        return (last - 0xAC00) % 28 != 0;
    }
}
