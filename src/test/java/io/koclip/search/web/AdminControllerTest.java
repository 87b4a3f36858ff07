package io.koclip.search.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.koclip.search.ingest.IngestSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

class AdminControllerTest {
    private static final String TOKEN = "s3cret-token";
    private static final MediaType PROBLEM = MediaType.APPLICATION_PROBLEM_JSON;

    private static JobView view(String id, String type, String state) {
        return new JobView(
                id,
                type,
                state,
                new JobProgress(3, 10, "encoding"),
                state.equals("succeeded") ? Map.of("indexed", 10) : null,
                null,
                Instant.parse("2026-01-01T00:00:00Z"),
                null,
                null);
    }

    @Nested
    @WebMvcTest(controllers = AdminController.class, properties = "koclip.admin.token=" + TOKEN)
    @WebSlice
    class WithToken {
        @Autowired
        MockMvc mvc;

        @MockitoBean
        JobService jobs;

        @Test
        void ingestIs202WithJobIdAndLocation() throws Exception {
            when(jobs.submit(JobService.Type.INGEST, IngestSettings.DEFAULTS))
                    .thenReturn(view("j1", "ingest", "queued"));
            mvc.perform(post("/api/v1/admin/ingest").header("Authorization", "Bearer " + TOKEN))
                    .andExpect(status().isAccepted())
                    .andExpect(header().string("Location", "/api/v1/admin/jobs/j1"))
                    .andExpect(jsonPath("$.jobId").value("j1"));
        }

        @Test
        void reindexIs202() throws Exception {
            when(jobs.submit(JobService.Type.REINDEX, IngestSettings.DEFAULTS))
                    .thenReturn(view("j2", "reindex", "queued"));
            mvc.perform(post("/api/v1/admin/reindex").header("Authorization", "bearer " + TOKEN))
                    .andExpect(status().isAccepted())
                    .andExpect(jsonPath("$.jobId").value("j2"));
        }

        @Test
        void secondWriteJobIs409() throws Exception {
            when(jobs.submit(JobService.Type.REINDEX, IngestSettings.DEFAULTS))
                    .thenThrow(new JobConflictException("j1", "ingest"));
            mvc.perform(post("/api/v1/admin/reindex").header("Authorization", "Bearer " + TOKEN))
                    .andExpect(status().isConflict())
                    .andExpect(content().contentTypeCompatibleWith(PROBLEM))
                    .andExpect(jsonPath("$.activeJobId").value("j1"));
        }

        @Test
        void theBodySetsTheJobsIngestSettingsAsTheCommandLineDoes() throws Exception {
            IngestSettings asked =
                    new IngestSettings(true, 32, 3, 500, Duration.ofSeconds(10), Duration.ofMillis(2500), 50_000_000L);
            when(jobs.submit(JobService.Type.INGEST, asked)).thenReturn(view("j3", "ingest", "queued"));
            mvc.perform(post("/api/v1/admin/ingest")
                            .header("Authorization", "Bearer " + TOKEN)
                            .contentType(MediaType.APPLICATION_JSON)
                            .content("{\"prune\": true, \"batch\": 32, \"workers\": 3, \"commitEvery\": 500,"
                                    + " \"commitInterval\": 10, \"decodeTimeout\": 2.5, \"maxPixels\": 50000000}"))
                    .andExpect(status().isAccepted())
                    .andExpect(jsonPath("$.jobId").value("j3"));
            verify(jobs).submit(JobService.Type.INGEST, asked);
        }

        @Test
        void anEmptyBodyIsTheConfiguredSettings() throws Exception {
            when(jobs.submit(JobService.Type.REINDEX, IngestSettings.DEFAULTS))
                    .thenReturn(view("j4", "reindex", "queued"));
            mvc.perform(post("/api/v1/admin/reindex")
                            .header("Authorization", "Bearer " + TOKEN)
                            .contentType(MediaType.APPLICATION_JSON)
                            .content("{}"))
                    .andExpect(status().isAccepted())
                    .andExpect(jsonPath("$.jobId").value("j4"));
            mvc.perform(post("/api/v1/admin/reindex")
                            .header("Authorization", "Bearer " + TOKEN)
                            .contentType(MediaType.APPLICATION_JSON)
                            .content("{\"notASetting\": 1}"))
                    .andExpect(status().isAccepted());
        }

        @Test
        void aSettingOutOfRangeIs400NamingItAndQueuesNothing() throws Exception {
            mvc.perform(post("/api/v1/admin/ingest")
                            .header("Authorization", "Bearer " + TOKEN)
                            .contentType(MediaType.APPLICATION_JSON)
                            .content("{\"batch\": 0}"))
                    .andExpect(status().isBadRequest())
                    .andExpect(content().contentTypeCompatibleWith(PROBLEM))
                    .andExpect(jsonPath("$.code").value("invalid-parameter"))
                    .andExpect(jsonPath("$.parameter").value("batch"))
                    .andExpect(jsonPath("$.detail").value("batch: 0 is not in [1, 1024]"));
            mvc.perform(post("/api/v1/admin/reindex")
                            .header("Authorization", "Bearer " + TOKEN)
                            .contentType(MediaType.APPLICATION_JSON)
                            .content("{\"decodeTimeout\": -1}"))
                    .andExpect(status().isBadRequest())
                    .andExpect(jsonPath("$.parameter").value("decodeTimeout"));
            mvc.perform(post("/api/v1/admin/ingest")
                            .header("Authorization", "Bearer " + TOKEN)
                            .contentType(MediaType.APPLICATION_JSON)
                            .content("{\"workers\": \"many\"}"))
                    .andExpect(status().isBadRequest())
                    .andExpect(content().contentTypeCompatibleWith(PROBLEM))
                    .andExpect(jsonPath("$.code").value("bad-request"));
            verifyNoInteractions(jobs);
        }

