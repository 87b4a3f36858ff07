package io.koclip.search.text;

import static org.assertj.core.api.Assertions.assertThat;

import io.koclip.search.text.GeneratedNames.NamedPattern;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** One case per pattern: names it must match, and near misses that no pattern of the list may match. */
class GeneratedNamesTest {
    private record Case(List<String> generated, List<String> kept) {}

    private static Case of(List<String> generated, List<String> kept) {
        return new Case(generated, kept);
    }

    static final Map<String, Case> FILE_CASES = Map.ofEntries(
            Map.entry(
                    "img",
                    of(
                            List.of(
                                    "IMG_1234",
                                    "img_0012",
                                    "IMG1234",
                                    "IMG_E1234",
                                    "IMG_20240101_123456",
                                    "IMG_20240101_123456_789"),
                            List.of("IMG_경복궁", "imagine"))),
            Map.entry("whatsapp", of(List.of("IMG-20240101-WA0001"), List.of("WA0001 가족"))),
            Map.entry("canon", of(List.of("_MG_1234", "MVI_0042"), List.of("MG 1234 여행"))),
            Map.entry(
                    "dsc", of(List.of("DSC_0001", "_DSC0001", "DSCN0001", "DSCF1234", "DSC01234"), List.of("DSC 사진전"))),
            Map.entry(
                    "pixel",
                    of(
                            List.of(
                                    "PXL_20240101_123456789",
                                    "PXL_20240101_123456789.MP",
                                    "PXL_20231224_101010123.NIGHT"),
                            List.of("PXL 서울"))),
            Map.entry(
                    "panasonic-olympus",
                    of(List.of("P1000123", "PA010001", "PC250001"), List.of("P1 프로젝트", "PD010001"))),
            Map.entry("gopro", of(List.of("GOPR0001", "GP010001", "GH010001", "GX010001"), List.of("GoPro 서핑"))),
            Map.entry("dji", of(List.of("DJI_0001", "DJI_0001_W", "DJI_20240101123456_0001_D"), List.of("DJI 항공샷"))),
            Map.entry(
                    "video",
                    of(
                            List.of("VID_20240101_123456", "VID-20240101-WA0001", "VID_1234", "MOV_0001"),
                            List.of("video 생일"))),
            Map.entry(
                    "screenshot",
                    of(
                            List.of(
                                    "Screenshot_20240101-123456_KakaoTalk",
                                    "Screen Shot 2020-01-01 at 10.00.00 AM",
                                    "스크린샷 2024-01-01 오후 3.04.05",
                                    "캡처",
                                    "Screenshot"),
                            List.of("Screenshots of 광화문"))),
            Map.entry(
                    "kakaotalk",
                    of(
                            List.of(
                                    "KakaoTalk_Photo_2024-01-01-12-34-56",
                                    "KakaoTalk_Photo_2024-01-01-12-34-56_001",
                                    "KakaoTalk_20240101_123456789"),
                            List.of("KakaoTalk 단톡방"))),
            Map.entry(
                    "facebook",
                    of(
                            List.of(
                                    "FB_IMG_1704067200000",
                                    "123456789_123456789012345_1234567890123456789_n",
                                    "received_1234567"),
                            List.of("facebook 친구"))),
            Map.entry(
                    "other-cameras",
                    of(
                            List.of(
                                    "SAM_0001",
                                    "CIMG0001",
                                    "IMGP0001",
                                    "SDIM0001",
                                    "HPIM0001",
                                    "IMAG0001",
                                    "100_0001",
                                    "DCP_0001",
                                    "PICT0001",
                                    "L1000001",
                                    "R0000001",
                                    "B0000001"),
                            List.of("L1 라인", "B동"))),
            Map.entry("uuid", of(List.of("3f2504e0-4f89-11d3-9a0c-0305e82c3301"), List.of("3f2504e0 메모"))),
            Map.entry(
                    "hex",
                    of(
                            List.of("d41d8cd98f00b204e9800998ecf8427e", "0123456789abcdef"),
                            List.of("deadbeef", "cafe 카페"))),
            Map.entry(
                    "date-time",
                    of(
                            List.of(
                                    "20240101",
                                    "2024-01-01",
                                    "20240101_123456",
                                    "2024-01-01 12.34.56",
                                    "2024-01-01T12:34:56.789",
                                    "2024-01-01 오후 3.04.05"),
                            List.of("2024-제주도-여행", "2024년 1월"))),
            Map.entry("number", of(List.of("0012", "1", "1704067200000"), List.of("0012 가족"))),
            Map.entry(
                    "generic",
                    of(
                            List.of("image", "Photo", "untitled", "사진", "제목 없음", "무제"),
                            List.of("photo of mom", "사진전 포스터"))));

