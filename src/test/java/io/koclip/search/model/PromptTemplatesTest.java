package io.koclip.search.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PromptTemplatesTest {
    private final PromptTemplates templates =
            new PromptTemplates(Map.of("ko", List.of("이것은 {}이다."), "en", List.of("a photo of {}.", "{}")));

    @Test
    void hangulSelectsKorean() {
        assertThat(PromptTemplates.language("빨간 원")).isEqualTo("ko");
        assertThat(PromptTemplates.language("red 원")).isEqualTo("ko");
        assertThat(PromptTemplates.language("ㅋㅋ")).isEqualTo("ko");
        assertThat(PromptTemplates.language("a red car")).isEqualTo("en");
        assertThat(PromptTemplates.language("123")).isEqualTo("en");
    }

    @Test
    void copulaFollowsTheFinalConsonant() {
        // 원 ends in ㄴ (받침): 이다 stays; 세모, 강아지 end in a vowel: contracted to 다.
        assertThat(templates.prompts("빨간 원")).containsExactly("이것은 빨간 원이다.");
        assertThat(templates.prompts("빨간 세모")).containsExactly("이것은 빨간 세모다.");
        assertThat(templates.prompts("강아지")).containsExactly("이것은 강아지다.");
        assertThat(templates.prompts("고양이")).containsExactly("이것은 고양이다.");
        assertThat(templates.prompts("바닷가의 집")).containsExactly("이것은 바닷가의 집이다.");
    }

    @Test
    void nonHangulEndingKeepsTheFullCopula() {
        assertThat(PromptTemplates.apply("이것은 {}이다.", "빨간 BMW")).isEqualTo("이것은 빨간 BMW이다.");
        assertThat(PromptTemplates.apply("이것은 {}이다.", "사과 3")).isEqualTo("이것은 사과 3이다.");
    }

    @Test
    void spacedTemplateIsUsedAsWritten() {
        assertThat(PromptTemplates.apply("이것은 {} 이다", "강아지")).isEqualTo("이것은 강아지 이다");
    }

    @Test
    void englishUsesEveryEnglishTemplate() {
        assertThat(templates.prompts("a red car")).containsExactly("a photo of a red car.", "a red car");
    }

    @Test
    void missingLanguageFallsBackToTheOtherThenToRawText() {
        PromptTemplates koreanOnly = new PromptTemplates(Map.of("ko", List.of("이것은 {}이다.")));
        assertThat(koreanOnly.prompts("dog")).containsExactly("이것은 dog이다.");
        assertThat(new PromptTemplates(Map.of()).prompts("dog")).containsExactly("dog");
    }

    @Test
    void customTemplateNeedsPlaceholder() {
        assertThat(PromptTemplates.custom("{} 사진", "고양이")).containsExactly("고양이 사진");
        assertThatThrownBy(() -> PromptTemplates.custom("사진", "고양이"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'사진'");
    }
}
