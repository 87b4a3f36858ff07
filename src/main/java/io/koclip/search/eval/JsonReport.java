package io.koclip.search.eval;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import tools.jackson.databind.json.JsonMapper;

/**
 * The machine-readable report: one JSON object per setting,
 * {@code {"model","variant","templates","lang","target","images","captions","textToImage":{"recall@1",…},
 * "imageToText":{…},"medianRank","seconds","querySeconds","imageSeconds","imagesEncoded","imagesCached"}}.
 * Recalls are shares in [0, 1]; {@code imageToText} is null for a target that cannot search captions,
 * {@code medianRank} null when it is unbounded.
 *
 * <p>Thread-safe: stateless.
 */
public final class JsonReport {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private JsonReport() {}

    /** The JSON line of one result. */
    public static String line(EvalResult result) {
        return JSON.writeValueAsString(fields(result));
    }

    /** A whole report: the inputs and every result, as one JSON document. */
    public static String document(Map<String, Object> inputs, List<EvalResult> results) {
        Map<String, Object> doc = new LinkedHashMap<>(inputs);
        doc.put("results", results.stream().map(JsonReport::fields).toList());
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(doc);
    }

    static Map<String, Object> fields(EvalResult r) {
        RetrievalMetrics m = r.metrics();
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("model", r.model());
        line.put("variant", r.variant());
        line.put("templates", r.templates());
        line.put("lang", r.lang());
        line.put("target", r.target());
        line.put("images", m.images());
        line.put("captions", m.captions());
        line.put("textToImage", recalls(m.textToImage()));
        line.put("imageToText", m.imageToText() == null ? null : recalls(m.imageToText()));
        line.put("medianRank", Double.isFinite(m.medianRank()) ? m.medianRank() : null);
        line.put("seconds", round(r.seconds()));
        line.put("querySeconds", round(r.querySeconds()));
        line.put("imageSeconds", round(r.imageSeconds()));
        line.put("imagesEncoded", r.imagesEncoded());
        line.put("imagesCached", r.imagesCached());
        return line;
    }

    private static Map<String, Double> recalls(SortedMap<Integer, Double> byK) {
        Map<String, Double> out = new LinkedHashMap<>();
        byK.forEach((k, v) -> out.put("recall@" + k, v));
        return out;
    }

    /** Times to the millisecond: more digits would be noise. */
    private static double round(double seconds) {
        return Math.round(seconds * 1000) / 1000.0;
    }
}
