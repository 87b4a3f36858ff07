package io.koclip.search.eval;

import io.koclip.search.index.SearchFilter;
import io.koclip.search.search.InvalidRequestException;
import io.koclip.search.search.Paging;
import io.koclip.search.search.RankedImage;
import io.koclip.search.search.SearchMode;
import io.koclip.search.search.SearchPage;
import io.koclip.search.search.SearchService;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The product's own search path as a target ({@code eval --through-index}): every caption is a text
 * query to the same {@link SearchService} the REST API uses (normalization, the bundle's templates or
 * none, the embedding cache, the candidate policy and ANN, the search mode), with no filter, no
 * minimum score and no duplicate collapsing, {@code k} = the largest K. A hit is matched to its caption
 * set image by path: the image's file relative to {@code root}, which must be the folder that was
 * ingested. Hits that are not images of the subset (other files of the index, images whose captions
 * are in another language only) are skipped, so ranks count the subset's images, as the exact target
 * does; an image beyond the returned hits is {@link Rankings#UNRANKED}.
 *
 * <p>Text to image only: the index cannot search captions by image, so image-to-text ranks are null.
 * A caption the service refuses (longer than its query limit) counts as unranked and is reported once
 * in {@link #refused()}.
 *
 * <p>Not thread-safe (the refused counter); the runner calls it from one thread.
 */
public final class IndexRetrieval implements RetrievalTarget {
    private final SearchService service;
    private final SearchMode mode;
    private final Map<String, Integer> imageByPath = new HashMap<>();
    private final List<String> refused = new ArrayList<>();

    /**
     * @param set the caption set the subsets come from
     * @param root the folder the index was ingested from (image paths are relative to it)
     */
    public IndexRetrieval(SearchService service, SearchMode mode, CaptionSet set, Path root) {
        this.service = service;
        this.mode = mode;
        Path base = root.toAbsolutePath().normalize();
        for (int i = 0; i < set.images().size(); i++) {
            Path file = set.images().get(i).file().toAbsolutePath().normalize();
            String relative = base.relativize(file).toString().replace('\\', '/');
            imageByPath.put(relative, i);
        }
    }

    @Override
    public String name() {
        return "index:" + mode.label();
    }

    /** Captions the service refused, with its reason. */
    public List<String> refused() {
        return List.copyOf(refused);
    }

    @Override
    public Rankings rank(LanguageSubset subset, boolean templates, int depth) {
        long start = System.nanoTime();
        int[] setImages = subset.images();
        Map<Integer, Integer> positionOfImage = new HashMap<>();
        for (int p = 0; p < setImages.length; p++) {
            positionOfImage.put(setImages[p], p);
        }
        Paging paging = new Paging(depth, 0, null, SearchFilter.NONE, false);
        List<Caption> captions = subset.captions();
        int[] ranks = new int[captions.size()];
        for (int c = 0; c < captions.size(); c++) {
            Caption caption = captions.get(c);
            ranks[c] = Rankings.UNRANKED;
            SearchPage page;
            try {
                page = service.searchText(caption.text(), templates ? null : "none", mode.label(), paging);
            } catch (InvalidRequestException e) {
                refused.add("caption '" + caption.text() + "': " + e.getMessage());
                continue;
            }
            int rank = 0;
            for (RankedImage hit : page.hits()) {
                Integer image = imageByPath.get(hit.path());
                Integer position = image == null ? null : positionOfImage.get(image);
                if (position == null) {
                    continue; // not an image of this subset
                }
                rank++;
                if (position == caption.image()) {
                    ranks[c] = rank;
                    break;
                }
            }
        }
        return new Rankings(ranks, null, (System.nanoTime() - start) / 1e9);
    }
}
