/**
 * Text-image retrieval evaluation: caption sets in the common formats (COCO, AI Hub Korean COCO,
 * XTD10, CSV, JSON lines), the CLIP_benchmark metrics (Recall@K both ways, median rank) computed
 * exactly over all pairs, and the reports of {@code koclip-search eval}.
 *
 * <p>Where caption queries are answered is a {@link io.koclip.search.eval.RetrievalTarget}: today the
 * exact brute-force one over the model's embeddings; an index-backed one (the product's query service
 * with ANN) plugs in behind the same interface and is reported side by side.
 */
@NullMarked
package io.koclip.search.eval;

import org.jspecify.annotations.NullMarked;