        @Test
        void jobStatus() throws Exception {
            when(jobs.get("j1")).thenReturn(Optional.of(view("j1", "ingest", "succeeded")));
            mvc.perform(get("/api/v1/admin/jobs/j1").header("Authorization", "Bearer " + TOKEN))
                    .andExpect(status().isOk())
                    .andExpect(jsonPath("$.jobId").value("j1"))
                    .andExpect(jsonPath("$.type").value("ingest"))
                    .andExpect(jsonPath("$.state").value("succeeded"))
                    .andExpect(jsonPath("$.progress.done").value(3))
                    .andExpect(jsonPath("$.progress.total").value(10))
                    .andExpect(jsonPath("$.report.indexed").value(10));
        }

        @Test
        void jobList() throws Exception {
            when(jobs.list()).thenReturn(List.of(view("j2", "reindex", "running")));
            mvc.perform(get("/api/v1/admin/jobs").header("Authorization", "Bearer " + TOKEN))
                    .andExpect(status().isOk())
                    .andExpect(jsonPath("$[0].jobId").value("j2"));
        }

        @Test
        void unknownJobIs404() throws Exception {
            when(jobs.get("nope")).thenReturn(Optional.empty());
            mvc.perform(get("/api/v1/admin/jobs/nope").header("Authorization", "Bearer " + TOKEN))
                    .andExpect(status().isNotFound())
                    .andExpect(content().contentTypeCompatibleWith(PROBLEM))
                    .andExpect(jsonPath("$.code").value("job-not-found"));
        }

        @Test
        void deleteCancels() throws Exception {
            when(jobs.cancel("j1")).thenReturn(view("j1", "ingest", "cancelled"));
            mvc.perform(delete("/api/v1/admin/jobs/j1").header("Authorization", "Bearer " + TOKEN))
                    .andExpect(status().isOk())
                    .andExpect(jsonPath("$.state").value("cancelled"));
            verify(jobs).cancel("j1");
        }

        @Test
        void missingTokenIs401WithChallenge() throws Exception {
            mvc.perform(post("/api/v1/admin/ingest"))
                    .andExpect(status().isUnauthorized())
                    .andExpect(header().string("WWW-Authenticate", "Bearer realm=\"koclip-admin\""))
                    .andExpect(content().contentTypeCompatibleWith(PROBLEM))
                    .andExpect(jsonPath("$.status").value(401));
            verifyNoInteractions(jobs);
        }

        @Test
        void wrongTokenIs401() throws Exception {
            mvc.perform(post("/api/v1/admin/ingest").header("Authorization", "Bearer " + TOKEN + "x"))
                    .andExpect(status().isUnauthorized())
                    .andExpect(jsonPath("$.detail").value("the admin bearer token is wrong"));
            mvc.perform(post("/api/v1/admin/ingest").header("Authorization", "Basic " + TOKEN))
                    .andExpect(status().isUnauthorized());
            verifyNoInteractions(jobs);
        }

        @Test
        void metricsNeedTheTokenHealthDoesNot() throws Exception {
            mvc.perform(get("/actuator/prometheus")).andExpect(status().isUnauthorized());
            mvc.perform(get("/actuator/metrics")).andExpect(status().isUnauthorized());
            // health is never filtered (no actuator in this slice, so it is simply not found here)
            mvc.perform(get("/actuator/health")).andExpect(status().isNotFound());
        }
    }

    @Nested
    @WebMvcTest(controllers = AdminController.class)
    @WebSlice
    class WithoutToken {
        @Autowired
        MockMvc mvc;

        @MockitoBean
        JobService jobs;

        @Test
        void adminIsOffAs404() throws Exception {
            mvc.perform(post("/api/v1/admin/ingest").header("Authorization", "Bearer anything"))
                    .andExpect(status().isNotFound())
                    .andExpect(content().contentTypeCompatibleWith(PROBLEM));
            mvc.perform(get("/api/v1/admin/jobs/j1")).andExpect(status().isNotFound());
            mvc.perform(get("/actuator/prometheus")).andExpect(status().isNotFound());
            verifyNoInteractions(jobs);
        }
    }

    @Test
    void guardedPaths() {
        assertThat(AdminTokenFilter.guarded("/api/v1/admin/ingest")).isTrue();
        assertThat(AdminTokenFilter.guarded("/api/v1/admin")).isTrue();
        assertThat(AdminTokenFilter.guarded("/actuator/prometheus")).isTrue();
        assertThat(AdminTokenFilter.guarded("/actuator/metrics/koclip.search")).isTrue();
        assertThat(AdminTokenFilter.guarded("/actuator/health")).isFalse();
        assertThat(AdminTokenFilter.guarded("/actuator/health/readiness")).isFalse();
        assertThat(AdminTokenFilter.guarded("/api/v1/search")).isFalse();
        assertThat(AdminTokenFilter.guarded("/api/v1/administrator")).isFalse();
    }

    @Test
    void tokenComparison() {
        AdminProperties admin = new AdminProperties(TOKEN, 10);
        assertThat(admin.enabled()).isTrue();
        assertThat(admin.accepts(TOKEN)).isTrue();
        assertThat(admin.accepts(TOKEN + " ")).isFalse();
        assertThat(admin.accepts("")).isFalse();
        assertThat(admin.accepts(null)).isFalse();
        assertThat(admin.toString()).doesNotContain(TOKEN);
        assertThat(new AdminProperties(" ", 10).enabled()).isFalse();
        assertThat(new AdminProperties(null, 10).accepts("x")).isFalse();
    }
}
