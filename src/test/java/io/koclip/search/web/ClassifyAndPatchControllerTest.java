package io.koclip.search.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyDouble;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.koclip.search.analysis.ClassifyResponse;
import io.koclip.search.analysis.LabelProbability;
import io.koclip.search.analysis.Patch;
import io.koclip.search.analysis.PatchAnalysis;
import io.koclip.search.analysis.PatchResponse;
import io.koclip.search.analysis.PatchScorer;
import io.koclip.search.analysis.ZeroShotClassifier;
import io.koclip.search.analysis.ZeroShotScoring;
import io.koclip.search.image.ImageRejectedException;
import io.koclip.search.image.ImageTooLargeException;
import io.koclip.search.search.InvalidRequestException;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

@WebMvcTest({ClassifyController.class, PatchController.class})
@WebSlice
class ClassifyAndPatchControllerTest {
    private static final MockMultipartFile IMAGE =
            new MockMultipartFile("image", "cat.png", "image/png", new byte[] {(byte) 0x89, 'P', 'N', 'G'});

    @Autowired
    MockMvc mvc;

    @MockitoBean
    ZeroShotClassifier classifier;

    @MockitoBean
    PatchScorer scorer;

    @Test
    void classifyReturnsSortedLabels() throws Exception {
        when(classifier.classify(any(), eq(List.of("고양이", "강아지", "자동차")), isNull()))
                .thenReturn(new ClassifyResponse(
                        "demo",
                        4,
                        List.of(
                                new LabelProbability("고양이", 0.7, 0.3f),
                                new LabelProbability("강아지", 0.2, 0.25f),
                                new LabelProbability("자동차", 0.1, 0.1f)),
                        new ZeroShotScoring("softmax", 100f, null, "sigmoid")));
        mvc.perform(multipart("/api/v1/classify")
                        .file(IMAGE)
                        .param("labels", "고양이")
                        .param("labels", "강아지")
                        .param("labels", "자동차"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.labels[0].label").value("고양이"))
                .andExpect(jsonPath("$.labels[0].probability").value(0.7))
                .andExpect(jsonPath("$.labels[2].label").value("자동차"))
                .andExpect(jsonPath("$.scoring.function").value("softmax"))
                .andExpect(jsonPath("$.scoring.trainedWith").value("sigmoid"))
                .andExpect(jsonPath("$.scoring.logitBias").doesNotExist());
    }

    @Test
    void classifyWithTooFewLabelsIs400() throws Exception {
        when(classifier.classify(any(), anyList(), any()))
                .thenThrow(new InvalidRequestException("labels", "1 labels given; between 2 and 100 are needed"));
        mvc.perform(multipart("/api/v1/classify").file(IMAGE).param("labels", "고양이"))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.parameter").value("labels"));
    }

    @Test
    void classifyOfANonImageIs415() throws Exception {
        when(classifier.classify(any(), anyList(), any()))
                .thenThrow(new ImageRejectedException(ImageRejectedException.Reason.UNSUPPORTED_FORMAT, "HEIC"));
        mvc.perform(multipart("/api/v1/classify").file(IMAGE).param("labels", "a", "b"))
                .andExpect(status().isUnsupportedMediaType())
                .andExpect(jsonPath("$.code").value("image-unsupported-format"));
    }

    @Test
    void classifyWithoutImageIs400() throws Exception {
        mvc.perform(multipart("/api/v1/classify").param("labels", "a", "b"))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
    }

    private static PatchAnalysis analysis() {
        BufferedImage image = new BufferedImage(40, 20, BufferedImage.TYPE_INT_RGB);
        List<Patch> patches = List.of(new Patch(0, 0, 0, 0, 20, 20, 0.1f), new Patch(0, 1, 20, 0, 20, 20, 0.3f));
        return new PatchAnalysis(new PatchResponse("빨간 원", "demo", 5, 40, 20, 1, 2, 0, patches), image);
    }

    @Test
    void patchesAsJson() throws Exception {
        when(scorer.patches(any(), eq("빨간 원"), isNull(), eq(1), eq(2), eq(0.0))).thenReturn(analysis());
        mvc.perform(multipart("/api/v1/patches")
                        .file(IMAGE)
                        .param("q", "빨간 원")
                        .param("rows", "1")
                        .param("cols", "2"))
                .andExpect(status().isOk())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_JSON))
                .andExpect(jsonPath("$.patches[1].row").value(0))
                .andExpect(jsonPath("$.patches[1].col").value(1))
                .andExpect(jsonPath("$.patches[1].x").value(20))
                .andExpect(jsonPath("$.patches[1].y").value(0))
                .andExpect(jsonPath("$.patches[1].width").value(20))
                .andExpect(jsonPath("$.patches[1].height").value(20))
                .andExpect(jsonPath("$.patches[1].score").isNumber());
    }

