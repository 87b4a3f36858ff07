package io.koclip.search.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.text.Normalizer;
import org.junit.jupiter.api.Test;

class PathWordsTest {
    @Test
    void foldersAndFileNameSplitIntoWordsCameraNameIgnored() {
        assertThat(PathWords.of("2024-제주도-여행/IMG_0012.jpg")).containsExactly("2024", "제주도", "여행");
    }

    @Test
    void separatorsCamelCaseAndDigitHangulBoundaries() {
        assertThat(PathWords.of("Trips/JejuTrip_2024(봄)/[가족] 성산일출봉,우도.png"))
                .containsExactly("Trips", "Jeju", "Trip", "2024", "봄", "가족", "성산일출봉", "우도");
        assertThat(PathWords.of("2024제주도/HTMLPage.jpg")).containsExactly("2024", "제주도", "HTML", "Page");
        // Digits and Latin letters stay together; the analyzer splits them alike at index and query time.
        assertThat(PathWords.of("gear/A7III 4K.jpg")).containsExactly("gear", "A7III", "4K");
    }

    @Test
    void generatedFoldersAndNamesGiveNoWordsButEmbeddedOnesLeaveTheRest() {
        assertThat(PathWords.of("DCIM/100CANON/IMG_0001.JPG")).isEmpty();
        assertThat(PathWords.of("Camera/PXL_20240101_123456789.MP.jpg")).isEmpty();
        assertThat(PathWords.of("2024/2024-05-05/IMG_0012 어린이날.jpg")).containsExactly("2024", "어린이날");
        assertThat(PathWords.of("KakaoTalk/KakaoTalk_Photo_2024-01-01-12-34-56.jpeg"))
                .isEmpty();
    }

    @Test
    void loneLettersSingleDigitsLongNumbersAndRepeatsAreDropped() {
        assertThat(PathWords.of("Mom's birthday/birthday 2 (1234567890).jpg")).containsExactly("Mom", "birthday");
        assertThat(PathWords.of("서울/서울 야경.jpg")).containsExactly("서울", "야경");
    }

    @Test
    void decomposedHangulFromMacosIsComposed() {
        String nfd = Normalizer.normalize("경복궁/야경.jpg", Normalizer.Form.NFD);
        assertThat(nfd).isNotEqualTo("경복궁/야경.jpg");
        assertThat(PathWords.of(nfd)).containsExactly("경복궁", "야경");
    }

    @Test
    void windowsSeparatorsAndDotSegments() {
        assertThat(PathWords.of(".\\부산\\광안리.jpg")).containsExactly("부산", "광안리");
    }
}
