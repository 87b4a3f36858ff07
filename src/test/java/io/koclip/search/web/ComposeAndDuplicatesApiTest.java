package io.koclip.search.web;

import static io.koclip.search.index.InMemoryVectorIndex.unit;
import static org.hamcrest.Matchers.containsString;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.koclip.search.image.DecodedImage;
import io.koclip.search.index.ImageDocument;
import io.koclip.search.index.InMemoryBackend;
import io.koclip.search.index.InMemoryVectorIndex;
import io.koclip.search.index.IndexSpec;
import io.koclip.search.search.CandidatePolicy;
import io.koclip.search.search.FakeQueryStack;
import io.koclip.search.search.LiveIndex;
import io.koclip.search.search.NearDuplicates;
import io.koclip.search.search.SearchProperties;
import io.koclip.search.search.SearchService;
import io.koclip.search.search.VectorRetriever;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.test.context.bean.override.convention.TestBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

/**
 * The compose, sort, dedup=near and duplicates API over the real query service, a fake model
 * ({@link FakeQueryStack}: "red" → axis 0, "blue" → 1, "green" → 2) and a brute-force index: the
 * answers, and a problem+json naming the parameter for every kind of bad input.
 */
@WebMvcTest({SearchController.class, ComposeController.class, DuplicatesController.class})
@WebSlice
class ComposeAndDuplicatesApiTest {
    static final int DIM = FakeQueryStack.DIM;
    static final MediaType PROBLEM = MediaType.APPLICATION_PROBLEM_JSON;
    static final FakeQueryStack FAKE = new FakeQueryStack();
    static final LiveIndex INDEX = index();

    static ImageDocument doc(String id, String hash, long modified, float[] vector) {
        return new ImageDocument(id, "p/" + id + ".png", hash, 64, 48, 1000, modified, "png", null, vector);
    }

