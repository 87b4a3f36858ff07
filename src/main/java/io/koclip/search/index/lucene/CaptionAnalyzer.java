package io.koclip.search.index.lucene;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.DelegatingAnalyzerWrapper;
import org.apache.lucene.analysis.ko.KoreanAnalyzer;

/**
 * Analyzes captions with Nori (Korean morphology; Latin text passes through as words). Nori's
 * dictionary is loaded on the first caption, not when the index opens, so commands that never see a
 * caption (search, check) start fast. Thread-safe.
 */
final class CaptionAnalyzer extends DelegatingAnalyzerWrapper {
    /** One instance for query analysis: analyzers are thread-safe (per-thread token stream reuse). */
    static final CaptionAnalyzer SHARED = new CaptionAnalyzer();

    private volatile Analyzer korean;

    CaptionAnalyzer() {
        super(PER_FIELD_REUSE_STRATEGY);
    }

    @Override
    protected Analyzer getWrappedAnalyzer(String fieldName) {
        Analyzer a = korean;
        if (a == null) {
            synchronized (this) {
                a = korean;
                if (a == null) {
                    a = new KoreanAnalyzer();
                    korean = a;
                }
            }
        }
        return a;
    }

    @Override
    public void close() {
        Analyzer a = korean;
        if (a != null) {
            a.close();
        }
        super.close();
    }
}
