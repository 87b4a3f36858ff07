package io.koclip.search.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ExactRankingTest {
    /*
     * Hand-computed case. Images i0 = (1,0), i1 = (0,1), i2 = (1,0) (the same vector as i0, so
     * text-to-image ties); captions c0 (1,0) and c1 (0,1) describe i0, c2 (0.6,0.8) and c4 (0,1) i1,
     * c3 (1,0) i2 (c3 and c0 are the same vector, so image-to-text ties).
     *
     *          i0   i1   i2     own image  rank (ties in index order)
     *   c0     1    0    1      i0         1
     *   c1     0    1    0      i0         2  (i1 scores higher)
     *   c2    .6   .8   .6      i1         1
     *   c3     1    0    1      i2         2  (i0 ties with i2 and comes first)
     *   c4     0    1    0      i1         1
     *
     * Image to text, best caption of each image among c0..c4:
     *   i0: c0 scores 1, nothing higher, no equal before it          -> 1
     *   i1: c4 scores 1 (c2 only .8); c1 ties at 1 and comes first   -> 2
     *   i2: c3 scores 1; c0 ties at 1 and comes first                -> 2
     */
    static final float[][] IMAGES = {{1, 0}, {0, 1}, {1, 0}};
    static final float[][] CAPTIONS = {{1, 0}, {0, 1}, {0.6f, 0.8f}, {1, 0}, {0, 1}};
    static final int[] CAPTION_IMAGE = {0, 0, 1, 2, 1};

    @Test
    void handComputedCaseWithTiesAndSeveralCaptionsPerImage() {
        Rankings r = ExactRanking.rank(IMAGES, CAPTIONS, CAPTION_IMAGE, 0);
        assertThat(r.textToImage()).containsExactly(1, 2, 1, 2, 1);
        assertThat(r.imageToText()).containsExactly(1, 2, 2);

        RetrievalMetrics m = RetrievalMetrics.of(r, 3, List.of(1, 2, 3));
        assertThat(m.textToImage())
                .containsEntry(1, 3 / 5.0)
                .containsEntry(2, 1.0)
                .containsEntry(3, 1.0);
        assertThat(m.imageToText())
                .containsEntry(1, 1 / 3.0)
                .containsEntry(2, 1.0)
                .containsEntry(3, 1.0);
        assertThat(m.medianRank()).isEqualTo(1.0); // ranks 1,1,1,2,2
        assertThat(m.images()).isEqualTo(3);
        assertThat(m.captions()).isEqualTo(5);
    }

    @Test
    void tiesResolveByIndexNotInFavourOfTheTrueMatch() {
        // Swap the two identical images: now c0 and c1 belong to the later of the pair and lose the tie
        // (c1 scores 0 on i0 and i2 alike, behind i1's 1 and then i0 by index: rank 3).
        int[] captionImage = {2, 2, 1, 0, 1};
        Rankings r = ExactRanking.rank(IMAGES, CAPTIONS, captionImage, 0);
        assertThat(r.textToImage()).containsExactly(2, 3, 1, 1, 1);
        // i0 now owns c3 only (ties with c0, which comes first); i2 owns c0 and c1.
        assertThat(r.imageToText()).containsExactly(2, 2, 1);
    }

    @Test
    void scoresAreDoubleSumsInDimensionOrder() {
        float[] a = {0.1f, 0.2f, 0.3f, 0.4f, 0.5f};
        float[][] images = {
            {0.5f, 0.4f, 0.3f, 0.2f, 0.1f}, {0.3f, 0.3f, 0.3f, 0.3f, 0.3f}, a, {1, 0, 0, 0, 0}, {0, 0, 0, 0, 1}
        };
        double[] out = new double[images.length];
        ExactRanking.scores(a, images, out);
        for (int i = 0; i < images.length; i++) {
            double expected = 0;
            for (int k = 0; k < a.length; k++) {
                expected += (double) a[k] * images[i][k];
            }
            assertThat(out[i]).isEqualTo(expected); // bit for bit, both the 4-wide and the tail path
        }
    }

    @Test
    void agreesWithAStableSortOnRandomVectorsWithDuplicates() {
        long seed = new Random().nextLong();
        System.out.println("ExactRankingTest seed: " + seed);
        Random random = new Random(seed);
        for (int round = 0; round < 20; round++) {
            int m = 1 + random.nextInt(40);
            int n = 1 + random.nextInt(150);
            int dim = 1 + random.nextInt(9);
            float[][] images = new float[m][];
            for (int i = 0; i < m; i++) {
                images[i] = i > 0 && random.nextInt(4) == 0 ? images[random.nextInt(i)].clone() : unit(random, dim);
            }
            float[][] captions = new float[n][];
            int[] captionImage = new int[n];
            for (int c = 0; c < n; c++) {
                captionImage[c] = random.nextInt(m);
                captions[c] = c > 0 && random.nextInt(3) == 0 ? captions[random.nextInt(c)].clone() : unit(random, dim);
            }
            Rankings r = ExactRanking.rank(images, captions, captionImage, 0);
            int[] t2i = r.textToImage();
            for (int c = 0; c < n; c++) {
                int caption = c;
                double[] row = new double[m];
                for (int i = 0; i < m; i++) {
                    row[i] = ExactRanking.dot(captions[c], images[i]);
                }
                assertThat(t2i[c])
                        .as("seed %d caption %d", seed, c)
                        .isEqualTo(position(row, i -> i == captionImage[caption]) + 1);
            }
            int[] i2t = r.imageToText();
            for (int i = 0; i < m; i++) {
                double[] column = new double[n];
                for (int c = 0; c < n; c++) {
                    column[c] = ExactRanking.dot(captions[c], images[i]);
                }
                int image = i;
                boolean hasCaption = Arrays.stream(captionImage).anyMatch(x -> x == image);
                int expected = hasCaption ? position(column, c -> captionImage[c] == image) + 1 : Rankings.UNRANKED;
                assertThat(i2t[i]).as("seed %d image %d", seed, i).isEqualTo(expected);
            }
        }
    }

    /** The first position, in a stable descending sort of {@code scores}, of an index that {@code isTrue}. */
    private static int position(double[] scores, java.util.function.IntPredicate isTrue) {
        Integer[] order = IntStream.range(0, scores.length).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble((Integer j) -> -scores[j])); // stable: ties keep index order
        for (int p = 0; p < order.length; p++) {
            if (isTrue.test(order[p])) {
                return p;
            }
        }
        throw new AssertionError("no true index");
    }

    private static float[] unit(Random random, int dim) {
        float[] v = new float[dim];
        double sum = 0;
        for (int k = 0; k < dim; k++) {
            // Coarse values make exact ties between different vectors' scores likely too.
            v[k] = random.nextInt(5) - 2;
            sum += v[k] * v[k];
        }
        if (sum == 0) {
            v[0] = 1;
            return v;
        }
        for (int k = 0; k < dim; k++) {
            v[k] /= (float) Math.sqrt(sum);
        }
        return v;
    }

    @Test
    void rejectsACaptionPointingOutsideTheImages() {
        assertThatThrownBy(() -> ExactRanking.rank(IMAGES, CAPTIONS, new int[] {0, 0, 1, 3, 1}, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("captionImage[3]: 3");
    }

    @Test
    void medianOfAnEvenCountIsTheMeanOfTheMiddleTwoAndUnrankedIsUnbounded() {
        assertThat(RetrievalMetrics.median(new int[] {4, 1, 3, 2})).isCloseTo(2.5, within(0.0));
        assertThat(RetrievalMetrics.median(new int[] {7})).isEqualTo(7.0);
        assertThat(RetrievalMetrics.median(new int[] {1, Rankings.UNRANKED, Rankings.UNRANKED}))
                .isInfinite();
        assertThat(RetrievalMetrics.median(new int[] {1, 2, Rankings.UNRANKED})).isEqualTo(2.0);
    }

    @Test
    void aTargetWithoutImageToTextReportsNoImageRecall() {
        Rankings r = new Rankings(new int[] {1, Rankings.UNRANKED, 3}, null, 0);
        RetrievalMetrics m = RetrievalMetrics.of(r, 10, List.of(1, 5));
        assertThat(m.imageToText()).isNull();
        assertThat(m.textToImage()).containsEntry(1, 1 / 3.0).containsEntry(5, 2 / 3.0);
        assertThat(m.medianRank()).isEqualTo(3.0);
    }
}
