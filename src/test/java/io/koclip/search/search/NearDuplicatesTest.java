package io.koclip.search.search;

import static io.koclip.search.index.InMemoryVectorIndex.unit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.koclip.search.index.ImageDocument;
import io.koclip.search.index.InMemoryBackend;
import io.koclip.search.index.InMemoryVectorIndex;
import io.koclip.search.index.IndexSpec;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Near-duplicate groups over a brute-force index with hand-placed vectors. */
class NearDuplicatesTest {
    static final int DIM = FakeQueryStack.DIM;

    FakeQueryStack fake;
    InMemoryVectorIndex backing;
    LiveIndex index;
    NearDuplicates duplicates;

    static ImageDocument doc(String id, String hash, float[] vector) {
        return new ImageDocument(id, "p/" + id + ".png", hash, 64, 48, 1000, 0, "png", null, vector);
    }

    @BeforeEach
    void setUp() throws Exception {
        fake = new FakeQueryStack();
        backing = new InMemoryVectorIndex("fake", "fp1");
        backing.upsert(doc("red-1", "h1", unit(DIM, 0, 7, 0.1f)));
        backing.upsert(doc("red-1-copy", "h1", unit(DIM, 0, 7, 0.1f)));
        backing.upsert(doc("red-1-jpeg", "h1j", unit(DIM, 0, 7, 0.12f)));
        backing.upsert(doc("red-2", "h2", unit(DIM, 0, 1, 0.5f))); // 0.11 from red-1
        backing.upsert(doc("blue-1", "h3", unit(DIM, 1, 7, 0.1f)));
        backing.upsert(doc("blue-1-small", "h3s", unit(DIM, 1, 7, 0.13f)));
        backing.upsert(doc("green-1", "h4", unit(DIM, 2, 7, 0.1f)));
        index = LiveIndex.open(
                new InMemoryBackend(backing), IndexSpec.of(backing.metadata().model()));
        duplicates = new NearDuplicates(
                "fake",
                index,
                new VectorRetriever(
                        new CandidatePolicy(SearchProperties.defaults().minCandidates())),
                fake.timer);
    }

    static List<List<String>> ids(DuplicatePage page) {
        return page.groups().stream()
                .map(g -> g.stream().map(RankedImage::id).toList())
                .toList();
    }

    @Test
    void groupsAreConnectedNeighboursLargestFirst() {
        DuplicatePage page = duplicates.find(null, 0, null);
        assertThat(page.maxDistance()).isEqualTo(NearDuplicates.DEFAULT_MAX_DISTANCE);
        assertThat(ids(page))
                // by path: "p/red-1-copy.png" < "p/red-1-jpeg.png" < "p/red-1.png"
                .containsExactly(List.of("red-1-copy", "red-1-jpeg", "red-1"), List.of("blue-1-small", "blue-1"));
        assertThat(page.totalGroups()).isEqualTo(2);
        assertThat(page.totalImages()).isEqualTo(5);
        List<RankedImage> red = page.groups().get(0);
        assertThat(red.get(0).score()).isEqualTo(1f); // the first image against itself
        assertThat(red.get(1).score()).isLessThan(1f).isGreaterThan(0.99f);
        assertThat(red.get(2).score()).isGreaterThan(0.99999f); // same vector as the first
    }

    @Test
    void aLargerDistanceJoinsMoreAndPagesAreSlices() {
        assertThat(ids(duplicates.find(0.2, 0, null)).get(0))
                .containsExactly("red-1-copy", "red-1-jpeg", "red-1", "red-2");
        assertThat(ids(duplicates.find(null, 1, 1))).containsExactly(List.of("blue-1-small", "blue-1"));
        assertThat(duplicates.find(null, 5, 1).groups()).isEmpty();
        // distance 0: only identical embeddings
        assertThat(ids(duplicates.find(0.0, 0, null))).containsExactly(List.of("red-1-copy", "red-1"));
    }

    @Test
    void aChangedIndexIsRecomputed() throws Exception {
        assertThat(duplicates.find(null, 0, null).totalGroups()).isEqualTo(2);
        backing.upsert(doc("green-1-copy", "h4c", unit(DIM, 2, 7, 0.11f)));
        backing.refresh();
        assertThat(ids(duplicates.find(null, 0, null))).contains(List.of("green-1-copy", "green-1"));
    }

    @Test
    void badParametersAreRefusedNamingThem() {
        assertThatThrownBy(() -> duplicates.find(-0.1, 0, null))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("maxDistance: -0.1 is not in [0, 0.5]");
        assertThatThrownBy(() -> duplicates.find(0.6, 0, null)).hasMessageStartingWith("maxDistance: 0.6");
        assertThatThrownBy(() -> duplicates.find(Double.NaN, 0, null)).hasMessageStartingWith("maxDistance: NaN");
        assertThatThrownBy(() -> duplicates.find(null, -1, null)).hasMessage("page: -1 must be >= 0");
        assertThatThrownBy(() -> duplicates.find(null, 0, 0)).hasMessage("size: 0 is not in [1, 100]");
        assertThatThrownBy(() -> duplicates.find(null, 0, 101)).hasMessage("size: 101 is not in [1, 100]");
    }
}
