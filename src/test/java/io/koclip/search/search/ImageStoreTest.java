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
    void scaleNeverEnlarges() {
        BufferedImage small = new BufferedImage(30, 20, BufferedImage.TYPE_INT_RGB);
        assertThat(ImageStore.scale(small, 100)).isSameAs(small);
        BufferedImage tall = ImageStore.scale(new BufferedImage(300, 3000, BufferedImage.TYPE_INT_RGB), 100);
        assertThat(tall.getWidth()).isEqualTo(10);
        assertThat(tall.getHeight()).isEqualTo(100);
    }
}
