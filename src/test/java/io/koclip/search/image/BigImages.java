package io.koclip.search.image;

/** Large test images, made once per test JVM (encoding them takes about a second). */
final class BigImages {
    private BigImages() {}

    private static final class Jpeg {
        static final byte[] BYTES = TestImages.jpeg(TestImages.noisy(4000, 3000, 12), 0.9f);
    }

    private static final class Png {
        static final byte[] BYTES = TestImages.encode(TestImages.noisy(2000, 2000, 4), "png");
    }

    /** A 4000 x 3000 noisy JPEG, quality 0.9 (about 6 MB). */
    static byte[] jpeg12MegaPixels() {
        return Jpeg.BYTES;
    }

    /** A 2000 x 2000 noisy PNG. */
    static byte[] png4MegaPixels() {
        return Png.BYTES;
    }
}
