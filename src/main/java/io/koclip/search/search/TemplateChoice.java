package io.koclip.search.search;

import io.koclip.search.model.PromptTemplates;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * How a query or label becomes prompts: the bundle's templates (the default), the raw text
 * ({@code template=none}), or one custom template with a {@code {}} placeholder.
 *
 * @param custom the custom template, or null for the other kinds
 */
public record TemplateChoice(Kind kind, @Nullable String custom) {
    /** Longest custom template accepted, in code points. */
    public static final int MAX_LENGTH = 200;

    public static final TemplateChoice BUNDLE = new TemplateChoice(Kind.BUNDLE, null);
    public static final TemplateChoice NONE = new TemplateChoice(Kind.NONE, null);

    public enum Kind {
        /** The bundle's templates for the text's language (Korean or English). */
        BUNDLE,
        /** The text itself, no template. */
        NONE,
        /** One template given by the client. */
        CUSTOM
    }

    public TemplateChoice {
        if ((kind == Kind.CUSTOM) != (custom != null)) {
            throw new IllegalArgumentException("custom template given for kind " + kind);
        }
    }

    /**
     * Parses the {@code template} request parameter: absent, blank or {@code bundle} is the bundle's,
     * {@code none} the raw text, anything else must contain {@code {}}.
     *
     * @throws InvalidRequestException for a custom template without {@code {}} or over {@value #MAX_LENGTH}
     */
    public static TemplateChoice parse(@Nullable String template) {
        if (template == null || template.isBlank() || template.strip().equals("bundle")) {
            return BUNDLE;
        }
        if (template.strip().equals("none")) {
            return NONE;
        }
        String normalized = QueryText.normalize(template);
        if (!normalized.contains("{}")) {
            throw new InvalidRequestException(
                    "template", "'" + normalized + "' has no {} placeholder (or use 'none' for the raw text)");
        }
        if (QueryText.length(normalized) > MAX_LENGTH) {
            throw new InvalidRequestException(
                    "template", QueryText.length(normalized) + " characters, over the limit of " + MAX_LENGTH);
        }
        return new TemplateChoice(Kind.CUSTOM, normalized);
    }

    /** The prompts for {@code text} under this choice. */
    public List<String> prompts(PromptTemplates templates, String text) {
        return switch (kind) {
            case BUNDLE -> templates.prompts(text);
            case NONE -> List.of(text);
            case CUSTOM -> PromptTemplates.custom(custom, text);
        };
    }

    /** A stable key for caches: {@code bundle}, {@code none} or {@code custom:<template>}. */
    public String key() {
        return kind == Kind.CUSTOM ? "custom:" + custom : kind.name().toLowerCase(java.util.Locale.ROOT);
    }
}
