package io.koclip.search.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import io.koclip.search.image.ImageDecoder;
import io.koclip.search.image.ImageRejectedException;
import io.koclip.search.image.ImageTooLargeException;
import io.koclip.search.image.TestImages;
import io.koclip.search.index.InMemoryBackend;
import io.koclip.search.index.InMemoryVectorIndex;
import io.koclip.search.index.IndexSpec;
import io.koclip.search.model.ClipModel;
import io.koclip.search.model.ImageEncoder;
import io.koclip.search.model.ModelBundle;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Uploads through the real decoder: refused before the model sees them, huge ones from the header alone. */
class UploadRejectionTest {
    @TempDir
    Path folder;

    @Test
    void notAnImageOverTheCapAndEmptyAreRefusedBeforeEncoding() throws Exception {
        ClipModel model = mock(ClipModel.class);
        ModelBundle bundle = mock(ModelBundle.class);
        when(model.bundle()).thenReturn(bundle);
        when(bundle.name()).thenReturn("m");
        ImageEncoder encoder = mock(ImageEncoder.class);
        when(model.images()).thenReturn(encoder);
        InMemoryVectorIndex backing = new InMemoryVectorIndex("m", "fp");
        LiveIndex index = LiveIndex.open(
                new InMemoryBackend(backing), IndexSpec.of(backing.metadata().model()));
        InferenceLimiter limiter = new InferenceLimiter(1, Duration.ofSeconds(1), Duration.ofSeconds(1));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        SearchService service = new SearchService(
                model,
                index,
                mock(TextEmbeddings.class),
                new UploadEncoder(model, limiter, new ImageDecoder(100_000_000L), registry),
                new VectorRetriever(new CandidatePolicy(1)),
                SearchProperties.defaults(),
                new RequestTimer(registry));

        assertThatThrownBy(() -> service.searchImage("hello".getBytes(), "a.txt", Paging.firstPage(1)))
                .isInstanceOfSatisfying(
                        ImageRejectedException.class,
                        e -> assertThat(e.reason()).isEqualTo(ImageRejectedException.Reason.NOT_AN_IMAGE));
        assertThatThrownBy(() ->
                        service.searchImage(TestImages.pngHeaderOnly(30_000, 30_000), "huge.png", Paging.firstPage(1)))
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
