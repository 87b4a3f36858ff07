package io.koclip.search.web;

import io.koclip.search.search.LiveIndex;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * The quick start: once the server is up, ingests the source folder in the background when the index
 * is empty ({@code koclip.ingest.on-start=if-empty}) or on every start ({@code always}). While an
 * empty index is being filled, searches answer 503 "index not ready" with Retry-After and health is
 * OUT_OF_SERVICE, so a client (or a script waiting on {@code /actuator/health}) never mistakes a
 * half-built index for the result.
 */
@Component
class StartupIngest implements ApplicationRunner {
    private static final Logger log = LoggerFactory.getLogger(StartupIngest.class);

    private final IngestProperties ingest;
    private final LiveIndex index;
    private final JobService jobs;

    StartupIngest(IngestProperties ingest, LiveIndex index, JobService jobs) {
        this.ingest = ingest;
        this.index = index;
        this.jobs = jobs;
    }

    @Override
    public void run(ApplicationArguments args) throws Exception {
        if (ingest.onStart() == IngestProperties.OnStart.NEVER || index.modelMismatch()) {
            return;
        }
        Path source = ingest.source().toAbsolutePath().normalize();
        long documents = index.read(i -> i.stats()).documents();
        if (ingest.onStart() == IngestProperties.OnStart.IF_EMPTY && documents > 0) {
            log.info("index {} holds {} images; no start-up ingest", index.describe(), documents);
            return;
        }
        if (!Files.isDirectory(source)) {
            log.warn(
                    "source folder {} does not exist; nothing to ingest (set --source or koclip.ingest.source)",
                    source);
            return;
        }
        if (documents == 0) {
            index.markNotReady("the first ingest of " + source + " is running; retry shortly");
        }
        JobView job = jobs.submit(JobService.Type.INGEST);
        log.info("start-up ingest of {} into {}: job {}", source, index.describe(), job.jobId());
    }
}
