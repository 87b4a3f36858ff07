package io.koclip.search.analysis;

import static io.koclip.search.index.InMemoryVectorIndex.unit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.koclip.search.image.DecodedImage;
import io.koclip.search.image.ImageDecoder;
import io.koclip.search.image.ImagePreprocessor;
import io.koclip.search.model.ImageEncoder;
import io.koclip.search.search.FakeQueryStack;
import io.koclip.search.search.SearchProperties;
import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Text → patch over {@link FakeQueryStack}'s fake model: the centre cell of a 3 × 3 grid is red. */
class PatchScorerTest {
    static final int DIM = FakeQueryStack.DIM;

    ImageEncoder imageEncoder;
    ImageDecoder decoder;
    PatchScorer scorer;

    @BeforeEach
    void setUp() {
        FakeQueryStack fake = new FakeQueryStack();
        imageEncoder = fake.imageEncoder;
        decoder = fake.decoder;
        scorer = new PatchScorer(fake.model, fake.texts, fake.uploads, SearchProperties.defaults(), fake.timer);
    }

    @Test
    void patchesEncodeEveryCellInOneBatch() throws Exception {
        BufferedImage rgb = new BufferedImage(90, 60, BufferedImage.TYPE_INT_RGB);
        when(decoder.decode(any(byte[].class))).thenReturn(new DecodedImage(rgb, "png", 90, 60));
        ImagePreprocessor preprocessor = mock(ImagePreprocessor.class);
        when(imageEncoder.preprocessor()).thenReturn(preprocessor);
        when(preprocessor.toTensor(any())).thenReturn(new float[] {0});
        when(imageEncoder.encodeTensors(anyList())).thenAnswer(inv -> {
            List<float[]> tensors = inv.getArgument(0);
            float[][] out = new float[tensors.size()][];
            for (int i = 0; i < out.length; i++) {
                out[i] = i == 4 ? unit(DIM, 0, 7, 0f) : unit(DIM, 3, 7, 0f); // centre cell is red
            }
            return out;
        });
        PatchAnalysis analysis = scorer.patches(new byte[] {1}, "red", null, 3, 3, 0);
        PatchResponse response = analysis.response();
        assertThat(response.patches()).hasSize(9);
        Patch best = response.patches().stream()
                .max(java.util.Comparator.comparingDouble(Patch::score))
                .orElseThrow();
        assertThat(best).isEqualTo(new Patch(1, 1, 30, 20, 30, 20, best.score()));
        verify(imageEncoder, times(1)).encodeTensors(anyList());
        assertThatThrownBy(() -> scorer.patches(new byte[] {1}, "red", null, 9, 3, 0))
                .hasMessage("rows: 9 is not in [1, 8]");
        assertThatThrownBy(() -> scorer.patches(new byte[] {1}, "red", null, 3, 0, 0))
                .hasMessage("cols: 0 is not in [1, 8]");
        assertThatThrownBy(() -> scorer.patches(new byte[] {1}, "red", null, 3, 3, 0.8))
                .hasMessageStartingWith("overlap: 0.8 is not in [0, 0.75]");
    }
}
