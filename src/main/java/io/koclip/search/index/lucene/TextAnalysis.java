package io.koclip.search.index.lucene;

import java.io.Closeable;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.en.PorterStemFilter;
import org.apache.lucene.analysis.ko.KoreanPartOfSpeechStopFilter;
import org.apache.lucene.analysis.ko.KoreanReadingFormFilter;
import org.apache.lucene.analysis.ko.KoreanTokenizer;
import org.apache.lucene.analysis.ko.KoreanTokenizer.DecompoundMode;
import org.apache.lucene.analysis.ko.dict.UserDictionary;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute;
import org.apache.lucene.analysis.tokenattributes.PositionLengthAttribute;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.CombinedFieldQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.util.QueryBuilder;
import org.jspecify.annotations.Nullable;

/**
 * Korean-first analysis of the image text fields, and the BM25 query over them.
 *
 * <p>The chain, the same at index and query time:
 *
 * <pre>
 * KoreanTokenizer (Nori, mecab-ko-dic + optional user dictionary; decompound MIXED; punctuation dropped)
 *   → KoreanPartOfSpeechStopFilter (default stop tags: particles J*, endings E*, suffixes XS*, …)
 *   → KoreanReadingFormFilter (Hanja → Hangul reading: 景福宮 → 경복궁)
 *   → LowerCaseFilter (Latin: "Seoul" = "seoul")
 *   → PorterStemFilter (English, as Lucene's EnglishAnalyzer: "beaches" = "beach", "dogs" = "dog",
 *     "running" = "run"; Krovetz's KStem was tried and left "dogs" alone; the stemmer only rewrites
 *     ASCII suffixes, so Hangul tokens are untouched)
 * </pre>
 *
 * Numbers are kept (Nori's SN tokens): {@code 2024}, {@code 15} of {@code iphone15}; Nori splits
 * digits from letters and at {@code . ,}, alike on both sides.
 *
 * <p>Decompounding: {@link DecompoundMode#MIXED} keeps the compound and its parts at the same
 * position ({@code 경복궁} → {@code 경복궁, 경복, 궁}), so the whole word scores and a part typed alone
 * ({@code 궁}) still matches. DISCARD keeps only the parts, NONE only the compound (a part finds
 * nothing). {@link #query} weights parts at {@link #PART_WEIGHT} so that {@code 경복궁} ranks
 * documents with the whole word above those with only {@code 궁}. {@code
 * TextAnalysisTest#rankingOfTheModesAndQueryShapes} measures the three modes and five query shapes on a
 * small judged corpus: MIXED and DISCARD with BM25F ({@link #query}) rank best there (MAP 1.000 against
 * 0.984-0.990 for the per-field sum and 0.960 for the graph query); MIXED is kept because the whole word
 * stays a term, so an exact compound scores above its scattered parts.
 *
 * <p>User dictionary: a UTF-8 text file, one entry per line, {@code #} comments, in Nori's format:
 * a word ({@code 해리단길}) keeps it whole; a word followed by its parts ({@code 다랭이마을 다랭이 마을})
 * also defines how it decompounds. Names and places that the stock dictionary cuts apart belong there.
 * Configured per backend ({@code LuceneBackend(folder, userDictionary)}: {@code --user-dictionary},
 * {@code koclip.text.user-dictionary}). Changing it changes the index's terms: documents indexed
 * before keep the old segmentation until they are indexed again.
 *
 * <p>Thread-safe: the analyzers are (per-thread token stream reuse); close once, after the last use.
 */
final class TextAnalysis implements Closeable {
    /** The decompound mode of both analyzers; see the class comment for why. */
    static final DecompoundMode DECOMPOUND = DecompoundMode.MIXED;

    private final @Nullable Path userDictionaryFile;
    private final Analyzer analyzer;

    /**
     * @param userDictionaryFile a Nori user dictionary, or null for none
     * @throws IllegalArgumentException when the file is missing, unreadable or not a user dictionary
     *     (the message names the file)
     */
    TextAnalysis(@Nullable Path userDictionaryFile) {
        this(userDictionaryFile, DECOMPOUND);
    }

    /** With another decompound mode: for the measurements in the tests. */
    TextAnalysis(@Nullable Path userDictionaryFile, DecompoundMode mode) {
        this.userDictionaryFile = userDictionaryFile;
        this.analyzer = new KoreanTextAnalyzer(loadUserDictionary(userDictionaryFile), mode);
    }

    /** The analyzer for the text fields, at index and at query time. */
    Analyzer analyzer() {
        return analyzer;
    }

    /** The user dictionary in use, or null. */
    @Nullable
    Path userDictionaryFile() {
        return userDictionaryFile;
    }

    @Override
    public void close() {
        analyzer.close();
    }

