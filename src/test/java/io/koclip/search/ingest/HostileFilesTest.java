package io.koclip.search.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.koclip.search.image.ImageDecoder;
import io.koclip.search.index.IndexOptions;
import io.koclip.search.index.IndexSpec;
import io.koclip.search.index.ModelIdentity;
import io.koclip.search.index.VectorIndex;
import io.koclip.search.index.lucene.LuceneBackend;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hostile list of the ingest issue, one file at a time, through the real {@link ImageDecoder}:
 * each becomes exactly one failure entry with a precise reason, and the good file beside it is indexed.
 */
class HostileFilesTest {
    static final ModelIdentity MODEL = new ModelIdentity("fake", "0", FakeEmbedder.DIM);

    @TempDir
    Path tmp;

    Path source;

    @BeforeEach
    void setUp() throws IOException {
        source = Files.createDirectories(tmp.resolve("source"));
        TestImages.write(source, "good.jpg", 1);
    }

    /** Ingests the source with the real decoder; returns the single failure, after checking the rest. */
    IngestFailure onlyFailure(IngestOptions options, ContentReader reader) throws IOException {
        try (VectorIndex index =
                new LuceneBackend(tmp.resolve("index")).open(new IndexSpec(MODEL, IndexOptions.defaults()))) {
            // The decoder as production builds it: header probe for the memory budget, decode with a budget.
            Decoder decoder = Decoder.of(new ImageDecoder(options.maxPixels(), options.decodeTimeout()));
            IngestReport report = new IngestJob(new FakeEmbedder(), decoder, reader, index, options).run();
            assertThat(report.indexed()).as("the good file").isOne();
            assertThat(report.failed()).isOne();
            assertThat(report.failures()).hasSize(1);
            assertThat(report.documents()).isOne();
            System.out.println(report.failures().get(0));
            return report.failures().get(0);
        }
    }

    IngestFailure onlyFailure() throws IOException {
        return onlyFailure(IngestOptions.defaults(source).withWorkers(2), ContentReader.FILES);
    }

    @Test
    void emptyFile() throws IOException {
        Files.write(source.resolve("empty.jpg"), new byte[0]);
        IngestFailure f = onlyFailure();
        assertThat(f.path()).isEqualTo("empty.jpg");
        assertThat(f.code()).isEqualTo("empty");
    }

    @Test
    void textFileNamedJpg() throws IOException {
        Files.writeString(source.resolve("notes.jpg"), "shopping list: eggs, milk\n");
        IngestFailure f = onlyFailure();
        assertThat(f.path()).isEqualTo("notes.jpg");
        assertThat(f.code()).isEqualTo("not_an_image");
    }

    @Test
    void truncatedJpeg() throws IOException {
        byte[] jpeg = TestImages.encode(TestImages.image(2, 256), "jpg");
        Files.write(source.resolve("truncated.jpg"), Arrays.copyOf(jpeg, jpeg.length / 2));
        IngestFailure f = onlyFailure();
        assertThat(f.path()).isEqualTo("truncated.jpg");
        assertThat(f.code()).isEqualTo("corrupt");
    }

    @Test
    void truncatedPng() throws IOException {
        byte[] png = TestImages.encode(TestImages.image(3, 256), "png");
        Files.write(source.resolve("truncated.png"), Arrays.copyOf(png, png.length / 2));
        IngestFailure f = onlyFailure();
        assertThat(f.path()).isEqualTo("truncated.png");
        assertThat(f.code()).isEqualTo("corrupt");
    }

    @Test
    void bitFlippedJpeg() throws IOException {
        byte[] jpeg = TestImages.encode(TestImages.image(4, 128), "jpg");
        // Flip bits in the frame header (SOF0: FF C0): the image claims an impossible component layout.
        int sof = indexOf(jpeg, (byte) 0xFF, (byte) 0xC0);
        assertThat(sof).isPositive();
        jpeg[sof + 9] ^= (byte) 0xFF; // number of components: 3 -> 252
        Files.write(source.resolve("flipped.jpg"), jpeg);
        IngestFailure f = onlyFailure();
        assertThat(f.path()).isEqualTo("flipped.jpg");
        assertThat(f.code()).isEqualTo("corrupt");
    }

