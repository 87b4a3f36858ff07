package io.koclip.search.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.options;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.koclip.search.search.SearchPage;
import io.koclip.search.search.SearchService;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

/** CORS opened for one origin, one upload at a time, and the admin lockout after two wrong tokens. */
@WebMvcTest(
        controllers = SearchController.class,
        properties = {
            "koclip.http.cors.allowed-origins=https://photos.example.org",
            "koclip.http.uploads.max-concurrent=1",
            "koclip.http.uploads.retry-after=3s",
            "koclip.admin.token=the-admin-token",
            "koclip.admin.lockout.free-failures=2",
            "koclip.admin.lockout.first=1m",
        })
@WebSlice
class HttpConfiguredTest {
    private static final SearchPage EMPTY = new SearchPage("x", "demo", 1, 24, 0, false, List.of());

    @Autowired
    MockMvc mvc;

    @MockitoBean
    SearchService search;

    @Test
    void theConfiguredOriginMayCallTheApiOthersMayNot() throws Exception {
        when(search.searchText(anyString(), isNull(), isNull(), any())).thenReturn(EMPTY);
        mvc.perform(options("/api/v1/search/image")
                        .header("Origin", "https://photos.example.org")
                        .header("Access-Control-Request-Method", "POST"))
                .andExpect(status().isOk())
                .andExpect(header().string("Access-Control-Allow-Origin", "https://photos.example.org"))
                .andExpect(header().string("Access-Control-Max-Age", "1800"));
        mvc.perform(get("/api/v1/search").param("q", "x").header("Origin", "https://photos.example.org"))
                .andExpect(status().isOk())
                .andExpect(header().string("Access-Control-Allow-Origin", "https://photos.example.org"))
                .andExpect(header().doesNotExist("Access-Control-Allow-Credentials"));
        mvc.perform(options("/api/v1/search")
                        .header("Origin", "https://evil.example")
                        .header("Access-Control-Request-Method", "GET"))
                .andExpect(status().isForbidden())
                .andExpect(header().doesNotExist("Access-Control-Allow-Origin"));
        // the admin token may not be sent cross-origin
        mvc.perform(options("/api/v1/search")
                        .header("Origin", "https://photos.example.org")
                        .header("Access-Control-Request-Method", "GET")
                        .header("Access-Control-Request-Headers", "Authorization"))
                .andExpect(status().isForbidden());
    }

    @Test
    void badOriginsAreRefusedAtStartUp() {
        for (String bad : List.of("*", "photos.example.org", "https://photos.example.org/app", "ftp://x.example")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(
                            () -> new HttpProperties.Cors(List.of(bad), java.time.Duration.ofMinutes(1)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'" + bad + "'");
        }
    }

    @Test
    void anUploadOverTheConcurrencyLimitIsRefusedWithRetryAfter() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        when(search.searchImage(any(), any(), any())).thenAnswer(inv -> {
            inside.countDown();
            assertThat(release.await(30, TimeUnit.SECONDS)).isTrue();
            return EMPTY;
        });
        MockMultipartFile image = new MockMultipartFile("image", "a.png", "image/png", new byte[] {1, 2, 3});
        CompletableFuture<Integer> first = CompletableFuture.supplyAsync(() -> {
            try {
                return mvc.perform(multipart("/api/v1/search/image").file(image))
                        .andReturn()
                        .getResponse()
                        .getStatus();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            assertThat(inside.await(30, TimeUnit.SECONDS)).isTrue();
            mvc.perform(multipart("/api/v1/search/image").file(image))
                    .andExpect(status().isServiceUnavailable())
                    .andExpect(header().string("Retry-After", "3"))
                    .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                    .andExpect(jsonPath("$.code").value("uploads-busy"));
            // a text search is no upload: not limited
            when(search.searchText(anyString(), isNull(), isNull(), any())).thenReturn(EMPTY);
            mvc.perform(get("/api/v1/search").param("q", "x")).andExpect(status().isOk());
        } finally {
            release.countDown();
        }
        assertThat(first.get(30, TimeUnit.SECONDS)).isEqualTo(200);
        mvc.perform(multipart("/api/v1/search/image").file(image)).andExpect(status().isOk());
    }

    @Test
    void wrongAdminTokensLockTheClientOutEvenForTheRightToken() throws Exception {
        String client = "192.0.2.7";
        for (int i = 0; i < 2; i++) {
            mvc.perform(get("/api/v1/admin/jobs")
                            .header("Authorization", "Bearer guess-" + i)
                            .with(r -> {
                                r.setRemoteAddr(client);
                                return r;
                            }))
                    .andExpect(status().isUnauthorized());
        }
        // without a token nothing is guessed: not counted
        mvc.perform(get("/api/v1/admin/jobs").with(r -> {
                    r.setRemoteAddr(client);
                    return r;
                }))
                .andExpect(status().isUnauthorized());
        mvc.perform(get("/api/v1/admin/jobs")
                        .header("Authorization", "Bearer guess-3")
                        .with(r -> {
                            r.setRemoteAddr(client);
                            return r;
                        }))
                .andExpect(status().isUnauthorized());
        mvc.perform(get("/api/v1/admin/jobs")
                        .header("Authorization", "Bearer the-admin-token")
                        .with(r -> {
                            r.setRemoteAddr(client);
                            return r;
                        }))
                .andExpect(status().isTooManyRequests())
                .andExpect(header().string("Retry-After", "60"))
                .andExpect(jsonPath("$.code").value("admin-locked-out"));
        // another address is not affected: the right token passes the filter (the slice has no admin controller)
        mvc.perform(get("/api/v1/admin/jobs")
                        .header("Authorization", "Bearer the-admin-token")
                        .with(r -> {
                            r.setRemoteAddr("192.0.2.8");
                            return r;
                        }))
                .andExpect(status().isNotFound());
    }
}