    /**
     * How much a part of a decompounded word counts against the whole word in {@link #query}: a
     * document with {@code 경복궁} outranks one with only {@code 궁} (of {@code 창덕궁}), yet a part still
     * matches where Nori segmented the document's text differently.
     */
    static final float PART_WEIGHT = 0.5f;

    /**
     * The BM25F query for the user's {@code text} over several fields ({@link #combinedQuery} with parts
     * at {@link #PART_WEIGHT}): one {@link CombinedFieldQuery} per distinct term of the text, the term's
     * frequencies and the field lengths of all fields combined with the fields' weights before BM25
     * saturates them, the terms SHOULD. A word written in the title and again in the keywords is then
     * not counted as two independent matches, which a sum of per-field BM25 scores does.
     *
     * <p>Every term is optional, compound parts included: Nori segments by context, so one word can
     * index differently in two texts ({@code 제주도} alone is the compound 제주도 = 제주 + 도, but in
     * {@code 제주도 여행} it is 제주 + the particle 도, which the stop filter drops). Requiring all parts
     * of a query compound, as {@link QueryBuilder}'s graph queries do ({@link #graphQuery}), misses
     * {@code 제주도 여행} for the query {@code 제주도}. The measurements are in {@code TextAnalysisTest}.
     *
     * @param fieldBoosts field name → boost, &gt; 0 and finite (divided by the smallest for
     *     CombinedFieldQuery, whose weights must be &ge; 1); all fields must be indexed by {@link
     *     #analyzer()} with norms and BM25 (TextField and the default similarity)
     * @return the query, or null when the text analyzes to nothing (only particles or punctuation)
     * @throws IllegalArgumentException when there is no field or a boost is not positive and finite
     */
    static @Nullable Query query(Analyzer analyzer, String text, Map<String, Float> fieldBoosts) {
        return combinedQuery(analyzer, text, fieldBoosts, PART_WEIGHT);
    }

    /**
     * An alternative measured against {@link #query}: per field, the text's terms (parts at {@code
     * partWeight}) as SHOULD term queries, the field boosted by its weight; the fields SHOULD, so a
     * document's score is the sum of its fields' BM25 scores.
     *
     * @return the query, or null when the text analyzes to nothing
     */
    static @Nullable Query perFieldQuery(
            Analyzer analyzer, String text, Map<String, Float> fieldBoosts, float partWeight) {
        checkBoosts(fieldBoosts);
        Map<String, Float> terms =
                weightedTerms(analyzer, fieldBoosts.keySet().iterator().next(), text, partWeight);
        if (terms.isEmpty()) {
            return null;
        }
        BooleanQuery.Builder fields = new BooleanQuery.Builder();
        for (Map.Entry<String, Float> field : fieldBoosts.entrySet()) {
            BooleanQuery.Builder words = new BooleanQuery.Builder();
            terms.forEach((term, weight) -> words.add(
                    boosted(new TermQuery(new Term(field.getKey(), term)), weight), BooleanClause.Occur.SHOULD));
            fields.add(boosted(words.build(), field.getValue()), BooleanClause.Occur.SHOULD);
        }
        return fields.build();
    }

    /**
     * An alternative measured against {@link #query}: Lucene's {@link QueryBuilder} per field (graph-aware:
     * a compound in the query matches whole or by all of its parts), fields boosted and summed.
     *
     * @return the query, or null when the text analyzes to nothing
     */
    static @Nullable Query graphQuery(Analyzer analyzer, String text, Map<String, Float> fieldBoosts) {
        checkBoosts(fieldBoosts);
        QueryBuilder builder = new QueryBuilder(analyzer);
        BooleanQuery.Builder fields = new BooleanQuery.Builder();
        int clauses = 0;
        for (Map.Entry<String, Float> e : fieldBoosts.entrySet()) {
            Query words = builder.createBooleanQuery(e.getKey(), text, BooleanClause.Occur.SHOULD);
            if (words == null) {
                continue;
            }
            fields.add(boosted(words, e.getValue()), BooleanClause.Occur.SHOULD);
            clauses++;
        }
        return clauses == 0 ? null : fields.build();
    }

