package io.koclip.search.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.koclip.search.index.ImageDocument;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Reciprocal Rank Fusion: scores, the both-lists guarantee, and deterministic ties. */
class HybridRetrieverTest {
    static ImageDocument doc(String id) {
        return new ImageDocument(id, id + ".png", "h-" + id, 1, 1, 1, 0, "png", null, null);
    }

    static List<RetrievedHit> vectorList(String... ids) {
        List<RetrievedHit> hits = new ArrayList<>();
        for (int i = 0; i < ids.length; i++) {
            float cosine = 0.9f - 0.01f * i;
            hits.add(new RetrievedHit(doc(ids[i]), cosine, HitScores.vector(cosine)));
        }
        return hits;
    }

    static List<RetrievedHit> lexicalList(String... ids) {
        List<RetrievedHit> hits = new ArrayList<>();
        for (int i = 0; i < ids.length; i++) {
            float bm25 = 10f - i;
            hits.add(new RetrievedHit(doc(ids[i]), bm25, HitScores.lexical(bm25)));
        }
        return hits;
    }

    static List<String> ids(List<RetrievedHit> hits) {
        return hits.stream().map(h -> h.document().id()).toList();
    }

    @Test
    void fusedScoresAreTheSumOfReciprocalRanksAndEachSideIsRecorded() {
        List<RetrievedHit> fused = HybridRetriever.fuse(vectorList("a", "b"), lexicalList("b", "c"), 1.0);
        assertThat(ids(fused)).containsExactly("b", "a", "c");
        RetrievedHit b = fused.get(0);
        assertThat(b.score()).isEqualTo((float) (1.0 / 62 + 1.0 / 61));
        assertThat(b.scores().vector()).isEqualTo(0.89f);
        assertThat(b.scores().lexical()).isEqualTo(10f);
        assertThat(b.scores().fused()).isEqualTo(b.score());
        RetrievedHit c = fused.get(2);
        assertThat(c.scores().vector()).isNull();
        assertThat(c.scores().lexical()).isEqualTo(9f);
    }

    @Test
    void aDocumentOnBothListsNeverRanksBelowOneOnOnlyOneListAtEqualRanks() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        for (int round = 0; round < 200; round++) {
            int n = 1 + random.nextInt(30);
            List<String> pool = new ArrayList<>();
            for (int i = 0; i < 2 * n; i++) {
                pool.add("d" + i);
            }
            java.util.Collections.shuffle(pool, random);
            List<String> v = pool.subList(0, n);
            List<String> l = new ArrayList<>(pool.subList(n / 2, n / 2 + n));
            java.util.Collections.shuffle(l, random);
            double weight = random.nextInt(4) == 0 ? 0.0 : random.nextDouble() * 3;
            List<String> fused = ids(HybridRetriever.fuse(
                    vectorList(v.toArray(String[]::new)), lexicalList(l.toArray(String[]::new)), weight));
            for (String both : v) {
                if (!l.contains(both)) {
                    continue;
                }
                int rv = v.indexOf(both);
                int rl = l.indexOf(both);
                for (String single : fused) {
                    boolean onlyVectorAtSameRank = !l.contains(single) && v.indexOf(single) == rv;
                    boolean onlyLexicalAtSameRank = !v.contains(single) && l.indexOf(single) == rl;
                    if (onlyVectorAtSameRank || onlyLexicalAtSameRank) {
                        assertThat(fused.indexOf(both))
                                .as("seed %d: %s (both lists) vs %s (one list)", seed, both, single)
                                .isLessThan(fused.indexOf(single));
                    }
                }
            }
        }
    }

    @Test
    void tiesAreBrokenByListsThenBestRankThenId() {
        // x: vector rank 1 only; y: lexical rank 1 only; equal scores at weight 1 → best rank equal → id
        assertThat(ids(HybridRetriever.fuse(vectorList("y2"), lexicalList("x1"), 1.0)))
                .containsExactly("x1", "y2");
        assertThat(ids(HybridRetriever.fuse(vectorList("x1"), lexicalList("y2"), 1.0)))
                .containsExactly("x1", "y2");
        // weight 0: the lexical side adds nothing, but a document on both lists still goes first
        assertThat(ids(HybridRetriever.fuse(vectorList("a", "b"), lexicalList("b"), 0.0)))
                .containsExactly("a", "b");
        assertThat(ids(HybridRetriever.fuse(vectorList("a"), lexicalList("a", "z"), 0.0)))
                .containsExactly("a", "z");
    }

    @Test
    void parametersAreChecked() {
        Retriever side = new LexicalRetriever();
        assertThatThrownBy(() -> new HybridRetriever(side, side, -1, 100)).hasMessageContaining("lexicalWeight: -1.0");
        assertThatThrownBy(() -> new HybridRetriever(side, side, Double.NaN, 100))
                .hasMessageContaining("lexicalWeight: NaN");
        assertThatThrownBy(() -> new HybridRetriever(side, side, 1, 0)).hasMessageContaining("minDepth: 0");
    }
}