    @Test
    void patchesAsPngHeatmap() throws Exception {
        when(scorer.patches(any(), anyString(), any(), anyInt(), anyInt(), anyDouble()))
                .thenReturn(analysis());
        MvcResult result = mvc.perform(multipart("/api/v1/patches")
                        .file(IMAGE)
                        .param("q", "빨간 원")
                        .param("rows", "1")
                        .param("cols", "2")
                        .accept(MediaType.IMAGE_PNG))
                .andExpect(status().isOk())
                .andExpect(content().contentType(MediaType.IMAGE_PNG))
                .andReturn();
        BufferedImage png =
                ImageIO.read(new ByteArrayInputStream(result.getResponse().getContentAsByteArray()));
        assertThat(png.getWidth()).isEqualTo(40);
        assertThat(png.getHeight()).isEqualTo(20);
        // the right patch scored higher: warmer (more red than blue)
        int right = png.getRGB(30, 10);
        int left = png.getRGB(10, 10);
        assertThat((right >> 16) & 0xff).isGreaterThan((left >> 16) & 0xff);
        assertThat(left & 0xff).isGreaterThan(right & 0xff);
    }

    @Test
    void patchGridOutOfRangeIs400EvenWhenPngWasAsked() throws Exception {
        when(scorer.patches(any(), anyString(), any(), anyInt(), anyInt(), anyDouble()))
                .thenThrow(new InvalidRequestException("rows", "9 is not in [1, 8]"));
        mvc.perform(multipart("/api/v1/patches")
                        .file(IMAGE)
                        .param("q", "x")
                        .param("rows", "9")
                        .accept(MediaType.IMAGE_PNG))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail", containsString("rows")));
    }

    @Test
    void patchOfAHugeImageIs413() throws Exception {
        when(scorer.patches(any(), anyString(), any(), anyInt(), anyInt(), anyDouble()))
                .thenThrow(new ImageTooLargeException(30000, 30000, 100_000_000));
        mvc.perform(multipart("/api/v1/patches").file(IMAGE).param("q", "x")).andExpect(status().isContentTooLarge());
    }

    @Test
    void patchWithoutTextIs400() throws Exception {
        mvc.perform(multipart("/api/v1/patches").file(IMAGE))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
    }

    @Test
    void acceptNegotiation() {
        assertThat(PatchController.wantsPng(null)).isFalse();
        assertThat(PatchController.wantsPng("*/*")).isFalse();
        assertThat(PatchController.wantsPng("image/png")).isTrue();
        assertThat(PatchController.wantsPng("image/*")).isTrue();
        assertThat(PatchController.wantsPng("application/json, image/png")).isFalse();
        assertThat(PatchController.wantsPng("image/png, application/json;q=0.5"))
                .isTrue();
        assertThat(PatchController.wantsPng("image/png;q=0.2, */*")).isFalse();
        assertThat(PatchController.wantsPng("image/png, */*;q=0.8")).isTrue();
    }
}