    /**
     * BM25F through {@link CombinedFieldQuery}, one per distinct query term
     * (parts at {@code partWeight}), the fields' term frequencies and lengths combined with their
     * weights before BM25 saturates them. Weights are the boosts divided by the smallest
     * (CombinedFieldQuery needs weights &ge; 1).
     *
     * @return the query, or null when the text analyzes to nothing
     */
    static @Nullable Query combinedQuery(
            Analyzer analyzer, String text, Map<String, Float> fieldBoosts, float partWeight) {
        checkBoosts(fieldBoosts);
        float smallest = Float.MAX_VALUE;
        for (float boost : fieldBoosts.values()) {
            smallest = Math.min(smallest, boost);
        }
        Map<String, Float> terms =
                weightedTerms(analyzer, fieldBoosts.keySet().iterator().next(), text, partWeight);
        if (terms.isEmpty()) {
            return null;
        }
        BooleanQuery.Builder all = new BooleanQuery.Builder();
        for (Map.Entry<String, Float> term : terms.entrySet()) {
            CombinedFieldQuery.Builder combined = new CombinedFieldQuery.Builder(term.getKey());
            for (Map.Entry<String, Float> e : fieldBoosts.entrySet()) {
                combined.addField(e.getKey(), e.getValue() / smallest);
            }
            all.add(boosted(combined.build(), term.getValue()), BooleanClause.Occur.SHOULD);
        }
        return all.build();
    }

    /**
     * The distinct terms {@code analyzer} makes of {@code text}, in order, each with its weight: 1 for
     * a word, {@code partWeight} for a part of a decompounded word (a token inside the span of a
     * preceding token longer than one position). The same term as word and as part keeps the larger.
     * The analysis chain is the same for every field; {@code field} is only a label.
     */
    static Map<String, Float> weightedTerms(Analyzer analyzer, String field, String text, float partWeight) {
        Map<String, Float> terms = new LinkedHashMap<>();
        try (TokenStream ts = analyzer.tokenStream(field, new StringReader(text))) {
            CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
            PositionIncrementAttribute increment = ts.addAttribute(PositionIncrementAttribute.class);
            PositionLengthAttribute length = ts.addAttribute(PositionLengthAttribute.class);
            ts.reset();
            int position = -1;
            int compoundEnd = -1; // first position after the last multi-position token
            while (ts.incrementToken()) {
                position += increment.getPositionIncrement();
                boolean part = position < compoundEnd;
                if (length.getPositionLength() > 1) {
                    compoundEnd = Math.max(compoundEnd, position + length.getPositionLength());
                    part = false;
                }
                terms.merge(term.toString(), part ? partWeight : 1f, Math::max);
            }
            ts.end();
        } catch (IOException e) {
            // A StringReader does not fail; an analyzer that does is a bug.
            throw new IllegalStateException("analyzing '" + text + "' failed", e);
        }
        return terms;
    }

    /** The distinct terms {@code analyzer} makes of {@code text}, in order. */
    static Set<String> terms(Analyzer analyzer, String field, String text) {
        return new LinkedHashSet<>(weightedTerms(analyzer, field, text, 1f).keySet());
    }

    private static Query boosted(Query query, float boost) {
        return boost == 1f ? query : new BoostQuery(query, boost);
    }

    private static void checkBoosts(Map<String, Float> fieldBoosts) {
        if (fieldBoosts.isEmpty()) {
            throw new IllegalArgumentException("field boosts: no field to search");
        }
        for (Map.Entry<String, Float> e : new LinkedHashMap<>(fieldBoosts).entrySet()) {
            Float boost = e.getValue();
            if (boost == null || !Float.isFinite(boost) || boost <= 0) {
                throw new IllegalArgumentException(
                        "boost of field " + e.getKey() + ": " + boost + " must be positive and finite");
            }
        }
    }

    private static @Nullable UserDictionary loadUserDictionary(@Nullable Path file) {
        if (file == null) {
            return null;
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new IllegalArgumentException("user dictionary: " + file + " is not a readable file");
        }
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            // Nori does not skip a BOM, which would glue U+FEFF to the first entry.
            reader.mark(1);
            if (reader.read() != '\uFEFF') {
                reader.reset();
            }
            // open() returns null for a file without entries (only comments): same as no dictionary.
            return UserDictionary.open(reader);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("user dictionary: " + file + " could not be read: " + e.getMessage(), e);
        }
    }

    /** The chain of the class comment. */
    private static final class KoreanTextAnalyzer extends Analyzer {
        private final @Nullable UserDictionary userDictionary;
        private final DecompoundMode mode;

        KoreanTextAnalyzer(@Nullable UserDictionary userDictionary, DecompoundMode mode) {
            this.userDictionary = userDictionary;
            this.mode = mode;
        }

        @Override
        protected TokenStreamComponents createComponents(String fieldName) {
            Tokenizer tokenizer =
                    new KoreanTokenizer(TokenStream.DEFAULT_TOKEN_ATTRIBUTE_FACTORY, userDictionary, mode, false, true);
            TokenStream stream = new KoreanPartOfSpeechStopFilter(tokenizer);
            stream = new KoreanReadingFormFilter(stream);
            stream = new LowerCaseFilter(stream);
            stream = new PorterStemFilter(stream);
            return new TokenStreamComponents(tokenizer, stream);
        }

        @Override
        protected TokenStream normalize(String fieldName, TokenStream in) {
            return new LowerCaseFilter(in);
        }
    }
}