    static LiveIndex index() {
        try {
            InMemoryVectorIndex backing = new InMemoryVectorIndex("fake", "fp1");
            backing.upsert(doc("red-1", "h1", 1_000, unit(DIM, 0, 7, 0.1f)));
            backing.upsert(doc("red-1-jpeg", "h1j", 5_000, unit(DIM, 0, 7, 0.12f)));
            backing.upsert(doc("red-2", "h2", 3_000, unit(DIM, 0, 1, 0.5f)));
            backing.upsert(doc("purple", "hp", 500, unit(DIM, 0, 1, 1f)));
            backing.upsert(doc("blue-1", "hb", 2_000, unit(DIM, 1, 7, 0.1f)));
            backing.upsert(doc("green-1", "hg", 4_000, unit(DIM, 2, 7, 0.1f)));
            return LiveIndex.open(
                    new InMemoryBackend(backing),
                    IndexSpec.of(backing.metadata().model()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static SearchService searchService() {
        return FAKE.service(INDEX);
    }

    static NearDuplicates nearDuplicates() {
        return new NearDuplicates(
                "fake",
                INDEX,
                new VectorRetriever(
                        new CandidatePolicy(SearchProperties.defaults().minCandidates())),
                FAKE.timer);
    }

    @TestBean(methodName = "searchService")
    SearchService search;

    @TestBean(methodName = "nearDuplicates")
    NearDuplicates duplicates;

    @Autowired
    MockMvc mvc;

    ResultActions compose(String json) throws Exception {
        return mvc.perform(post("/api/v1/search/compose")
                .contentType(MediaType.APPLICATION_JSON)
                .content(json));
    }

    static void problem(ResultActions result, int status, String parameter) throws Exception {
        result.andExpect(status().is(status))
                .andExpect(content().contentTypeCompatibleWith(PROBLEM))
                .andExpect(jsonPath("$.code").value("invalid-parameter"))
                .andExpect(jsonPath("$.parameter").value(parameter));
    }

    @Test
    void composeSumsWeightedTextsAndImages() throws Exception {
        compose("""
                        {"terms": [{"text": "red"}, {"text": "blue", "weight": 1}], "k": 2}""")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.query").value("red + blue"))
                .andExpect(jsonPath("$.hits.length()").value(2))
                .andExpect(jsonPath("$.hits[0].id").value("purple"));
        compose("""
                        {"terms": [{"imageId": "red-1", "weight": 2}, {"text": "blue", "weight": -1}],
                         "filter": {"folder": "p"}, "minScore": 0.5}""")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.query").value("2:image:red-1 - blue"))
                .andExpect(jsonPath("$.hits[0].id").value("red-1-jpeg"))
                .andExpect(jsonPath("$.hits[?(@.id == 'red-1')]").isEmpty());
    }

    @Test
    void composeWithAnUploadIsMultipart() throws Exception {
        BufferedImage rgb = new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB);
        when(FAKE.decoder.decode(any(byte[].class))).thenReturn(new DecodedImage(rgb, "png", 4, 4));
        when(FAKE.imageEncoder.encode(rgb)).thenReturn(unit(DIM, 2, 7, 0f));
        MockMultipartFile query = new MockMultipartFile(
                "query", "", MediaType.APPLICATION_JSON_VALUE, """
                {"terms": [{"upload": "photo"}, {"text": "red", "weight": -0.5}], "k": 1}""".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        MockMultipartFile photo = new MockMultipartFile("photo", "g.png", "image/png", new byte[] {1, 2, 3});
        mvc.perform(multipart("/api/v1/search/compose").file(query).file(photo))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.query").value("upload:g.png - 0.5:red"))
                .andExpect(jsonPath("$.hits[0].id").value("green-1"));
        problem(
                mvc.perform(multipart("/api/v1/search/compose").file(query)),
                400,
                "terms[0].upload"); // no part named photo
        problem(
                mvc.perform(multipart("/api/v1/search/compose")
                        .file(new MockMultipartFile("query", "", "application/json", "{terms".getBytes()))),
                400,
                "query");
    }

    @Test
    void badComposeRequestsAreProblemsNamingTheTerm() throws Exception {
        problem(compose("{\"terms\": []}"), 400, "terms");
        problem(compose("{}"), 400, "terms");
        problem(compose("{\"terms\": [" + "{\"text\": \"red\"},".repeat(8) + "{\"text\": \"red\"}]}"), 400, "terms");
        problem(compose("{\"terms\": [{\"text\": \"red\", \"weight\": 11}]}"), 400, "terms[0].weight");
        problem(compose("{\"terms\": [{\"text\": \"red\", \"weight\": -10.5}]}"), 400, "terms[0].weight");
        problem(
                compose("{\"terms\": [{\"text\": \"red\"}, {\"text\": \"blue\", \"weight\": 0}]}"),
                400,
                "terms[1].weight");
        problem(
                compose("{\"terms\": [{\"text\": \"red\", \"weight\": -1}, {\"text\": \"blue\", \"weight\": -1}]}"),
                400,
                "terms");
        compose("{\"terms\": [{\"text\": \"red\"}, {\"text\": \"red\", \"weight\": -1}]}")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.parameter").value("terms"))
                .andExpect(jsonPath("$.detail", containsString("cancel out")));
        problem(compose("{\"terms\": [{\"text\": \"" + "가".repeat(201) + "\"}]}"), 400, "terms[0].text");
        problem(compose("{\"terms\": [{\"text\": \"red\", \"imageId\": \"red-1\"}]}"), 400, "terms[0]");
        problem(compose("{\"terms\": [{\"weight\": 1}]}"), 400, "terms[0]");
        problem(compose("{\"terms\": [{\"upload\": \"photo\"}]}"), 400, "terms[0].upload");
        problem(compose("{\"terms\": [{\"text\": \"red\"}], \"k\": 0}"), 400, "k");
        problem(compose("{\"terms\": [{\"text\": \"red\"}], \"sort\": \"newest\"}"), 400, "sort");
        problem(compose("{\"terms\": [{\"text\": \"red\"}], \"filter\": {\"format\": [\"pdf\"]}}"), 400, "format");
        compose("{\"terms\": [{\"text\": \"red\"}, {\"imageId\": \"nope\"}]}")
                .andExpect(status().isNotFound())
                .andExpect(content().contentTypeCompatibleWith(PROBLEM))
                .andExpect(jsonPath("$.code").value("image-not-found"));
        compose("{\"terms\": [{\"text\": \"red\", \"weight\": \"heavy\"}]}")
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(PROBLEM));
        compose("not json")
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(PROBLEM));
    }

    @Test
    void sortByDateAndNearDedupOnTextSearch() throws Exception {
        mvc.perform(get("/api/v1/search")
                        .param("q", "red")
                        .param("sort", "date")
                        .param("minScore", "0.5"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.hits[*].id")
                        .value(org.hamcrest.Matchers.contains("red-1-jpeg", "red-2", "red-1", "purple")));
        mvc.perform(get("/api/v1/search")
                        .param("q", "red")
                        .param("dedup", "near")
                        .param("minScore", "0.5"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.hits[*].id").value(org.hamcrest.Matchers.contains("red-1", "red-2", "purple")))
                .andExpect(jsonPath("$.hits[0].duplicates").value(1));
        mvc.perform(get("/api/v1/search/similar/red-2").param("sort", "date").param("k", "2"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.hits[*].id").value(org.hamcrest.Matchers.contains("red-1-jpeg", "green-1")));
        problem(mvc.perform(get("/api/v1/search").param("q", "red").param("sort", "newest")), 400, "sort");
        problem(mvc.perform(get("/api/v1/search").param("q", "red").param("dedup", "maybe")), 400, "dedup");
        problem(
                mvc.perform(get("/api/v1/search")
                        .param("q", "red")
                        .param("sort", "date")
                        .param("offset", "990")
                        .param("k", "20")),
                400,
                "offset");
    }

    @Test
    void duplicatesAreGroupsOfHits() throws Exception {
        mvc.perform(get("/api/v1/duplicates"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.maxDistance").value(NearDuplicates.DEFAULT_MAX_DISTANCE))
                .andExpect(jsonPath("$.totalGroups").value(1))
                .andExpect(jsonPath("$.totalImages").value(2))
                .andExpect(jsonPath("$.groups[0].size").value(2))
                .andExpect(jsonPath("$.groups[0].images[0].id").value("red-1-jpeg"))
                .andExpect(jsonPath("$.groups[0].images[1].id").value("red-1"))
                .andExpect(jsonPath("$.groups[0].images[1].thumbnailUrl").value("/api/v1/images/red-1/thumbnail"));
        mvc.perform(get("/api/v1/duplicates")
                        .param("maxDistance", "0.2")
                        .param("size", "1")
                        .param("page", "0"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.groups.length()").value(1))
                .andExpect(
                        jsonPath("$.groups[0].images.length()").value(4)); // red-2 and, through it, purple join at 0.2
        mvc.perform(get("/api/v1/duplicates").param("page", "3"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.groups").isEmpty());
        problem(mvc.perform(get("/api/v1/duplicates").param("maxDistance", "0.7")), 400, "maxDistance");
        problem(mvc.perform(get("/api/v1/duplicates").param("maxDistance", "-1")), 400, "maxDistance");
        problem(mvc.perform(get("/api/v1/duplicates").param("size", "0")), 400, "size");
        problem(mvc.perform(get("/api/v1/duplicates").param("size", "101")), 400, "size");
        problem(mvc.perform(get("/api/v1/duplicates").param("page", "-1")), 400, "page");
        mvc.perform(get("/api/v1/duplicates").param("maxDistance", "near"))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(PROBLEM))
                .andExpect(jsonPath("$.detail", containsString("maxDistance")));
    }
}
