package io.koclip.search.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.koclip.search.image.ImageDecoder;
import io.koclip.search.model.ClipModel;
import io.koclip.search.model.ModelOptions;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.junit.jupiter.api.Test;

/**
 * The measurement behind {@link NearDuplicates#DEFAULT_MAX_DISTANCE}: on the demo corpus with the demo
 * model, the cosine distance of true near-copies (every image re-encoded as JPEG quality 60, resized to
 * half and to 75 %, made here) to their original, against the distance between distinct images (every
 * pair of originals with different bytes). Prints the distributions; asserts that the default lies
 * above every copy's distance and that pairs of images of different kinds (colour and shape, from the
 * file name) within it are fewer than 0.1 % of all distinct pairs. The demo model barely tells two renders of one kind apart,
 * so those pairs are linked at any useful distance.
 */
class NearDuplicateDistanceTest {
    static final Path CORPUS = Path.of("ingest");

    @Test
    void theDefaultSeparatesNearCopiesFromDistinctImages() throws Exception {
        assumeTrue(Files.isDirectory(CORPUS), "the sample corpus ingest/ is not here");
        assumeTrue(getClass().getResource("/models/demo/model.json") != null, "the demo bundle is not here");
        List<Path> files;
        try (Stream<Path> walk = Files.walk(CORPUS)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        ImageDecoder decoder = new ImageDecoder(ImageDecoder.DEFAULT_MAX_PIXELS);
        List<float[]> originals = new ArrayList<>();
        List<String> hashes = new ArrayList<>();
        List<Double> copies = new ArrayList<>();
        try (ClipModel clip = ClipModel.open("demo", ModelOptions.defaults())) {
            for (Path file : files) {
                byte[] bytes = Files.readAllBytes(file);
                hashes.add(HexFormat.of()
                        .formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
                BufferedImage rgb = decoder.decode(bytes).rgb();
                float[] original = clip.images().encode(rgb);
                originals.add(original);
                for (byte[] copy : List.of(jpeg(rgb, 0.6f), jpeg(scaled(rgb, 0.5), 0.9f), png(scaled(rgb, 0.75)))) {
                    float[] v = clip.images().encode(decoder.decode(copy).rgb());
                    copies.add(1 - NearDuplicates.cosine(original, v));
                }
            }
        }
        List<Double> distinct = new ArrayList<>();
        double threshold = NearDuplicates.DEFAULT_MAX_DISTANCE;
        int linkedAcrossKinds = 0;
        for (int a = 0; a < originals.size(); a++) {
            for (int b = a + 1; b < originals.size(); b++) {
                if (!hashes.get(a).equals(hashes.get(b))) {
                    double distance = 1 - NearDuplicates.cosine(originals.get(a), originals.get(b));
                    distinct.add(distance);
                    if (distance <= threshold && !kind(files.get(a)).equals(kind(files.get(b)))) {
                        linkedAcrossKinds++;
                        System.out.printf(
                                Locale.ROOT, "linked across kinds: %s %s %.5f%n", files.get(a), files.get(b), distance);
                    }
                }
            }
        }
        double[] c = copies.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double[] d = distinct.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        long distinctBelow = Arrays.stream(d).filter(x -> x <= threshold).count();
        System.out.printf(
                Locale.ROOT,
                "near-copies (%d): median %.5f p95 %.5f p99 %.5f max %.5f%n",
                c.length,
                q(c, 0.5),
                q(c, 0.95),
                q(c, 0.99),
                c[c.length - 1]);
        System.out.printf(
                Locale.ROOT,
                "distinct pairs (%d): min %.5f p0.1 %.5f p1 %.5f p5 %.5f median %.5f%n",
                d.length,
                d[0],
                q(d, 0.001),
                q(d, 0.01),
                q(d, 0.05),
                q(d, 0.5));
        for (double t : new double[] {0.005, 0.01, 0.02, 0.03, 0.05}) {
            System.out.printf(
                    Locale.ROOT,
                    "maxDistance %.3f: copies found %.1f %%, distinct pairs linked %d (%.3f %%)%n",
                    t,
                    100.0 * Arrays.stream(c).filter(x -> x <= t).count() / c.length,
                    Arrays.stream(d).filter(x -> x <= t).count(),
                    100.0 * Arrays.stream(d).filter(x -> x <= t).count() / d.length);
        }
        assertThat(c[c.length - 1]).as("the farthest near-copy").isLessThanOrEqualTo(threshold);
        // The demo model knows little more than colour and shape: distinct renders of one kind
        // ("red-circle-…") are as close as copies; images of different kinds are linked rarely.
        System.out.printf(
                Locale.ROOT,
                "at the default %.3f: %d distinct pairs linked, %d of them of different kinds%n",
                threshold,
                distinctBelow,
                linkedAcrossKinds);
        assertThat((double) linkedAcrossKinds / d.length)
                .as("pairs of different kinds within the default distance")
                .isLessThan(0.001);
    }

    /** The kind of a corpus image: its name without the number, {@code red-circle} of {@code red-circle-001.png}. */
    private static String kind(Path file) {
        return file.getFileName().toString().replaceFirst("-\\d+\\.[a-z]+$", "");
    }

    private static double q(double[] sorted, double quantile) {
        return sorted[(int) Math.min(sorted.length - 1, Math.floor(quantile * sorted.length))];
    }

    private static BufferedImage scaled(BufferedImage image, double factor) {
        int w = Math.max(1, (int) Math.round(image.getWidth() * factor));
        int h = Math.max(1, (int) Math.round(image.getHeight() * factor));
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(image, 0, 0, w, h, null);
        } finally {
            g.dispose();
        }
        return out;
    }

    private static byte[] jpeg(BufferedImage image, float quality) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(stream);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality);
            writer.write(null, new IIOImage(rgb(image), null, null), param);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    private static byte[] png(BufferedImage image) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    private static BufferedImage rgb(BufferedImage image) {
        if (image.getType() == BufferedImage.TYPE_INT_RGB) {
            return image;
        }
        BufferedImage out = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.drawImage(image, 0, 0, null);
        g.dispose();
        return out;
    }
}
