/**
 * The query side: the one query path for the REST API, the web page and the {@code search} command,
 * and images by id.
 *
 * <p>Public contract (used by {@code web}, {@code cli} and {@code analysis}):
 *
 * <ul>
 *   <li>{@link io.koclip.search.search.SearchService}: text → images, image → images, similar images.
 *       Validates every parameter ({@link io.koclip.search.search.InvalidRequestException} names it),
 *       normalizes text ({@link io.koclip.search.search.QueryText}: NFC, trimmed, whitespace
 *       collapsed), applies templates ({@link io.koclip.search.search.TemplateChoice}), asks the
 *       {@link io.koclip.search.search.Retriever} for a ranking, then applies the minimum score,
 *       collapses duplicates and cuts the page ({@link io.koclip.search.search.SearchPage});
 *   <li>{@link io.koclip.search.search.Retriever}: the seam where the kind of retrieval is chosen;
 *       {@link io.koclip.search.search.VectorRetriever} (kNN with the
 *       {@link io.koclip.search.search.CandidatePolicy}), {@link io.koclip.search.search.LexicalRetriever}
 *       (BM25 over captions) and {@link io.koclip.search.search.HybridRetriever} (both fused by rank),
 *       picked per request by {@link io.koclip.search.search.SearchMode}; hits carry
 *       {@link io.koclip.search.search.HitScores};
 *   <li>{@link io.koclip.search.search.SearchableIndex}: what the service queries, the server's
 *       {@link io.koclip.search.search.LiveIndex} (readiness, the atomic switch to a reindexed copy)
 *       or an index a command opened;
 *   <li>{@link io.koclip.search.search.TextEmbeddings}: the Caffeine cache of query embeddings, keyed
 *       by bundle fingerprint, normalized text and template; {@link io.koclip.search.search.UploadEncoder}:
 *       uploads decoded and encoded under one permit of the
 *       {@link io.koclip.search.search.InferenceLimiter} (a semaphore with an acquire timeout, no queue);
 *   <li>{@link io.koclip.search.search.FilterRequest}: the filters as users write them, parsed once;
 *   <li>{@link io.koclip.search.search.SearchProperties}: the limits and their one set of defaults;
 *   <li>{@link io.koclip.search.search.ImageStore}: originals and thumbnails by id, never outside the
 *       source folder.
 * </ul>
 *
 * <p>Presentation is not here: image URLs and the heatmap PNG belong to {@code web}.
 *
 * <p>Every public class here is thread-safe.
 */
@NullMarked
package io.koclip.search.search;

import org.jspecify.annotations.NullMarked;
