package io.koclip.search.web;

import static org.hamcrest.Matchers.containsString;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.koclip.search.image.ImageRejectedException;
import io.koclip.search.image.ImageTooLargeException;
import io.koclip.search.index.SearchFilter;
import io.koclip.search.search.DocumentNotFoundException;
import io.koclip.search.search.IndexNotReadyException;
import io.koclip.search.search.InferenceBusyException;
import io.koclip.search.search.InvalidRequestException;
import io.koclip.search.search.Paging;
import io.koclip.search.search.RankedImage;
import io.koclip.search.search.SearchPage;
import io.koclip.search.search.SearchService;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.web.multipart.MaxUploadSizeExceededException;

@WebMvcTest(SearchController.class)
@WebSlice
class SearchControllerTest {
    private static final MediaType PROBLEM = MediaType.APPLICATION_PROBLEM_JSON;

    @Autowired
    MockMvc mvc;

    @MockitoBean
    SearchService search;

    private static SearchPage response(String query) {
        RankedImage hit = new RankedImage("red-circle-001", "red/red-circle-001.png", 0.31f, 64, 64, "png", 180, 0, 0);
        return new SearchPage(query, "demo", 3, 24, 0, false, List.of(hit));
    }

    @Test
    void textSearchReturnsTheContractShape() throws Exception {
        when(search.searchText(eq("빨간 원"), isNull(), isNull(), any())).thenReturn(response("빨간 원"));
        mvc.perform(get("/api/v1/search").param("q", "빨간 원"))
                .andExpect(status().isOk())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_JSON))
                .andExpect(jsonPath("$.query").value("빨간 원"))
                .andExpect(jsonPath("$.model").value("demo"))
                .andExpect(jsonPath("$.tookMs").isNumber())
                .andExpect(jsonPath("$.hits[0].id").value("red-circle-001"))
                .andExpect(jsonPath("$.hits[0].path").value("red/red-circle-001.png"))
                .andExpect(jsonPath("$.hits[0].score").isNumber())
                .andExpect(jsonPath("$.hits[0].width").value(64))
                .andExpect(jsonPath("$.hits[0].height").value(64))
                .andExpect(jsonPath("$.hits[0].imageUrl").value("/api/v1/images/red-circle-001"))
                .andExpect(jsonPath("$.hits[0].thumbnailUrl").value("/api/v1/images/red-circle-001/thumbnail"))
                .andExpect(jsonPath("$.hits[0].duplicates").value(0))
                // how the hit was found: a vector hit has no lexical or fused score, written as null
                .andExpect(jsonPath("$.hits[0].scores.vector").value(0.31))
                .andExpect(content().string(containsString("\"lexical\":null")))
                .andExpect(content().string(containsString("\"fused\":null")))
                // the API's hit is the contract's: no file size or time
                .andExpect(jsonPath("$.hits[0].bytes").doesNotExist());
    }

    @Test
    void pagingFiltersAndTemplateReachTheService() throws Exception {
        when(search.searchText(anyString(), any(), any(), any())).thenReturn(response("x"));
        mvc.perform(get("/api/v1/search")
                        .param("q", "circle")
                        .param("k", "5")
                        .param("offset", "10")
                        .param("minScore", "0.2")
                        .param("template", "a drawing of {}")
                        .param("mode", "hybrid")
                        .param("dedup", "false")
                        .param("folder", "red")
                        .param("minWidth", "32")
                        .param("minHeight", "16")
                        .param("modifiedFrom", "0")
                        .param("modifiedTo", "2030-01-01T00:00:00Z")
                        .param("format", "png,jpg"))
                .andExpect(status().isOk());
        ArgumentCaptor<Paging> paging = ArgumentCaptor.forClass(Paging.class);
        verify(search).searchText(eq("circle"), eq("a drawing of {}"), eq("hybrid"), paging.capture());
        Paging p = paging.getValue();
        org.assertj.core.api.Assertions.assertThat(p.k()).isEqualTo(5);
        org.assertj.core.api.Assertions.assertThat(p.offset()).isEqualTo(10);
        org.assertj.core.api.Assertions.assertThat(p.minScore()).isEqualTo(0.2f);
        org.assertj.core.api.Assertions.assertThat(p.dedup()).isFalse();
        SearchFilter f = p.filter();
        org.assertj.core.api.Assertions.assertThat(f.pathPrefix()).isEqualTo("red/");
        org.assertj.core.api.Assertions.assertThat(f.minWidth()).isEqualTo(32);
        org.assertj.core.api.Assertions.assertThat(f.minHeight()).isEqualTo(16);
        org.assertj.core.api.Assertions.assertThat(f.modifiedFrom()).isEqualTo(0L);
        org.assertj.core.api.Assertions.assertThat(f.modifiedTo()).isEqualTo(1893456000000L);
        org.assertj.core.api.Assertions.assertThat(f.formats()).isEqualTo(Set.of("png", "jpeg"));
    }

    @Test
    void blankQueryIs400Problem() throws Exception {
        when(search.searchText(anyString(), any(), any(), any()))
                .thenThrow(new InvalidRequestException("q", "must not be blank"));
        mvc.perform(get("/api/v1/search").param("q", "   "))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(PROBLEM))
                .andExpect(jsonPath("$.status").value(400))
                .andExpect(jsonPath("$.detail").value("q: must not be blank"))
                .andExpect(jsonPath("$.parameter").value("q"))
                .andExpect(jsonPath("$.code").value("invalid-parameter"))
                .andExpect(jsonPath("$.instance").value("/api/v1/search"))
                .andExpect(jsonPath("$.trace").doesNotExist());
    }

    @Test
    void anUnknownModeIs400ProblemNamingMode() throws Exception {
        mvc.perform(get("/api/v1/search").param("q", "x").param("mode", "semantic"))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(PROBLEM))
                .andExpect(jsonPath("$.parameter").value("mode"))
                .andExpect(jsonPath("$.detail", containsString("'semantic'")));
    }

    @Test
    void missingQueryIsSpringsOwn400AsProblem() throws Exception {
        mvc.perform(get("/api/v1/search"))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(PROBLEM))
                .andExpect(jsonPath("$.detail", containsString("'q'")));
    }

    @Test
    void wrongTypeIs400ProblemNamingTheParameter() throws Exception {
        mvc.perform(get("/api/v1/search").param("q", "x").param("k", "ten"))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(PROBLEM))
                .andExpect(jsonPath("$.detail").value("k: 'ten' is not an integer"));
    }

    @Test
    void badFilterValuesAre400() throws Exception {
        mvc.perform(get("/api/v1/search").param("q", "x").param("format", "svg"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.parameter").value("format"));
        mvc.perform(get("/api/v1/search").param("q", "x").param("folder", "../etc"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.parameter").value("folder"));
        mvc.perform(get("/api/v1/search").param("q", "x").param("modifiedFrom", "yesterday"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.parameter").value("modifiedFrom"));
        mvc.perform(get("/api/v1/search")
                        .param("q", "x")
                        .param("modifiedFrom", "2024-02-01")
                        .param("modifiedTo", "2024-01-01"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.parameter").value("modifiedFrom"));
        mvc.perform(get("/api/v1/search").param("q", "x").param("minWidth", "0"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.parameter").value("minWidth"));
        mvc.perform(get("/api/v1/search").param("q", "x").param("minHeight", "tall"))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(PROBLEM))
                .andExpect(jsonPath("$.code").value("invalid-parameter"))
                .andExpect(jsonPath("$.parameter").value("minHeight"))
                .andExpect(jsonPath("$.detail").value("minHeight: 'tall' is not an integer"));
        // a blank number is no filter; format may repeat as well as list with commas
        when(search.searchText(anyString(), any(), any(), any())).thenReturn(response("x"));
        mvc.perform(get("/api/v1/search")
                        .param("q", "x")
                        .param("minWidth", " ")
                        .param("format", "png")
                        .param("format", "webp,gif"))
                .andExpect(status().isOk());
        ArgumentCaptor<Paging> paging = ArgumentCaptor.forClass(Paging.class);
        verify(search, org.mockito.Mockito.atLeastOnce()).searchText(eq("x"), any(), any(), paging.capture());
        org.assertj.core.api.Assertions.assertThat(paging.getValue().filter().minWidth())
                .isNull();
        org.assertj.core.api.Assertions.assertThat(paging.getValue().filter().formats())
                .isEqualTo(Set.of("png", "webp", "gif"));
    }

    @Test
    void indexNotReadyIs503WithRetryAfter() throws Exception {
        when(search.searchText(anyString(), any(), any(), any()))
                .thenThrow(new IndexNotReadyException("the first ingest is running"));
        mvc.perform(get("/api/v1/search").param("q", "x"))
                .andExpect(status().isServiceUnavailable())
                .andExpect(header().string("Retry-After", "5"))
                .andExpect(content().contentTypeCompatibleWith(PROBLEM))
                .andExpect(jsonPath("$.code").value("index-not-ready"))
                .andExpect(jsonPath("$.detail", containsString("index not ready")));
    }

    @Test
    void saturatedInferenceIs503WithRetryAfter() throws Exception {
        when(search.searchText(anyString(), any(), any(), any()))
                .thenThrow(new InferenceBusyException(2, Duration.ofSeconds(2), Duration.ofSeconds(3)));
        mvc.perform(get("/api/v1/search").param("q", "x"))
                .andExpect(status().isServiceUnavailable())
                .andExpect(header().string("Retry-After", "3"))
                .andExpect(jsonPath("$.code").value("inference-busy"));
    }

    @Test
    void unexpectedErrorIs500WithoutDetailsOfTheCause() throws Exception {
        when(search.searchText(anyString(), any(), any(), any()))
                .thenThrow(new IllegalStateException("secret internals"));
        mvc.perform(get("/api/v1/search").param("q", "x"))
                .andExpect(status().isInternalServerError())
                .andExpect(content().contentTypeCompatibleWith(PROBLEM))
                .andExpect(jsonPath("$.detail", org.hamcrest.Matchers.not(containsString("secret"))));
    }

    @Test
    void wrongMethodIs405Problem() throws Exception {
        mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete("/api/v1/search"))
                .andExpect(status().isMethodNotAllowed())
                .andExpect(content().contentTypeCompatibleWith(PROBLEM));
    }

    @Test
    void unknownPathIs404Problem() throws Exception {
        mvc.perform(get("/api/v1/nothing-here"))
                .andExpect(status().isNotFound())
                .andExpect(content().contentTypeCompatibleWith(PROBLEM));
    }

    @Test
    void imageUploadSearches() throws Exception {
        when(search.searchImage(any(), eq("a.png"), any())).thenReturn(response("image:a.png"));
        mvc.perform(multipart("/api/v1/search/image")
                        .file(new MockMultipartFile("image", "a.png", "image/png", new byte[] {1, 2, 3}))
                        .param("k", "3"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.query").value("image:a.png"))
                .andExpect(jsonPath("$.hits[0].id").value("red-circle-001"));
    }

    @Test
    void uploadWithoutImagePartIs400Problem() throws Exception {
        mvc.perform(multipart("/api/v1/search/image").param("k", "3"))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(PROBLEM))
                .andExpect(jsonPath("$.detail", containsString("image")));
    }

    @Test
    void notAnImageIs415() throws Exception {
        when(search.searchImage(any(), any(), any()))
                .thenThrow(new ImageRejectedException(
                        ImageRejectedException.Reason.NOT_AN_IMAGE, "no known image signature"));
        mvc.perform(multipart("/api/v1/search/image")
                        .file(new MockMultipartFile("image", "a.txt", "text/plain", "hello".getBytes())))
                .andExpect(status().isUnsupportedMediaType())
                .andExpect(content().contentTypeCompatibleWith(PROBLEM))
                .andExpect(jsonPath("$.code").value("image-not-an-image"));
    }

    @Test
    void imageOverThePixelCapIs413() throws Exception {
        when(search.searchImage(any(), any(), any())).thenThrow(new ImageTooLargeException(20000, 20000, 100_000_000));
        mvc.perform(multipart("/api/v1/search/image")
                        .file(new MockMultipartFile("image", "big.png", "image/png", new byte[] {1})))
                .andExpect(status().isContentTooLarge())
                .andExpect(jsonPath("$.code").value("image-too-large"))
                .andExpect(jsonPath("$.maxPixels").value(100_000_000));
    }

    @Test
    void uploadOverTheSizeLimitIs413() throws Exception {
        when(search.searchImage(any(), any(), any())).thenThrow(new MaxUploadSizeExceededException(20_971_520));
        mvc.perform(multipart("/api/v1/search/image")
                        .file(new MockMultipartFile("image", "big.png", "image/png", new byte[] {1})))
                .andExpect(status().isContentTooLarge())
                .andExpect(content().contentTypeCompatibleWith(PROBLEM))
                .andExpect(jsonPath("$.code").value("upload-too-large"));
    }

    @Test
    void corruptImageIs400() throws Exception {
        when(search.searchImage(any(), any(), any()))
                .thenThrow(new ImageRejectedException(ImageRejectedException.Reason.CORRUPT, "truncated PNG"));
        mvc.perform(multipart("/api/v1/search/image")
                        .file(new MockMultipartFile("image", "bad.png", "image/png", new byte[] {1})))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.code").value("image-corrupt"));
    }

    @Test
    void similarById() throws Exception {
        when(search.similar(eq("red-circle-001"), any())).thenReturn(response("similar:red-circle-001"));
        mvc.perform(get("/api/v1/search/similar/red-circle-001").param("k", "4"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.query").value("similar:red-circle-001"));
    }

    @Test
    void similarToUnknownIdIs404() throws Exception {
        when(search.similar(eq("nope"), any())).thenThrow(new DocumentNotFoundException("nope"));
        mvc.perform(get("/api/v1/search/similar/nope"))
                .andExpect(status().isNotFound())
                .andExpect(content().contentTypeCompatibleWith(PROBLEM))
                .andExpect(jsonPath("$.code").value("image-not-found"));
    }

    @Test
    void postToSearchIs405() throws Exception {
        mvc.perform(post("/api/v1/search").param("q", "x"))
                .andExpect(status().isMethodNotAllowed())
                .andExpect(content().contentTypeCompatibleWith(PROBLEM));
    }
}