    @Test
    void randomBytesWithAPngSignature() throws IOException {
        byte[] bytes = new byte[4096];
        new Random(5).nextBytes(bytes);
        System.arraycopy(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A}, 0, bytes, 0, 8);
        Files.write(source.resolve("random.png"), bytes);
        IngestFailure f = onlyFailure();
        assertThat(f.path()).isEqualTo("random.png");
        assertThat(f.code()).isEqualTo("corrupt");
    }

    @Test
    void headerClaiming65535x65535Pixels() throws IOException {
        Files.write(source.resolve("bomb.png"), io.koclip.search.image.TestImages.pngHeaderOnly(65535, 65535));
        IngestFailure f = onlyFailure();
        assertThat(f.path()).isEqualTo("bomb.png");
        assertThat(f.code()).isEqualTo("too_large");
        assertThat(f.reason()).contains("65535x65535");
    }

    @Test
    void aRealImageOverThePixelCap() throws IOException {
        TestImages.write(source, "big.png", TestImages.encode(TestImages.image(6, 300), "png"));
        IngestFailure f = onlyFailure(
                IngestOptions.defaults(source).withWorkers(2).withMaxPixels(200 * 200), ContentReader.FILES);
        assertThat(f.path()).isEqualTo("big.png");
        assertThat(f.code()).isEqualTo("too_large");
        assertThat(f.reason()).contains("300x300");
    }

    @Test
    void corruptChunk() throws IOException {
        byte[] png = TestImages.encode(TestImages.image(7, 64), "png");
        int idat = indexOf(png, (byte) 'I', (byte) 'D', (byte) 'A', (byte) 'T');
        png[idat + 6] ^= 0x55; // damage the compressed data; the chunk's CRC no longer matches
        Files.write(source.resolve("bad-crc.png"), png);
        IngestFailure f = onlyFailure();
        assertThat(f.path()).isEqualTo("bad-crc.png");
        assertThat(f.code()).isEqualTo("corrupt");
    }

    @Test
    void unreadableFile() throws IOException {
        Path locked = TestImages.write(source, "locked.jpg", 8);
        ContentReader reader = ContentReader.FILES;
        if (locked.toFile().setReadable(false, false) && Files.isReadable(locked)) {
            // Running as root, where permissions do not apply: simulate what the file system would say.
            reader = file -> {
                if (file.getFileName().toString().equals("locked.jpg")) {
                    throw new AccessDeniedException(file.toString());
                }
                return Files.readAllBytes(file);
            };
        }
        try {
            IngestFailure f = onlyFailure(IngestOptions.defaults(source).withWorkers(2), reader);
            assertThat(f.path()).isEqualTo("locked.jpg");
            assertThat(f.code()).isEqualTo("unreadable");
            assertThat(f.reason()).isEqualTo("cannot read: permission denied");
        } finally {
            locked.toFile().setReadable(true, false);
        }
    }

    @Test
    void aDecodeOverItsTimeBudget() throws IOException {
        TestImages.write(source, "slow.png", TestImages.encode(TestImages.image(9, 64), "png"));
        byte[] slow = Files.readAllBytes(source.resolve("slow.png"));
        ImageDecoder decoder = new ImageDecoder(ImageDecoder.DEFAULT_MAX_PIXELS);
        try (VectorIndex index =
                new LuceneBackend(tmp.resolve("index")).open(new IndexSpec(MODEL, IndexOptions.defaults()))) {
            IngestReport report = new IngestJob(
                            new FakeEmbedder(),
                            (bytes, budget) -> {
                                if (Arrays.equals(bytes, slow)) {
                                    sleepUninterruptibly(budget.toMillis() * 3 + 2000);
                                }
                                return decoder.decode(bytes, budget);
                            },
                            ContentReader.FILES,
                            index,
                            IngestOptions.defaults(source).withWorkers(2).withDecodeTimeout(Duration.ofMillis(100)))
                    .run();
            assertThat(report.indexed()).isOne();
            assertThat(report.failures()).singleElement().satisfies(f -> {
                assertThat(f.path()).isEqualTo("slow.png");
                assertThat(f.code()).isEqualTo("timeout");
            });
        }
    }

    @Test
    void allAtOnceEveryOneIsOneEntry() throws IOException {
        Files.write(source.resolve("empty.jpg"), new byte[0]);
        Files.writeString(source.resolve("notes.jpg"), "text");
        byte[] jpeg = TestImages.encode(TestImages.image(2, 256), "jpg");
        Files.write(source.resolve("truncated.jpg"), Arrays.copyOf(jpeg, jpeg.length / 2));
        Files.write(source.resolve("bomb.png"), io.koclip.search.image.TestImages.pngHeaderOnly(65535, 65535));
        byte[] random = new byte[2048];
        new Random(3).nextBytes(random);
        System.arraycopy(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A}, 0, random, 0, 8);
        Files.write(source.resolve("random.png"), random);
        try (VectorIndex index =
                new LuceneBackend(tmp.resolve("index")).open(new IndexSpec(MODEL, IndexOptions.defaults()))) {
            IngestReport report = new IngestJob(new FakeEmbedder(), index, IngestOptions.defaults(source)).run();
            assertThat(report.indexed()).isOne();
            assertThat(report.failed()).isEqualTo(5);
            Map<String, String> codes = new HashMap<>();
            report.failures().forEach(f -> codes.put(f.path(), f.code()));
            assertThat(codes)
                    .containsEntry("empty.jpg", "empty")
                    .containsEntry("notes.jpg", "not_an_image")
                    .containsEntry("truncated.jpg", "corrupt")
                    .containsEntry("bomb.png", "too_large")
                    .containsEntry("random.png", "corrupt");
        }
    }

    private static int indexOf(byte[] haystack, byte... needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static void sleepUninterruptibly(long millis) {
        long end = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < end) {
            try {
                Thread.sleep(Math.max(1, end - System.currentTimeMillis()));
            } catch (InterruptedException e) {
                // a decoder that ignores interruption
            }
        }
    }
}
