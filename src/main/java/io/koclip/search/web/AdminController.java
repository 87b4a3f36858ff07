package io.koclip.search.web;

import io.koclip.search.ingest.IngestSettings;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Admin jobs. {@link AdminTokenFilter} guards every path here: bearer token required, and the whole
 * API answers 404 when no token is configured.
 */
@RestController
@RequestMapping(path = "/api/v1/admin", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "admin", description = "Ingest and reindex jobs (bearer token from KOCLIP_ADMIN_TOKEN)")
@SecurityRequirement(name = "adminToken")
class AdminController {
    private static final String QUEUED = "Queued; poll the job at Location";
    private static final String JOB_URL = "The job: /api/v1/admin/jobs/{jobId}";
    private static final String JOB_RUNNING =
            "Another write job is queued or running (job-running, with `activeJobId`)";
    private static final String BAD_SETTINGS =
            "A setting of the body is out of range (invalid-parameter, naming it in `parameter`), or the body is"
                    + " not JSON of the right types (bad-request)";
    private static final String JOB_NOT_FOUND = "No remembered job has this id (job-not-found)";

    private final JobService jobs;

    AdminController(JobService jobs) {
        this.jobs = jobs;
    }

    /** The answer to a job submission. */
    record JobAccepted(String jobId) {}

    @PostMapping("/ingest")
    @Operation(
            summary = "Ingest the source folder into the live index (incremental)",
            description = "The optional JSON body sets this job's ingest settings (the ingest command's options).")
    @ApiResponse(
            responseCode = "202",
            description = QUEUED,
            headers =
                    @Header(
                            name = "Location",
                            description = JOB_URL,
                            schema = @Schema(type = "string", format = "uri-reference")))
    @ProblemResponse(status = 409, description = JOB_RUNNING)
    @ProblemResponse(status = 400, description = BAD_SETTINGS)
    ResponseEntity<JobAccepted> ingest(@RequestBody(required = false) @Nullable IngestRequest settings) {
        return accepted(jobs.submit(JobService.Type.INGEST, settings(settings)));
    }

    @PostMapping("/reindex")
    @Operation(
            summary = "Build a fresh index beside the live one and switch to it atomically",
            description = "The optional JSON body sets this job's ingest settings (the ingest command's options).")
    @ApiResponse(
            responseCode = "202",
            description = QUEUED,
            headers =
                    @Header(
                            name = "Location",
                            description = JOB_URL,
                            schema = @Schema(type = "string", format = "uri-reference")))
    @ProblemResponse(status = 409, description = JOB_RUNNING)
    @ProblemResponse(status = 400, description = BAD_SETTINGS)
    ResponseEntity<JobAccepted> reindex(@RequestBody(required = false) @Nullable IngestRequest settings) {
        return accepted(jobs.submit(JobService.Type.REINDEX, settings(settings)));
    }

    /** Checked before the job is queued, so a bad value is a 400 now rather than a failed job later. */
    private static IngestSettings settings(@Nullable IngestRequest body) {
        return (body == null ? IngestRequest.NONE : body).settings();
    }

    @GetMapping("/jobs")
    @Operation(summary = "Remembered jobs, newest first")
    List<JobView> list() {
        return jobs.list();
    }

    @GetMapping("/jobs/{id}")
    @Operation(summary = "A job's state, progress and report")
    @ProblemResponse(status = 404, description = JOB_NOT_FOUND)
    JobView job(@PathVariable String id) {
        return jobs.get(id).orElseThrow(() -> new JobNotFoundException(id));
    }

    @DeleteMapping("/jobs/{id}")
    @Operation(summary = "Cancel a job (a running one stops at its next safe point)")
    @ProblemResponse(status = 404, description = JOB_NOT_FOUND)
    JobView cancel(@PathVariable String id) {
        return jobs.cancel(id);
    }

    private static ResponseEntity<JobAccepted> accepted(JobView job) {
        return ResponseEntity.accepted()
                .location(URI.create("/api/v1/admin/jobs/" + job.jobId()))
                .body(new JobAccepted(job.jobId()));
    }
}
