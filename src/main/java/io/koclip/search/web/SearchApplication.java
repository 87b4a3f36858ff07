package io.koclip.search.web;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.ConfigurableApplicationContext;

/** The Spring Boot application behind {@code serve}. */
@SpringBootApplication(scanBasePackages = "io.koclip.search")
@ConfigurationPropertiesScan("io.koclip.search")
public class SearchApplication {
    /** Starts the server; returns once it is accepting requests. */
    public static ConfigurableApplicationContext start(String... args) {
        return SpringApplication.run(SearchApplication.class, args);
    }
}
