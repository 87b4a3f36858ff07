package io.koclip.search.web;

import io.koclip.search.search.SearchProperties;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/**
 * The configuration records a {@code @WebMvcTest} slice needs: slices do not run the application's
 * {@code @ConfigurationPropertiesScan}, and the admin filter (a servlet filter, so part of every
 * slice) reads {@link AdminProperties}, and the security-header and upload filters {@link HttpProperties}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@EnableConfigurationProperties({AdminProperties.class, SearchProperties.class, HttpProperties.class})
@interface WebSlice {}
