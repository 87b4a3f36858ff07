package io.koclip.search.eval;

/**
 * One evaluated setting: a model, a precision variant, templates on or off, a language.
 *
 * @param model the model as given ({@code demo} or a bundle folder)
 * @param variant the precision variant ({@code default} for the bundle's main graphs)
 * @param templates whether captions went through the bundle's prompt templates
 * @param lang the captions' language
 * @param target the retrieval target ({@code exact})
 * @param metrics the figures
 * @param seconds wall time of this setting: caption queries and ranking (the shared image stage is
 *     {@code imageSeconds})
 * @param querySeconds the part of {@code seconds} spent encoding (or running) the caption queries
 * @param imageSeconds wall time of the model's image stage, shared by all its settings
 * @param imagesEncoded images the model encoded in this run
 * @param imagesCached image vectors taken from the cache
 */
public record EvalResult(
        String model,
        String variant,
        boolean templates,
        String lang,
        String target,
        RetrievalMetrics metrics,
        double seconds,
        double querySeconds,
        double imageSeconds,
        int imagesEncoded,
        int imagesCached) {

    /** {@code demo default templates ko} (and the target when it is not exact): the setting in words, for tables and charts. */
    public String label() {
        String setting = model + " " + variant + " " + (templates ? "templates" : "raw") + " " + lang;
        return target.equals("exact") ? setting : setting + " " + target;
    }
}