    static final Map<String, Case> FOLDER_CASES = Map.ofEntries(
            Map.entry("dcim", of(List.of("DCIM", "dcim"), List.of("DCIM 백업"))),
            Map.entry(
                    "dcf", of(List.of("100CANON", "100_PANA", "100MSDCF", "100APPLE", "101ND750"), List.of("100일 기념"))),
            Map.entry(
                    "app-folders",
                    of(
                            List.of(
                                    "Camera",
                                    "Camera Roll",
                                    "Screenshots",
                                    "KakaoTalk",
                                    "Pictures",
                                    "사진",
                                    "다운로드",
                                    "WhatsApp Images",
                                    "새 폴더",
                                    "새 폴더 (2)",
                                    "New folder"),
                            List.of("Camera club", "사진 동아리"))),
            Map.entry("uuid", of(List.of("3f2504e0-4f89-11d3-9a0c-0305e82c3301"), List.of())),
            Map.entry("hex", of(List.of("d41d8cd98f00b204e9800998ecf8427e"), List.of())),
            Map.entry("date-time", of(List.of("2024-01-15", "20240115"), List.of("2024-01 제주"))),
            Map.entry("number", of(List.of("1", "0001", "123456"), List.of("2024", "1999"))));

    static final Map<String, Case> DESCRIPTION_CASES = Map.ofEntries(
            Map.entry(
                    "camera-boilerplate",
                    of(
                            List.of(
                                    "OLYMPUS DIGITAL CAMERA",
                                    "SONY DSC",
                                    "KODAK Digital Still Camera",
                                    "SAMSUNG CAMERA PICTURES",
                                    "LEAD Technologies Inc. V1.01",
                                    "AppleMark"),
                            List.of("Olympus 카메라로 찍은 남산"))),
            Map.entry("placeholder", of(List.of("default", "Untitled", "제목 없음"), List.of("default 아님"))),
            Map.entry("no-letters", of(List.of("????", "???? ??", "", "0", "-----"), List.of("2024 서울"))));

    static Stream<Arguments> fileCases() {
        return GeneratedNames.FILE_NAMES.stream().map(p -> Arguments.of(p, FILE_CASES.get(p.name())));
    }

    static Stream<Arguments> folderCases() {
        return GeneratedNames.FOLDER_NAMES.stream().map(p -> Arguments.of(p, FOLDER_CASES.get(p.name())));
    }

    static Stream<Arguments> descriptionCases() {
        return GeneratedNames.DESCRIPTIONS.stream().map(p -> Arguments.of(p, DESCRIPTION_CASES.get(p.name())));
    }

    @ParameterizedTest(name = "file name pattern {0}")
    @MethodSource("fileCases")
    void fileNamePattern(NamedPattern pattern, Case c) {
        assertThat(c).as("a test case for pattern " + pattern.name()).isNotNull();
        assertThat(c.generated())
                .isNotEmpty()
                .allSatisfy(n -> assertThat(pattern.matches(n))
                        .as(pattern.name() + " matches " + n)
                        .isTrue());
        assertThat(c.generated())
                .allSatisfy(n -> assertThat(GeneratedNames.isGeneratedFileName(n + " (1)"))
                        .as(n + " (1)")
                        .isTrue());
        assertThat(c.kept())
                .allSatisfy(n -> assertThat(GeneratedNames.isGeneratedFileName(n))
                        .as(n + " is kept")
                        .isFalse());
    }

    @ParameterizedTest(name = "folder name pattern {0}")
    @MethodSource("folderCases")
    void folderNamePattern(NamedPattern pattern, Case c) {
        assertThat(c).as("a test case for pattern " + pattern.name()).isNotNull();
        assertThat(c.generated())
                .isNotEmpty()
                .allSatisfy(n -> assertThat(pattern.matches(n))
                        .as(pattern.name() + " matches " + n)
                        .isTrue());
        assertThat(c.kept())
                .allSatisfy(n -> assertThat(GeneratedNames.isGeneratedFolderName(n))
                        .as(n + " is kept")
                        .isFalse());
    }

    @ParameterizedTest(name = "description pattern {0}")
    @MethodSource("descriptionCases")
    void descriptionPattern(NamedPattern pattern, Case c) {
        assertThat(c).as("a test case for pattern " + pattern.name()).isNotNull();
        assertThat(c.generated())
                .isNotEmpty()
                .allSatisfy(n -> assertThat(pattern.matches(n))
                        .as(pattern.name() + " matches " + n)
                        .isTrue());
        assertThat(c.kept())
                .allSatisfy(n -> assertThat(GeneratedNames.isBoilerplateDescription(n))
                        .as(n + " is kept")
                        .isFalse());
    }

    @Test
    void cameraNamesInsideLongerNamesAreCutOutAtWordBoundaries() {
        assertThat(GeneratedNames.withoutEmbedded("IMG_0012 경복궁").strip()).isEqualTo("경복궁");
        assertThat(GeneratedNames.withoutEmbedded("경복궁_DSC_0001_야경")).isEqualTo("경복궁_ _야경");
        assertThat(GeneratedNames.withoutEmbedded("20240101_123456_제주")).isEqualTo(" _제주");
        // Not at a word boundary: part of a word, untouched.
        assertThat(GeneratedNames.withoutEmbedded("XIMG_1234")).isEqualTo("XIMG_1234");
    }
}
