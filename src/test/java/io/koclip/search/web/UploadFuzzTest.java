package io.koclip.search.web;

import static io.koclip.search.index.InMemoryVectorIndex.unit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.koclip.search.analysis.PatchScorer;
import io.koclip.search.analysis.ZeroShotClassifier;
import io.koclip.search.image.DecodeOptions;
import io.koclip.search.image.ImageDecoder;
import io.koclip.search.image.ImagePreprocessor;
import io.koclip.search.image.PreprocessSpec;
import io.koclip.search.index.ImageDocument;
import io.koclip.search.index.InMemoryBackend;
import io.koclip.search.index.InMemoryVectorIndex;
import io.koclip.search.index.IndexSpec;
import io.koclip.search.search.FakeQueryStack;
import io.koclip.search.search.LiveIndex;
import io.koclip.search.search.SearchProperties;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockMultipartHttpServletRequestBuilder;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;

/**
 * Coverage-guided fuzzing (Jazzer) of the three upload endpoints ({@code POST /api/v1/search/image},
 * {@code /classify}, {@code /patches}) through the controllers' real code path: Spring MVC's binding of
 * the multipart part and the fuzzed request parameters, the query services, the real {@link
 * ImageDecoder} (libvips where installed), preprocessing and crops, and {@link ApiExceptionHandler}. Only
 * the encoders are fake ({@link FakeQueryStack}: axis vectors), so an execution takes milliseconds.
 *
 * <p>Property: every answer is 200 or one of the documented client errors (400, 406, 413, 415, 503) as
 * RFC 9457 problem+json naming a code; never a 500 ({@code internal-error}: an exception the API did
 * not expect) and never an exception out of the dispatcher.
 *
 * <p>Inputs: {@code src/test/resources/io/koclip/search/web/UploadFuzzTestInputs/upload/}: raw bytes for
 * {@link FuzzedDataProvider}, the seeds an image file followed by five control bytes (read from the end:
 * endpoint, parameter count, three bytes of image length); src/test/fuzz/make_upload_seeds.py writes
 * them. docs/operations.md, "Fuzzing".
 */
class UploadFuzzTest {
    private static final Set<Integer> DOCUMENTED = Set.of(200, 400, 406, 413, 415, 503);

    private static final MockMvc MVC = mvc();

    private static MockMvc mvc() {
        FakeQueryStack fake = new FakeQueryStack();
        ImageDecoder real = new ImageDecoder(1L << 22, Duration.ofSeconds(2), DecodeOptions.DEFAULT);
        try {
            when(fake.decoder.decode(any(byte[].class))).thenAnswer(inv -> real.decode((byte[]) inv.getArgument(0)));
        } catch (Exception impossible) {
            throw new IllegalStateException(impossible);
        }
        when(fake.imageEncoder.encode(any(BufferedImage.class))).thenReturn(unit(FakeQueryStack.DIM, 0, 7, 0.1f));
        when(fake.imageEncoder.preprocessor())
                .thenReturn(new ImagePreprocessor(new PreprocessSpec(
                        16,
                        PreprocessSpec.Resize.SHORTEST_EDGE,
                        PreprocessSpec.Interpolation.BICUBIC,
                        true,
                        new float[] {0.5f, 0.5f, 0.5f},
                        new float[] {0.25f, 0.25f, 0.25f})));
        when(fake.imageEncoder.encodeTensors(anyList())).thenAnswer(inv -> {
            List<float[]> tensors = inv.getArgument(0);
            float[][] out = new float[tensors.size()][];
            for (int i = 0; i < out.length; i++) {
                out[i] = unit(FakeQueryStack.DIM, i % FakeQueryStack.DIM, 7, 0.1f);
            }
            return out;
        });
        LiveIndex index;
        try {
            InMemoryVectorIndex backing = new InMemoryVectorIndex("fake", "fp1");
            backing.upsert(new ImageDocument(
                    "red-1", "red/red-1.png", "h-red1", 8, 8, 8, 0, "png", null, unit(FakeQueryStack.DIM, 0, 7, 0.1f)));
            backing.upsert(new ImageDocument(
                    "blue-1",
                    "blue/blue-1.jpg",
                    "h-blue1",
                    8,
                    8,
                    8,
                    0,
                    "jpeg",
                    null,
                    unit(FakeQueryStack.DIM, 1, 7, 0.1f)));
            index = LiveIndex.open(
                    new InMemoryBackend(backing),
                    IndexSpec.of(backing.metadata().model()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        SearchProperties properties = SearchProperties.defaults();
        return MockMvcBuilders.standaloneSetup(
                        new SearchController(fake.service(index)),
                        new ClassifyController(
                                new ZeroShotClassifier(fake.model, fake.texts, fake.uploads, properties, fake.timer)),
                        new PatchController(
                                new PatchScorer(fake.model, fake.texts, fake.uploads, properties, fake.timer)))
                .setControllerAdvice(new ApiExceptionHandler())
                .build();
    }

    @FuzzTest
    void upload(FuzzedDataProvider data) throws Exception {
        int endpoint = data.consumeInt(0, 2);
        MockMultipartHttpServletRequestBuilder request = switch (endpoint) {
            case 0 -> multipart("/api/v1/search/image");
            case 1 -> multipart("/api/v1/classify");
            default -> multipart("/api/v1/patches");
        };
        int parameters = data.consumeInt(0, 6);
        // The image first, from the front of the input (the seeds are image files with a trailer of control bytes).
        byte[] image = data.consumeBytes(data.consumeInt(0, 1 << 20));
        for (int i = 0; i < parameters; i++) {
            String name = data.pickValue(PARAMETERS);
            request.param(name, data.consumeString(40));
        }
        if (endpoint == 2 && data.consumeBoolean()) {
            request.header(HttpHeaders.ACCEPT, data.consumeString(60));
        }
        String partName = data.consumeProbabilityDouble() < 0.95 ? "image" : "x" + data.consumeString(8);
        String fileName = data.consumeString(30);
        String contentType = data.consumeBoolean() ? "application/octet-stream" : data.consumeString(30);
        request.file(new MockMultipartFile(partName, fileName, contentType, image));

        MockHttpServletResponse response = MVC.perform(request).andReturn().getResponse();
        int status = response.getStatus();
        String body = response.getContentAsString();
        assertThat(DOCUMENTED).as("status %d for %s: %s", status, request, body).contains(status);
        if (status != 200 && status != 406) {
            assertThat(response.getContentType()).startsWith(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            assertThat(body).contains("\"code\"").doesNotContain("internal-error");
        }
    }

    private static final String[] PARAMETERS = {
        "k",
        "offset",
        "minScore",
        "dedup",
        "folder",
        "minWidth",
        "minHeight",
        "modifiedFrom",
        "modifiedTo",
        "format",
        "labels",
        "labels",
        "template",
        "q",
        "q",
        "rows",
        "cols",
        "overlap"
    };
}
