package io.koclip.search.eval;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;

/**
 * Runs every (templates, language) setting of one model against one {@link RetrievalTarget}: the
 * image side is computed once by the caller and shared, so comparing templates or languages never
 * re-encodes images.
 *
 * <p>Not thread-safe: runs on the calling thread.
 */
public final class EvalRunner {
    /**
     * What to evaluate.
     *
     * @param templates the template choices, in order (true = the bundle's templates)
     * @param languages the languages, in order
     * @param ks the K values of Recall@K, ascending, each at least 1
     */
    public record Plan(List<Boolean> templates, List<String> languages, List<Integer> ks) {
        public Plan {
            templates = List.copyOf(templates);
            languages = List.copyOf(languages);
            List<Integer> sorted = new ArrayList<>(ks);
            Collections.sort(sorted);
            if (sorted.isEmpty() || sorted.get(0) < 1) {
                throw new IllegalArgumentException("k: " + ks + " must be one or more values of at least 1");
            }
            ks = List.copyOf(sorted.stream().distinct().toList());
        }

        public int depth() {
            return ks.get(ks.size() - 1);
        }
    }

    private EvalRunner() {}

    /**
     * Evaluates {@code set} (whose images all have vectors in the target) under every setting of the
     * plan; each result goes to {@code sink} as soon as it is ready and is returned too. A language
     * without captions in the set gives no result.
     */
    public static List<EvalResult> run(
            RetrievalTarget target,
            CaptionSet set,
            String model,
            String variant,
            ImageEmbeddings.Result images,
            Plan plan,
            Consumer<EvalResult> sink) {
        List<EvalResult> results = new ArrayList<>();
        for (boolean templates : plan.templates()) {
            for (String lang : plan.languages()) {
                LanguageSubset subset = set.language(lang);
                if (subset.captions().isEmpty()) {
                    continue;
                }
                long start = System.nanoTime();
                Rankings rankings = target.rank(subset, templates, plan.depth());
                RetrievalMetrics metrics = RetrievalMetrics.of(rankings, subset.images().length, plan.ks());
                double seconds = (System.nanoTime() - start) / 1e9;
                EvalResult result = new EvalResult(
                        model,
                        variant,
                        templates,
                        lang,
                        target.name(),
                        metrics,
                        seconds,
                        rankings.querySeconds(),
                        images.seconds(),
                        images.encoded(),
                        images.cached());
                sink.accept(result);
                results.add(result);
            }
        }
        return results;
    }
}
