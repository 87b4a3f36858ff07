package io.koclip.search.web;

import io.koclip.search.model.NativeShutdown;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.ConfigurableApplicationContext;

/** The Spring Boot application behind {@code serve}. */
@SpringBootApplication(scanBasePackages = "io.koclip.search")
@ConfigurationPropertiesScan("io.koclip.search")
public class SearchApplication {
    /**
     * Starts the server; returns once it is accepting requests. On SIGTERM/SIGINT the context is closed
     * before the JVM exits ({@link NativeShutdown}): HTTP drains gracefully (at most
     * {@code spring.lifecycle.timeout-per-shutdown-phase}, 30 s), a running admin job is cancelled and
     * commits (at most 60 s, {@code JobService.close}), the index commits and the model closes; only
     * then does the process exit (status 143).
     */
    public static ConfigurableApplicationContext start(String... args) {
        ConfigurableApplicationContext context = SpringApplication.run(SearchApplication.class, args);
        NativeShutdown.beforeExit(context::close);
        return context;
    }
}
