package io.koclip.search.analysis;

import static io.koclip.search.index.InMemoryVectorIndex.unit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.koclip.search.image.DecodedImage;
import io.koclip.search.image.ImageDecoder;
import io.koclip.search.model.ImageEncoder;
import io.koclip.search.model.ModelBundle;
import io.koclip.search.model.TextEncoder;
import io.koclip.search.search.FakeQueryStack;
import io.koclip.search.search.SearchProperties;
import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Zero-shot labels over {@link FakeQueryStack}'s fake model (axis-vector text embeddings). */
class ZeroShotClassifierTest {
    static final int DIM = FakeQueryStack.DIM;

    TextEncoder textEncoder;
    ImageEncoder imageEncoder;
    ImageDecoder decoder;
    ZeroShotClassifier classifier;
    FakeQueryStack fake;

    @BeforeEach
    void setUp() {
        fake = new FakeQueryStack();
        textEncoder = fake.textEncoder;
        imageEncoder = fake.imageEncoder;
        decoder = fake.decoder;
        classifier =
                new ZeroShotClassifier(fake.model, fake.texts, fake.uploads, SearchProperties.defaults(), fake.timer);
    }

    @Test
    void classifySoftmaxSumsToOneAndSorts() throws Exception {
        BufferedImage rgb = new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB);
        when(decoder.decode(any(byte[].class))).thenReturn(new DecodedImage(rgb, "png", 4, 4));
        when(imageEncoder.encode(rgb)).thenReturn(unit(DIM, 1, 0, 0.2f));
        ClassifyResponse response = classifier.classify(new byte[] {1}, List.of("red", " blue ", "green"), null);
        assertThat(response.labels()).extracting(LabelProbability::label).containsExactly("blue", "red", "green");
        double sum = response.labels().stream()
                .mapToDouble(LabelProbability::probability)
                .sum();
        assertThat(sum).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(response.labels().get(0).probability()).isGreaterThan(0.9);
        // the three labels' prompts went to the encoder in one batch
        verify(textEncoder).encode(List.of("a photo of red.", "a photo of blue.", "a photo of green."));
        assertThat(response.scoring()).isEqualTo(new ZeroShotScoring("softmax", 100f, null, "softmax"));
    }

    @Test
    void aSigmoidModelWithoutItsBiasIsScoredWithSoftmaxAndSaysSo() throws Exception {
        when(fake.model.bundle().zeroShot()).thenReturn(new ModelBundle.ZeroShot(ModelBundle.Loss.SIGMOID, null));
        BufferedImage rgb = new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB);
        when(decoder.decode(any(byte[].class))).thenReturn(new DecodedImage(rgb, "png", 4, 4));
        when(imageEncoder.encode(rgb)).thenReturn(unit(DIM, 1, 0, 0.2f));
        ClassifyResponse response = classifier.classify(new byte[] {1}, List.of("red", "blue", "green"), null);
        assertThat(response.scoring()).isEqualTo(new ZeroShotScoring("softmax", 100f, null, "sigmoid"));
        assertThat(response.labels().stream()
                        .mapToDouble(LabelProbability::probability)
                        .sum())
                .isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void aSigmoidModelWithItsBiasScoresEachLabelOnItsOwn() throws Exception {
        when(fake.model.bundle().zeroShot()).thenReturn(new ModelBundle.ZeroShot(ModelBundle.Loss.SIGMOID, -10f));
        BufferedImage rgb = new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB);
        when(decoder.decode(any(byte[].class))).thenReturn(new DecodedImage(rgb, "png", 4, 4));
        float[] image = unit(DIM, 1, 0, 0.2f);
        when(imageEncoder.encode(rgb)).thenReturn(image);
        ClassifyResponse response = classifier.classify(new byte[] {1}, List.of("red", "blue", "green"), null);
        assertThat(response.scoring()).isEqualTo(new ZeroShotScoring("sigmoid", 100f, -10f, "sigmoid"));
        assertThat(response.labels()).extracting(LabelProbability::label).containsExactly("blue", "red", "green");
        for (LabelProbability label : response.labels()) {
            double expected = 1 / (1 + Math.exp(-(100.0 * label.score() - 10)));
            assertThat(label.probability())
                    .as(label.label())
                    .isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-9));
        }
        // independent probabilities: the top label is near 1 and the sum is not 1
        assertThat(response.labels().stream()
                        .mapToDouble(LabelProbability::probability)
                        .sum())
                .isNotCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-3));
    }

    @Test
    void classifyValidatesLabels() {
        assertThatThrownBy(() -> classifier.classify(new byte[] {1}, List.of("red"), null))
                .hasMessage("labels: 1 labels given; between 2 and 100 are needed");
        assertThatThrownBy(() -> classifier.classify(new byte[] {1}, List.of("red", "red "), null))
                .hasMessage("labels: 'red' is given twice");
        assertThatThrownBy(() -> classifier.classify(new byte[] {1}, List.of("red", " "), null))
                .hasMessage("labels: must not be blank");
        List<String> many =
                java.util.stream.IntStream.range(0, 101).mapToObj(i -> "l" + i).toList();
        assertThatThrownBy(() -> classifier.classify(new byte[] {1}, many, null))
                .hasMessage("labels: 101 labels given; between 2 and 100 are needed");
    }
}
