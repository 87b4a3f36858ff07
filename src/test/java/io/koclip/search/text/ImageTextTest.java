package io.koclip.search.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImageTextTest {
    @Test
    void builderCleansDeduplicatesIgnoringCaseAndDropsDescriptionsThatRepeatATitle() {
        ImageText text = ImageText.builder()
                .add(TextSource.TITLE, "  경복궁의\u0000 밤 ")
                .add(TextSource.TITLE, "경복궁의 밤")
                .add(TextSource.DESCRIPTION, "경복궁의   밤")
                .add(TextSource.DESCRIPTION, "첫 줄\r\n\r\n\t둘째\u0007 줄")
                .add(TextSource.KEYWORDS, "Seoul")
                .add(TextSource.KEYWORDS, "SEOUL")
                .add(TextSource.KEYWORDS, " \u0000 ")
                .add(TextSource.KEYWORDS, null)
                .build();
        assertThat(text.titles()).containsExactly("경복궁의 밤");
        assertThat(text.descriptions()).containsExactly("첫 줄\n둘째 줄");
        assertThat(text.keywords()).containsExactly("Seoul");
        assertThat(text.text(TextSource.KEYWORDS)).isEqualTo("Seoul");
        assertThat(text.fields()).containsOnlyKeys(TextSource.TITLE, TextSource.DESCRIPTION, TextSource.KEYWORDS);
        assertThat(text.isEmpty()).isFalse();
        assertThat(ImageText.EMPTY.isEmpty()).isTrue();
    }

    @Test
    void mergeKeepsOrderAndDeduplicates() {
        ImageText a = ImageText.builder()
                .add(TextSource.KEYWORDS, "야경")
                .add(TextSource.PATH_WORDS, "서울")
                .build();
        ImageText b = ImageText.builder()
                .add(TextSource.KEYWORDS, "서울")
                .add(TextSource.KEYWORDS, "야경")
                .build();
        ImageText merged = a.merge(b);
        assertThat(merged.keywords()).containsExactly("야경", "서울");
        assertThat(merged.pathWords()).containsExactly("서울");
    }

    @Test
    void perSourceCapCutsAtAWordBoundaryAndSaysHowMuch() {
        String words = "경복궁 야경 ".repeat(100).strip(); // 699 chars
        ExtractedText capped = ImageText.builder()
                .add(TextSource.SIDECAR, words)
                .add(TextSource.TITLE, "짧은 제목")
                .build()
                .capped(new TextLimits(100, 1000, 1024, 1024));
        String kept = capped.text().sidecar().getFirst();
        assertThat(kept.length()).isLessThanOrEqualTo(100).isGreaterThan(90);
        assertThat(words).startsWith(kept);
        assertThat(kept).endsWith("야경"); // 14 whole "경복궁 야경 " units are 98 chars
        assertThat(capped.text().titles()).containsExactly("짧은 제목");
        assertThat(capped.warnings())
                .containsExactly(
                        "sidecar: 699 chars, over the cap of 100 per source; " + (699 - kept.length()) + " chars cut");
    }

    @Test
    void totalCapCutsTheLowerSourcesFirst() {
        ImageText text = ImageText.builder()
                .add(TextSource.TITLE, "t".repeat(50))
                .add(TextSource.KEYWORDS, "k".repeat(50))
                .add(TextSource.PATH_WORDS, "p".repeat(50))
                .add(TextSource.SIDECAR, "s".repeat(50))
                .build();
        ExtractedText capped = text.capped(new TextLimits(60, 120, 1024, 1024));
        assertThat(capped.text().titles()).containsExactly("t".repeat(50));
        assertThat(capped.text().keywords()).containsExactly("k".repeat(50));
        assertThat(capped.text().pathWords()).containsExactly("p".repeat(20));
        assertThat(capped.text().sidecar()).isEmpty();
        assertThat(capped.warnings())
                .containsExactly(
                        "pathWords: 30 chars cut to keep the image's text within 120 chars",
                        "sidecar: 50 chars cut to keep the image's text within 120 chars");
    }

    @Test
    void cappingNeverSplitsASurrogatePair() {
        String emoji = "a".repeat(9) + "\uD83D\uDCF7" + "b"; // 📷 at chars 9-10
        assertThat(ImageText.prefix(emoji, 10)).isEqualTo("a".repeat(9));
    }

    @Test
    void fingerprintChangesWithAnyValueOrSourceAndOnlyThen() {
        ImageText a = ImageText.builder().add(TextSource.TITLE, "남산").build();
        ImageText same = ImageText.builder().add(TextSource.TITLE, "남산 ").build();
        ImageText otherSource =
                ImageText.builder().add(TextSource.KEYWORDS, "남산").build();
        assertThat(a.fingerprint()).isEqualTo(same.fingerprint()).hasSize(64);
        assertThat(a.fingerprint()).isNotEqualTo(otherSource.fingerprint());
        assertThat(a.fingerprint()).isNotEqualTo(ImageText.EMPTY.fingerprint());
    }

    @Test
    void limitsAreValidated() {
        assertThatThrownBy(() -> new TextLimits(0, 10, 10, 10)).hasMessageContaining("fieldChars: 0");
        assertThatThrownBy(() -> new TextLimits(100, 10, 10, 10)).hasMessageContaining("totalChars: 10");
        assertThatThrownBy(() -> new TextLimits(10, 10, 0, 10)).hasMessageContaining("textSidecarBytes: 0");
    }

    @Test
    void decodingFallsBackFromUtf8ToCp949ToLatin1() {
        assertThat(TextDecoding.legacy("경복궁".getBytes(StandardCharsets.UTF_8)).note())
                .isNull();
        TextDecoding.Decoded korean =
                TextDecoding.legacy("경복궁".getBytes(java.nio.charset.Charset.forName("x-windows-949")));
        assertThat(korean.text()).isEqualTo("경복궁");
        assertThat(korean.note()).contains("CP949");
        TextDecoding.Decoded latin = TextDecoding.legacy("café".getBytes(StandardCharsets.ISO_8859_1));
        assertThat(latin.text()).isEqualTo("café");
        assertThat(latin.note()).contains("ISO-8859-1");
    }

    @Test
    void aUtf8SequenceCutAtTheEndIsLeftOut() {
        byte[] bytes = "a가".getBytes(StandardCharsets.UTF_8); // 61 EA B0 80
        assertThat(TextDecoding.withoutCutUtf8Tail(bytes, 4)).isEqualTo(4);
        assertThat(TextDecoding.withoutCutUtf8Tail(bytes, 3)).isEqualTo(1);
        assertThat(TextDecoding.withoutCutUtf8Tail(bytes, 2)).isEqualTo(1);
        assertThat(TextDecoding.withoutCutUtf8Tail(bytes, 1)).isEqualTo(1);
    }

    @Test
    void extractedTextMergeKeepsBothWarningsAndCapsAgain() {
        ExtractedText a = new ExtractedText(
                ImageText.builder().add(TextSource.TITLE, "x".repeat(8)).build(), List.of("one"));
        ExtractedText b = new ExtractedText(
                ImageText.builder().add(TextSource.TITLE, "y".repeat(8)).build(), List.of("two"));
        ExtractedText merged = a.merge(b, new TextLimits(9, 9, 10, 10));
        assertThat(merged.text().titles()).containsExactly("x".repeat(8));
        assertThat(merged.warnings()).hasSize(3).startsWith("one", "two");
    }
}
