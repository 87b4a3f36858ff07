package io.koclip.search.search;

import static io.koclip.search.index.InMemoryVectorIndex.unit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.koclip.search.image.DecodedImage;
import io.koclip.search.image.ImageDecoder;
import io.koclip.search.index.ImageDocument;
import io.koclip.search.index.InMemoryBackend;
import io.koclip.search.index.InMemoryVectorIndex;
import io.koclip.search.index.IndexSpec;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.unit.DataSize;

class ImageStoreTest {
    @TempDir
    Path folder;

    Path source;
    InMemoryVectorIndex backing;
    ImageDecoder decoder;
    ImageStore store;

    private void add(String id, String path, String hash) throws Exception {
        backing.upsert(new ImageDocument(id, path, hash, 400, 200, 10, 0, "png", null, unit(4, 0, 1, 0)));
    }

    @BeforeEach
    void setUp() throws Exception {
        source = folder.resolve("source");
        Files.createDirectories(source.resolve("red"));
        Files.write(source.resolve("red/a.png"), new byte[] {1, 2, 3});
        Files.writeString(folder.resolve("secret.txt"), "secret");
        backing = new InMemoryVectorIndex("m", "fp");
        add("a", "red/a.png", "ha");
        add("copy", "red/../red/a.png", "ha");
        add("dotdot", "../secret.txt", "hs");
        add("absolute", folder.resolve("secret.txt").toString(), "hs");
        add("missing", "red/gone.png", "hg");
        decoder = mock(ImageDecoder.class);
        LiveIndex index = LiveIndex.open(
                new InMemoryBackend(backing), IndexSpec.of(backing.metadata().model()));
        store = new ImageStore(
                source,
                index,
                decoder,
                new InferenceLimiter(1, Duration.ofSeconds(1), Duration.ofSeconds(1)),
                new SearchProperties.Thumbnails(100, DataSize.ofMegabytes(1), Duration.ofHours(1)),
                new SimpleMeterRegistry());
    }

    @Test
    void servesFilesInsideTheSource() {
        StoredImage image = store.original("a");
        assertThat(image.file()).isEqualTo(source.resolve("red/a.png").toAbsolutePath());
        assertThat(image.contentType()).isEqualTo("image/png");
        assertThat(image.etag()).isEqualTo("\"ha\"");
        assertThat(store.original("copy").file()).isEqualTo(image.file());
    }

    @Test
    void refusesPathsThatLeaveTheSource() throws Exception {
        assertThatThrownBy(() -> store.original("dotdot")).isInstanceOf(DocumentNotFoundException.class);
        assertThatThrownBy(() -> store.original("absolute")).isInstanceOf(DocumentNotFoundException.class);
        Files.createSymbolicLink(source.resolve("red/link.png"), folder.resolve("secret.txt"));
        add("link", "red/link.png", "hl");
        assertThatThrownBy(() -> store.original("link")).isInstanceOf(DocumentNotFoundException.class);
    }

    @Test
    void unknownMissingAndMalformedIdsAreNotFound() {
        assertThatThrownBy(() -> store.original("nope")).isInstanceOf(DocumentNotFoundException.class);
        assertThatThrownBy(() -> store.original("missing")).isInstanceOf(DocumentNotFoundException.class);
        assertThatThrownBy(() -> store.original("../../etc/passwd")).isInstanceOf(DocumentNotFoundException.class);
    }

    @Test
    void thumbnailsAreScaledJpegsCachedByContent() throws Exception {
        BufferedImage rgb = new BufferedImage(400, 200, BufferedImage.TYPE_INT_RGB);
        when(decoder.decode(any(byte[].class))).thenReturn(new DecodedImage(rgb, "png", 400, 200));
        Thumbnail thumbnail = store.thumbnail("a");
        BufferedImage jpeg = ImageIO.read(new ByteArrayInputStream(thumbnail.jpeg()));
        assertThat(jpeg.getWidth()).isEqualTo(100);
        assertThat(jpeg.getHeight()).isEqualTo(50);
        assertThat(thumbnail.etag()).isEqualTo("\"ha-t100\"");
        assertThat(store.thumbnail("copy").jpeg()).isSameAs(thumbnail.jpeg());
        verify(decoder, times(1)).decode(any(byte[].class));
    }

