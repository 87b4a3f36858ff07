/**
 * The server behind {@code serve}: the REST API of docs/api.md (controllers), RFC 9457 errors
 * ({@code ApiExceptionHandler}, {@code ProblemErrorController}, {@code ContainerErrors}), the admin
 * token filter, admin jobs ({@code JobService}: one write job at a time, reindex with an atomic
 * switch), the start-up ingest of the quick start, health indicators, configuration records
 * ({@code koclip.model|index|ingest|admin.*}) and the wiring of the capabilities
 * ({@code SearchConfiguration}, {@code IndexAdapters}). The web page is in
 * {@code src/main/resources/static}.
 *
 * <p>Everything here is package-private except {@link io.koclip.search.web.SearchApplication}.
 */
@NullMarked
package io.koclip.search.web;

import org.jspecify.annotations.NullMarked;
