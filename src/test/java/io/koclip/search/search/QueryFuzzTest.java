package io.koclip.search.search;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.koclip.search.index.SearchFilter;
import io.koclip.search.model.PromptTemplates;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Coverage-guided fuzzing (Jazzer) of the request text a client controls before any model runs: the
 * query normalizer, the prompt-template choice, the search mode and the filter parser shared by the
 * API and the {@code search} command. Property: a bad value is refused with {@link
 * InvalidRequestException} (HTTP 400, naming the parameter), never another exception (which the API
 * would answer with a 500); normalized text is NFC, trimmed, has no runs of whitespace and is stable
 * under a second normalization; a parsed filter is one the index can apply.
 *
 * <p>Inputs: {@code src/test/resources/io/koclip/search/search/QueryFuzzTestInputs/<method>/}
 * (raw bytes for {@link FuzzedDataProvider}); docs/operations.md, "Fuzzing".
 */
class QueryFuzzTest {
    private static final PromptTemplates TEMPLATES =
            new PromptTemplates(Map.of("ko", List.of("{}이다.", "{} 사진"), "en", List.of("a photo of {}.")));

    @FuzzTest
    void queryText(FuzzedDataProvider data) {
        int limit = data.consumeInt(1, 2000);
        String raw = data.consumeRemainingAsString();
        String text = QueryText.normalize(raw);
        assertThat(Normalizer.isNormalized(text, Normalizer.Form.NFC)).isTrue();
        assertThat(text).isEqualTo(text.strip()).doesNotContain("  ");
        assertThat(QueryText.normalize(text)).isEqualTo(text);
        try {
            String required = QueryText.require("q", raw, limit);
            assertThat(required).isEqualTo(text).isNotEmpty();
            assertThat(QueryText.length(required)).isLessThanOrEqualTo(limit);
        } catch (InvalidRequestException refused) {
            assertThat(refused.parameter()).isEqualTo("q");
            assertThat(text.isEmpty() || QueryText.length(text) > limit).isTrue();
        }
        try {
            TemplateChoice choice = TemplateChoice.parse(data.consumeString(300));
            if (!text.isEmpty()) {
                List<String> prompts = choice.prompts(TEMPLATES, text);
                assertThat(prompts).isNotEmpty();
            }
        } catch (InvalidRequestException refused) {
            assertThat(refused.parameter()).isEqualTo("template");
        }
        try {
            SearchMode.parse(raw);
        } catch (InvalidRequestException refused) {
            assertThat(refused.parameter()).isEqualTo("mode");
        }
    }

    @FuzzTest
    void filters(FuzzedDataProvider data) {
        String folder = data.consumeBoolean() ? data.consumeString(200) : null;
        Integer minWidth = data.consumeBoolean() ? data.consumeInt() : null;
        Integer minHeight = data.consumeBoolean() ? data.consumeInt() : null;
        String from = data.consumeBoolean() ? data.consumeString(60) : null;
        String to = data.consumeBoolean() ? data.consumeString(60) : null;
        List<String> formats = null;
        if (data.consumeBoolean()) {
            formats = new ArrayList<>();
            int count = data.consumeInt(0, 4);
            for (int i = 0; i < count; i++) {
                formats.add(data.consumeString(40));
            }
        }
        SearchFilter filter;
        try {
            filter = new FilterRequest(folder, minWidth, minHeight, from, to, formats).toFilter();
        } catch (InvalidRequestException refused) {
            assertThat(refused.parameter())
                    .isIn("folder", "minWidth", "minHeight", "modifiedFrom", "modifiedTo", "format");
            return;
        }
        if (filter.pathPrefix() != null) {
            assertThat(filter.pathPrefix()).endsWith("/").doesNotStartWith("/").doesNotContain("\0");
            assertThat(List.of(filter.pathPrefix().split("/"))).doesNotContain("..");
        }
        if (filter.modifiedFrom() != null && filter.modifiedTo() != null) {
            assertThat(filter.modifiedFrom()).isLessThanOrEqualTo(filter.modifiedTo());
        }
        assertThat(filter.formats())
                .allSatisfy(f ->
                        assertThat(io.koclip.search.image.ImageFormat.ofId(f)).isPresent());
    }
}
