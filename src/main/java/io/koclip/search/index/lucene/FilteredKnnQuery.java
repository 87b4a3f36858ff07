package io.koclip.search.index.lucene;

import java.io.IOException;
import java.util.Objects;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.AcceptDocs;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TotalHits;
import org.apache.lucene.search.knn.KnnCollectorManager;

/**
 * A filtered {@link KnnFloatVectorQuery} that scores a segment's matching documents exactly, without
 * walking the graph first, when the filter leaves few enough of them for that to be the cheaper way.
 *
 * <p>Lucene decides per segment: at most k matching documents, exact search; otherwise the filtered
 * HNSW walk, given a budget of as many visits as there are matching documents, and exact search when
 * the walk runs out of it. Between those two cases a query can pay for both: with a mid-selectivity
 * filter (a few percent of a segment) the walk exhausts its budget and then every matching vector is
 * scored anyway. The cost model here: exact search scores {@code matching} vectors; a filtered walk
 * visits about {@code V / s} nodes, where V (the unfiltered walk's visits) grows with the candidates
 * and s = matching / segment size is the selectivity. The two cross where {@code matching² ≈ R ·
 * candidates · segmentSize} for a constant R of the graph and the vector format, so this query goes
 * straight to exact search when {@code matching² ≤ ratio · candidates · maxDoc}. The ratio is measured
 * ({@code bench-knn --exact-filter-ratio}, docs/benchmarks.md); 0 leaves every decision to Lucene.
 *
 * <p>How: Lucene hands {@link #approximateSearch} the matching count as its visit budget; for a
 * segment this rule sends to exact search, the override answers "incomplete" at once, and Lucene's own
 * fallback runs its exact search (live documents and filter applied as always). Unfiltered searches
 * (an unbounded budget) are never touched.
 */
final class FilteredKnnQuery extends KnnFloatVectorQuery {
    private static final TopDocs INCOMPLETE =
            new TopDocs(new TotalHits(0, TotalHits.Relation.GREATER_THAN_OR_EQUAL_TO), new ScoreDoc[0]);

    private final double exactRatio;

    /**
     * @param field the vector field
     * @param target the query vector
     * @param candidates candidates per segment (Lucene's k)
     * @param filter the documents to search among (not null: unfiltered searches need no rule)
     * @param exactRatio R of the rule above; 0: Lucene's own strategy alone
     */
    FilteredKnnQuery(String field, float[] target, int candidates, Query filter, double exactRatio) {
        super(field, target, candidates, Objects.requireNonNull(filter, "filter"));
        this.exactRatio = requireRatio(exactRatio);
    }

    /** {@code ratio}, checked: finite and at least 0. */
    static double requireRatio(double ratio) {
        if (!(ratio >= 0) || Double.isInfinite(ratio)) {
            throw new IllegalArgumentException("exact-search ratio " + ratio + " must be finite and >= 0");
        }
        return ratio;
    }

    /**
     * Whether a segment of {@code segmentSize} documents of which {@code matching} pass the filter is
     * searched exactly up front, for {@code candidates} candidates and ratio {@code exactRatio}.
     */
    static boolean exactUpFront(long matching, long segmentSize, int candidates, double exactRatio) {
        return (double) matching * matching <= exactRatio * candidates * segmentSize;
    }

    @Override
    protected TopDocs approximateSearch(
            LeafReaderContext context, AcceptDocs acceptDocs, int visitedLimit, KnnCollectorManager manager)
            throws IOException {
        // visitedLimit is the filter's matching count here (Integer.MAX_VALUE: no filter)
        if (visitedLimit != Integer.MAX_VALUE
                && exactUpFront(visitedLimit, context.reader().maxDoc(), getK(), exactRatio)) {
            return INCOMPLETE; // Lucene falls back to its exact search of the matching documents
        }
        return super.approximateSearch(context, acceptDocs, visitedLimit, manager);
    }

    @Override
    public boolean equals(Object o) {
        return super.equals(o) && exactRatio == ((FilteredKnnQuery) o).exactRatio;
    }

    @Override
    public int hashCode() {
        return 31 * super.hashCode() + Double.hashCode(exactRatio);
    }

    @Override
    public String toString(String field) {
        return super.toString(field) + "[exactRatio=" + exactRatio + "]";
    }
}
