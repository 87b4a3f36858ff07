package io.koclip.search.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.options;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.koclip.search.search.SearchPage;
import io.koclip.search.search.SearchService;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

/** The default configuration: security headers on every answer, and no cross-origin access. */
@WebMvcTest(SearchController.class)
@WebSlice
class HttpHeadersTest {
    @Autowired
    MockMvc mvc;

    @MockitoBean
    SearchService search;

    private void expectSecurityHeaders(ResultActions result, String policy) throws Exception {
        result.andExpect(header().string("Content-Security-Policy", policy))
                .andExpect(header().string("X-Frame-Options", "DENY"))
                .andExpect(header().string("X-Content-Type-Options", "nosniff"))
                .andExpect(header().string("Referrer-Policy", "no-referrer"))
                .andExpect(header().string("Cross-Origin-Opener-Policy", "same-origin"))
                .andExpect(header().string("Permissions-Policy", SecurityHeaders.PERMISSIONS));
    }

    @Test
    void thePageTheApiAndErrorsCarryTheSecurityHeaders() throws Exception {
        when(search.searchText(anyString(), isNull(), isNull(), any()))
                .thenReturn(new SearchPage("x", "demo", 1, 24, 0, false, List.of()));
        expectSecurityHeaders(mvc.perform(get("/index.html")).andExpect(status().isOk()), HttpProperties.DEFAULT_CSP);
        expectSecurityHeaders(
                mvc.perform(get("/api/v1/search").param("q", "x")).andExpect(status().isOk()),
                HttpProperties.DEFAULT_CSP);
        expectSecurityHeaders(
                mvc.perform(get("/api/v1/search")).andExpect(status().isBadRequest()), HttpProperties.DEFAULT_CSP);
        expectSecurityHeaders(
                mvc.perform(get("/api/v1/admin/jobs")).andExpect(status().isNotFound()), HttpProperties.DEFAULT_CSP);
        assertThat(HttpProperties.DEFAULT_CSP)
                .contains("frame-ancestors 'none'", "script-src 'self';", "style-src 'self';")
                .doesNotContain("unsafe");
    }

    @Test
    void swaggerUiMayUseInlineStylesButNothingElseMore() throws Exception {
        String swagger = SecurityHeaders.withInlineStyles(HttpProperties.DEFAULT_CSP);
        assertThat(swagger)
                .contains("style-src 'self' 'unsafe-inline'", "img-src 'self' data: blob:", "script-src 'self';")
                .contains("frame-ancestors 'none'")
                .doesNotContain("'unsafe-eval'");
        expectSecurityHeaders(mvc.perform(get("/swagger-ui/index.html")), swagger);
    }

    @Test
    void crossOriginRequestsGetNoAllowOriginByDefault() throws Exception {
        when(search.searchText(anyString(), isNull(), isNull(), any()))
                .thenReturn(new SearchPage("x", "demo", 1, 24, 0, false, List.of()));
        mvc.perform(get("/api/v1/search").param("q", "x").header("Origin", "https://evil.example"))
                .andExpect(header().doesNotExist("Access-Control-Allow-Origin"));
        mvc.perform(options("/api/v1/search")
                        .header("Origin", "https://evil.example")
                        .header("Access-Control-Request-Method", "GET"))
                .andExpect(header().doesNotExist("Access-Control-Allow-Origin"));
    }
}