    @Test
    void heifAndAvifOriginalsHaveTheirMediaTypes() throws Exception {
        Path fixtures = Path.of("src/test/resources/images/heif");
        byte[] heic = Files.readAllBytes(fixtures.resolve("photo.heic")); // ftyp major brand "heic"
        byte[] generic = heic.clone();
        System.arraycopy("mif1".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, generic, 8, 4);
        Files.write(source.resolve("red/p.heic"), heic);
        Files.write(source.resolve("red/g.heif"), generic);
        Files.copy(fixtures.resolve("photo.avif"), source.resolve("red/p.avif"));
        backing.upsert(new ImageDocument("h", "red/p.heic", "hh", 320, 240, 10, 0, "heic", null, unit(4, 0, 1, 0)));
        backing.upsert(new ImageDocument("g", "red/g.heif", "hg", 320, 240, 10, 0, "heic", null, unit(4, 0, 1, 0)));
        backing.upsert(new ImageDocument("v", "red/p.avif", "hv", 320, 240, 10, 0, "avif", null, unit(4, 0, 1, 0)));

        assertThat(store.original("h").contentType()).isEqualTo("image/heic");
        assertThat(store.original("g").contentType()).isEqualTo("image/heif");
        assertThat(store.original("v").contentType()).isEqualTo("image/avif");
        assertThat(ImageStore.heifType(new byte[] {0, 0, 0, 24, 'f', 't', 'y', 'p', 'h', 'e', 'v', 'c'}))
                .isEqualTo("image/heic-sequence");
        assertThat(ImageStore.heifType(new byte[] {0, 0})).isEqualTo("image/heif");
    }

    @Test
    void heicThumbnailsOnTheLibvipsPath() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(ImageDecoder.nativeAvailable(), ImageDecoder.nativeStatus());
        Files.copy(Path.of("src/test/resources/images/heif/photo.heic"), source.resolve("red/p.heic"));
        backing.upsert(new ImageDocument("h", "red/p.heic", "hh", 320, 240, 10, 0, "heic", null, unit(4, 0, 1, 0)));
        ImageStore real = new ImageStore(
                source,
                LiveIndex.open(
                        new InMemoryBackend(backing),
                        IndexSpec.of(backing.metadata().model())),
                new ImageDecoder(
                        ImageDecoder.DEFAULT_MAX_PIXELS,
                        ImageDecoder.DEFAULT_BUDGET,
                        io.koclip.search.image.DecodeOptions.fast(100)),
                new InferenceLimiter(1, Duration.ofSeconds(1), Duration.ofSeconds(1)),
                new SearchProperties.Thumbnails(100, DataSize.ofMegabytes(1), Duration.ofHours(1)),
                new SimpleMeterRegistry());
        BufferedImage jpeg =
                ImageIO.read(new ByteArrayInputStream(real.thumbnail("h").jpeg()));
        assertThat(jpeg.getWidth() + "x" + jpeg.getHeight()).isEqualTo("100x75");
        // The top-left quadrant of the fixture is flat red.
        int rgb = jpeg.getRGB(10, 10);
        assertThat((rgb >> 16) & 0xFF).isGreaterThan(200);
        assertThat((rgb >> 8) & 0xFF).isLessThan(70);
    }

    @Test
    void scaleNeverEnlarges() {
        BufferedImage small = new BufferedImage(30, 20, BufferedImage.TYPE_INT_RGB);
        assertThat(ImageStore.scale(small, 100)).isSameAs(small);
        BufferedImage tall = ImageStore.scale(new BufferedImage(300, 3000, BufferedImage.TYPE_INT_RGB), 100);
        assertThat(tall.getWidth()).isEqualTo(10);
        assertThat(tall.getHeight()).isEqualTo(100);
    }
}
