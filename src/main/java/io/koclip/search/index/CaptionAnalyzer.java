package io.koclip.search.index;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.DelegatingAnalyzerWrapper;
import org.apache.lucene.analysis.ko.KoreanAnalyzer;

/**
 * Analyzes captions with Nori (Korean morphology; Latin text passes through as words). Nori's
 * dictionary is loaded on the first caption, not when the index opens, so commands that never see a
 * caption (search, check) start fast. Thread-safe.
 */
final class CaptionAnalyzer extends DelegatingAnalyzerWrapper {
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
