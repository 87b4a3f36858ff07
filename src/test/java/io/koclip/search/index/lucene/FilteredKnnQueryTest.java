package io.koclip.search.index.lucene;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.Directory;
import org.apache.lucene.util.VectorUtil;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The exact-up-front rule of filtered kNN, and that both of its routes answer the filtered query. */
class FilteredKnnQueryTest {
    private static final int DOCS = 4000;
    private static final int DIMENSION = 32;
    private static final String FIELD = "v";
    private static Directory directory;
    private static DirectoryReader reader;
    private static float[][] vectors;
    private static boolean[] inTenth;
    private static boolean[] inHalf;

    @BeforeAll
    static void index() throws IOException {
        Random random = new Random(7);
        vectors = new float[DOCS][];
        inTenth = new boolean[DOCS];
        inHalf = new boolean[DOCS];
        directory = new ByteBuffersDirectory();
        try (IndexWriter writer = new IndexWriter(directory, new IndexWriterConfig().setMaxBufferedDocs(1000))) {
            for (int i = 0; i < DOCS; i++) {
                vectors[i] = unit(random);
                inTenth[i] = i % 10 == 3;
                inHalf[i] = i % 2 == 0;
                Document doc = new Document();
                doc.add(new KnnFloatVectorField(FIELD, vectors[i], VectorSimilarityFunction.DOT_PRODUCT));
                doc.add(new StringField("tenth", inTenth[i] ? "yes" : "no", Field.Store.NO));
                doc.add(new StringField("half", inHalf[i] ? "yes" : "no", Field.Store.NO));
                doc.add(new StoredField("i", i));
                writer.addDocument(doc);
            }
            writer.forceMerge(1);
        }
        reader = DirectoryReader.open(directory);
    }

    @AfterAll
    static void close() throws IOException {
        reader.close();
        directory.close();
    }

    private static float[] unit(Random random) {
        float[] v = new float[DIMENSION];
        for (int d = 0; d < DIMENSION; d++) {
            v[d] = (float) random.nextGaussian();
        }
        return VectorUtil.l2normalize(v);
    }

    private static final Query TENTH = new TermQuery(new Term("tenth", "yes"));
    private static final Query HALF = new TermQuery(new Term("half", "yes"));

    @Test
    void ruleComparesTheSquaredMatchingCountWithRatioTimesCandidatesTimesSegmentSize() {
        // 400 matching of 4000 at 10 candidates: 160 000 <= R * 40 000 from R = 4 on
        assertThat(FilteredKnnQuery.exactUpFront(400, 4000, 10, 4)).isTrue();
        assertThat(FilteredKnnQuery.exactUpFront(400, 4000, 10, 3.99)).isFalse();
        // the bound grows with the candidates and with the square root of the segment
        assertThat(FilteredKnnQuery.exactUpFront(400, 4000, 40, 1)).isTrue();
        assertThat(FilteredKnnQuery.exactUpFront(800, 16_000, 10, 4)).isTrue();
        assertThat(FilteredKnnQuery.exactUpFront(801, 16_000, 10, 4)).isFalse();
        // ratio 0: never (Lucene's own strategy)
        assertThat(FilteredKnnQuery.exactUpFront(1, 1_000_000, 100, 0)).isFalse();
        // no overflow at sizes far past an int's square root
        assertThat(FilteredKnnQuery.exactUpFront(2_000_000_000L, 2_000_000_000L, 100, 30))
                .isFalse();
        assertThat(FilteredKnnQuery.exactUpFront(2_000_000L, 2_000_000_000L, 100, 30))
                .isTrue();
    }

