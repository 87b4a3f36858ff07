/**
 * The query side: text → images, image → images, zero-shot labels, text → patch, and images by id.
 *
 * <p>Public contract (used by {@code web}):
 *
 * <ul>
 *   <li>{@link io.koclip.search.search.SearchService}: validates every parameter
 *       ({@link io.koclip.search.search.InvalidRequestException} names it), normalizes text
 *       ({@link io.koclip.search.search.QueryText}: NFC, trimmed, whitespace collapsed), applies
 *       templates ({@link io.koclip.search.search.TemplateChoice}), pages and de-duplicates kNN hits;
 *   <li>{@link io.koclip.search.search.TextEmbeddings}: the Caffeine cache of query embeddings, keyed
 *       by bundle fingerprint, normalized text and template;
 *   <li>{@link io.koclip.search.search.InferenceLimiter}: the bounded limiter (a semaphore with an
 *       acquire timeout, no queue) in front of decoding and the encoders;
 *   <li>{@link io.koclip.search.search.LiveIndex}: the index the server answers from, readiness, and
 *       the atomic switch to a reindexed copy;
 *   <li>{@link io.koclip.search.search.ImageStore}: originals and thumbnails by id, never outside the
 *       source folder; {@link io.koclip.search.search.Heatmap}: the patch overlay.
 * </ul>
 *
 * <p>Every public class here is thread-safe.
 */
@NullMarked
package io.koclip.search.search;

import org.jspecify.annotations.NullMarked;
