package io.koclip.search.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.koclip.search.model.PromptTemplates;
import java.text.Normalizer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QueryTextTest {
    @Test
    void normalizesToNfcTrimsAndCollapsesWhitespace() {
        String decomposed = Normalizer.normalize("빨간 원", Normalizer.Form.NFD);
        assertThat(decomposed).isNotEqualTo("빨간 원");
        assertThat(QueryText.normalize("  " + decomposed + " \t\n ")).isEqualTo("빨간 원");
        assertThat(QueryText.normalize("red\u3000\u00a0  circle")).isEqualTo("red circle");
        assertThat(QueryText.normalize(" \t ")).isEmpty();
    }

    @Test
    void lengthCountsCodePoints() {
        assertThat(QueryText.length("빨간 원")).isEqualTo(4);
        assertThat(QueryText.length("😀")).isEqualTo(1);
    }

    @Test
    void templateChoices() {
        PromptTemplates templates =
                new PromptTemplates(Map.of("ko", List.of("{}이다."), "en", List.of("a photo of {}.")));
        assertThat(TemplateChoice.parse(null).prompts(templates, "빨간 원")).containsExactly("빨간 원이다.");
        assertThat(TemplateChoice.parse("").prompts(templates, "red circle")).containsExactly("a photo of red circle.");
        assertThat(TemplateChoice.parse("none").prompts(templates, "red circle"))
                .containsExactly("red circle");
        assertThat(TemplateChoice.parse("a drawing of {}").prompts(templates, "a cat"))
                .containsExactly("a drawing of a cat");
        assertThat(TemplateChoice.parse("none").key()).isEqualTo("none");
        assertThat(TemplateChoice.parse(null).key()).isEqualTo("bundle");
        assertThat(TemplateChoice.parse("x {}").key()).isEqualTo("custom:x {}");
    }

    @Test
    void customTemplateNeedsAPlaceholder() {
        assertThatThrownBy(() -> TemplateChoice.parse("a photo"))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("template: 'a photo' has no {} placeholder");
        assertThatThrownBy(() -> TemplateChoice.parse("{}" + "x".repeat(300)))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("over the limit of 200");
    }
}
