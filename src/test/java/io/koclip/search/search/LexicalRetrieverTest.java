package io.koclip.search.search;

import static io.koclip.search.index.InMemoryVectorIndex.unit;
import static org.assertj.core.api.Assertions.assertThat;

import io.koclip.search.index.ImageDocument;
import io.koclip.search.index.InMemoryVectorIndex;
import io.koclip.search.index.SearchFilter;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Lexical rankings: ties ordered by id whatever the backend's order, no words no hits. */
class LexicalRetrieverTest {
    static ImageDocument captioned(String id, String caption) {
        return new ImageDocument(id, id + ".png", "h-" + id, 1, 1, 1, 0, "png", caption, unit(8, 0, 7, 0f));
    }

    @Test
    void equalScoresAreOrderedByIdEvenAcrossTheCut() throws IOException {
        InMemoryVectorIndex index = new InMemoryVectorIndex("fake", "fp1");
        // inserted in reverse id order: a backend that breaks ties by insertion would return z first
        for (String id : List.of("z", "m", "c", "a")) {
            index.upsert(captioned(id, "palace gate"));
        }
        index.upsert(captioned("b", "palace"));
        index.refresh();
        RetrievalQuery query = new RetrievalQuery(new float[0], "palace gate", SearchFilter.NONE);
        List<RetrievedHit> two = new LexicalRetriever().retrieve(index, query, 2);
        List<RetrievedHit> all = new LexicalRetriever().retrieve(index, query, 10);
        assertThat(all).extracting(h -> h.document().id()).containsExactly("a", "c", "m", "z", "b");
        assertThat(two).extracting(h -> h.document().id()).containsExactly("a", "c");
        assertThat(all.get(0).scores().vector()).isNull();
        assertThat(all.get(0).scores().lexical()).isEqualTo(all.get(0).score());
    }

    @Test
    void aQueryWithoutWordsFindsNothing() throws IOException {
        InMemoryVectorIndex index = new InMemoryVectorIndex("fake", "fp1");
        index.upsert(captioned("a", "palace"));
        assertThat(new LexicalRetriever().retrieve(index, new RetrievalQuery(new float[0], null, SearchFilter.NONE), 5))
                .isEmpty();
    }
}
