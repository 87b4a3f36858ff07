package io.koclip.search.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.koclip.search.image.DecodeOptions;
import io.koclip.search.image.ImageDecoder;
import io.koclip.search.index.DocumentIds;
import io.koclip.search.index.ImageDocument;
import io.koclip.search.index.IndexOptions;
import io.koclip.search.index.IndexSpec;
import io.koclip.search.index.VectorIndex;
import io.koclip.search.index.lucene.LuceneBackend;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ingest with shrink-on-load ({@code --decode fast}): the encoder gets the smaller decode, the index
 * records the photo's own size. Needs libvips (skipped without it: the ImageIO path never shrinks).
 */
class FastDecodeIngestTest {
    @TempDir
    static Path photos;

    @TempDir
    Path tmp;

    @BeforeAll
    static void photo() throws IOException {
        BufferedImage image = new BufferedImage(4000, 3000, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 3000; y += 10) {
            for (int x = 0; x < 4000; x++) {
                int rgb = (x * 255 / 4000) << 16 | (y * 255 / 3000) << 8 | ((x + y) & 0xFF);
                for (int dy = 0; dy < 10; dy++) {
                    image.setRGB(x, y + dy, rgb);
                }
            }
        }
        ImageIO.write(image, "jpeg", photos.resolve("photo.jpg").toFile());
    }

    /** Records the size of every image the pipeline hands to the model. */
    static final class SizeRecordingEmbedder extends FakeEmbedder {
        final List<String> decodedSizes = new CopyOnWriteArrayList<>();

        @Override
        public float[] preprocess(BufferedImage rgb) {
            decodedSizes.add(rgb.getWidth() + "x" + rgb.getHeight());
            return super.preprocess(rgb);
        }
    }

    private ImageDocument ingest(DecodeOptions decoding, SizeRecordingEmbedder embedder) throws IOException {
        IngestOptions options = IngestOptions.defaults(photos).withWorkers(1).withBatchSize(1);
        Decoder decoder = Decoder.of(new ImageDecoder(options.maxPixels(), options.decodeTimeout(), decoding));
        try (VectorIndex index = new LuceneBackend(tmp.resolve("index"))
                .open(new IndexSpec(IngestJobTest.MODEL, IndexOptions.defaults()))) {
            IngestReport report = new IngestJob(embedder, decoder, ContentReader.FILES, index, options).run();
            assertThat(report.failures()).isEmpty();
            assertThat(report.encoded()).isOne();
            return index.get(DocumentIds.forPath("photo.jpg")).orElseThrow();
        }
    }

    @Test
    void aFastDecodedPhotoIsIndexedWithItsOriginalSize() throws IOException {
        assumeTrue(ImageDecoder.nativeAvailable(), "libvips not available: " + ImageDecoder.nativeStatus());
        SizeRecordingEmbedder embedder = new SizeRecordingEmbedder();
        // A 224-pixel model: the short side is kept >= 448, so 3000 shrinks by 4 to 750 (by 8 would be 375).
        ImageDocument document = ingest(DecodeOptions.fast(224).withBackend(DecodeOptions.Backend.LIBVIPS), embedder);

        assertThat(embedder.decodedSizes).containsExactly("1000x750");
        assertThat(document.width() + "x" + document.height()).isEqualTo("4000x3000");
    }

    @Test
    void anExactDecodeHandsTheModelTheFullPhoto() throws IOException {
        SizeRecordingEmbedder embedder = new SizeRecordingEmbedder();
        ImageDocument document = ingest(DecodeOptions.DEFAULT, embedder);

        assertThat(embedder.decodedSizes).containsExactly("4000x3000");
        assertThat(document.width() + "x" + document.height()).isEqualTo("4000x3000");
    }
}
