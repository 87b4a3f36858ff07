/**
 * What texts say about one uploaded image, without the index: zero-shot labels
 * ({@link io.koclip.search.analysis.ZeroShotClassifier}: softmax over 2–100 labels) and text → patch
 * scores over a grid ({@link io.koclip.search.analysis.PatchScorer}, {@link io.koclip.search.analysis.PatchGrid}).
 *
 * <p>One package for both: they share their inputs (an upload decoded and encoded under one inference
 * permit by {@link io.koclip.search.search.UploadEncoder}, texts normalized, templated and cached like
 * queries by {@link io.koclip.search.search.TextEmbeddings}) and their limits
 * ({@code koclip.search.max-labels}, {@code max-grid-side}, {@code max-overlap}), and neither retrieves
 * from the index. They depend on {@code search} for that text and upload machinery; {@code search}
 * does not depend on them. Rendering a heatmap PNG is the web layer's ({@code web.Heatmap}).
 *
 * <p>Every public class here is thread-safe.
 */
@NullMarked
package io.koclip.search.analysis;

import org.jspecify.annotations.NullMarked;
