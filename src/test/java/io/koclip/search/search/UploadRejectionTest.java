package io.koclip.search.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import io.koclip.search.image.ImageDecoder;
import io.koclip.search.image.ImageRejectedException;
import io.koclip.search.image.ImageTooLargeException;
import io.koclip.search.model.ClipModel;
import io.koclip.search.model.ImageEncoder;
import io.koclip.search.model.ModelBundle;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Uploads through the real decoder: refused before the model sees them, huge ones from the header alone. */
class UploadRejectionTest {
    @TempDir
    Path folder;

    /**
     * A well-formed PNG whose header claims {@code side × side} pixels but whose only pixel data is a
     * few compressed bytes: a decoder that trusted it would allocate gigabytes.
     */
    static byte[] pngHeader(int side) {
        java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
        png.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10});
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(side).putInt(side);
        ihdr.put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
        chunk(png, "IHDR", ihdr.array());
        java.util.zip.Deflater deflater = new java.util.zip.Deflater();
        deflater.setInput(new byte[64]);
        deflater.finish();
        byte[] idat = new byte[64];
        chunk(png, "IDAT", java.util.Arrays.copyOf(idat, deflater.deflate(idat)));
        chunk(png, "IEND", new byte[0]);
        return png.toByteArray();
    }

    private static void chunk(java.io.ByteArrayOutputStream out, String type, byte[] data) {
        byte[] typed = new byte[4 + data.length];
        System.arraycopy(type.getBytes(StandardCharsets.US_ASCII), 0, typed, 0, 4);
        System.arraycopy(data, 0, typed, 4, data.length);
        CRC32 crc = new CRC32();
        crc.update(typed);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(typed);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    @Test
    void notAnImageOverTheCapAndEmptyAreRefusedBeforeEncoding() throws Exception {
        ClipModel model = mock(ClipModel.class);
        ModelBundle bundle = mock(ModelBundle.class);
        when(model.bundle()).thenReturn(bundle);
        when(bundle.name()).thenReturn("m");
        ImageEncoder encoder = mock(ImageEncoder.class);
        when(model.images()).thenReturn(encoder);
        InMemoryVectorIndex backing = new InMemoryVectorIndex("m", "fp");
        LiveIndex index = LiveIndex.open(folder.resolve("index"), dir -> backing, "m", "fp");
        InferenceLimiter limiter = new InferenceLimiter(1, Duration.ofSeconds(1), Duration.ofSeconds(1));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        SearchService service = new SearchService(
                model,
                index,
                mock(TextEmbeddings.class),
                limiter,
                new ImageDecoder(100_000_000L),
                SearchProperties.defaults(),
                registry);

        assertThatThrownBy(() -> service.searchImage("hello".getBytes(), "a.txt", Paging.firstPage(1)))
                .isInstanceOfSatisfying(
                        ImageRejectedException.class,
                        e -> assertThat(e.reason()).isEqualTo(ImageRejectedException.Reason.NOT_AN_IMAGE));
        assertThatThrownBy(() -> service.searchImage(pngHeader(30_000), "huge.png", Paging.firstPage(1)))
                .isInstanceOf(ImageTooLargeException.class)
                .hasMessageContaining("30000x30000");
        assertThatThrownBy(() -> service.searchImage(new byte[0], "e.png", Paging.firstPage(1)))
                .isInstanceOfSatisfying(
                        ImageRejectedException.class,
                        e -> assertThat(e.reason()).isEqualTo(ImageRejectedException.Reason.EMPTY));
        verifyNoInteractions(encoder);
        assertThat(limiter.available()).isEqualTo(1);
    }
}