    @Test
    void exactRouteFindsTheExactTopKWhereTheWalkIsApproximate() throws IOException {
        IndexSearcher searcher = new IndexSearcher(reader);
        Random random = new Random(11);
        int walkMissed = 0;
        for (int q = 0; q < 30; q++) {
            float[] target = unit(random);
            int[] exact = exactTop(target, inHalf, 10);
            // 2000 matching: 2000^2 = 4e6 <= 1000 * 10 * 4000, so exact up front; with ratio 0 Lucene's
            // filtered walk (budget 2000 visits) completes on 32-dimensional noise, approximately
            int[] found = ids(searcher, new FilteredKnnQuery(FIELD, target, 10, HALF, 1000), 10);
            assertThat(found).as("query %d", q).containsExactly(exact);
            int[] walked = ids(searcher, new FilteredKnnQuery(FIELD, target, 10, HALF, 0), 10);
            if (!Arrays.equals(walked, exact)) {
                walkMissed++;
            }
        }
        // else this test could not tell the two routes apart
        assertThat(walkMissed)
                .as("queries where the filtered walk missed an exact neighbour")
                .isPositive();
    }

    @Test
    void exactRouteFindsTheExactTopKUnderATenPercentFilter() throws IOException {
        IndexSearcher searcher = new IndexSearcher(reader);
        Random random = new Random(12);
        for (int q = 0; q < 10; q++) {
            float[] target = unit(random);
            int[] exact = exactTop(target, inTenth, 10);
            assertThat(ids(searcher, new FilteredKnnQuery(FIELD, target, 10, TENTH, 1000), 10))
                    .containsExactly(exact);
        }
    }

    @Test
    void ratioZeroAnswersLikeLucenesOwnFilteredQuery() throws IOException {
        IndexSearcher searcher = new IndexSearcher(reader);
        Random random = new Random(13);
        for (int q = 0; q < 30; q++) {
            float[] target = unit(random);
            int[] ours = ids(searcher, new FilteredKnnQuery(FIELD, target, 20, TENTH, 0), 10);
            int[] lucene = ids(searcher, new KnnFloatVectorQuery(FIELD, target, 20, TENTH), 10);
            assertThat(ours).as("query %d", q).containsExactly(lucene);
            for (int id : ours) {
                assertThat(inTenth[id]).isTrue();
            }
        }
    }

    @Test
    void refusesANegativeOrInfiniteRatioAndAMissingFilter() {
        float[] target = unit(new Random(1));
        assertThatThrownBy(() -> new FilteredKnnQuery(FIELD, target, 10, TENTH, -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1.0");
        assertThatThrownBy(() -> new FilteredKnnQuery(FIELD, target, 10, TENTH, Double.POSITIVE_INFINITY))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FilteredKnnQuery(FIELD, target, 10, null, 1))
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    void theRatioIsPartOfTheQuerysIdentity() {
        float[] target = unit(new Random(2));
        assertThat(new FilteredKnnQuery(FIELD, target, 10, TENTH, 30))
                .isEqualTo(new FilteredKnnQuery(FIELD, target.clone(), 10, TENTH, 30))
                .hasSameHashCodeAs(new FilteredKnnQuery(FIELD, target.clone(), 10, TENTH, 30))
                .isNotEqualTo(new FilteredKnnQuery(FIELD, target, 10, TENTH, 0));
    }

    private static int[] ids(IndexSearcher searcher, Query query, int k) throws IOException {
        ScoreDoc[] top = searcher.search(query, k).scoreDocs;
        int[] ids = new int[top.length];
        for (int i = 0; i < top.length; i++) {
            ids[i] = searcher.storedFields()
                    .document(top[i].doc)
                    .getField("i")
                    .numericValue()
                    .intValue();
        }
        return ids;
    }

    private static int[] exactTop(float[] target, boolean[] accepted, int k) {
        List<Integer> matching = new ArrayList<>();
        for (int i = 0; i < DOCS; i++) {
            if (accepted[i]) {
                matching.add(i);
            }
        }
        return matching.stream()
                .sorted(Comparator.comparingDouble((Integer i) -> -VectorUtil.dotProduct(target, vectors[i]))
                        .thenComparingInt(i -> i))
                .limit(k)
                .mapToInt(Integer::intValue)
                .toArray();
    }
}
