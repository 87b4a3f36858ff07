package io.koclip.search.web;

import io.koclip.search.model.ProviderUnavailableException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a server start that stopped on an unusable {@code koclip.model.provider=cuda} into Spring
 * Boot's short "APPLICATION FAILED TO START" report: the one-line reason and what to do, instead of
 * a bean-creation stack trace. Registered in {@code META-INF/spring.factories}.
 */
final class ProviderFailureAnalyzer extends AbstractFailureAnalyzer<ProviderUnavailableException> {
    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, ProviderUnavailableException cause) {
        return new FailureAnalysis(
                cause.getMessage(),
                "Install what the message names (docs/operations.md, section GPU), or set koclip.model.provider"
                        + " (serve --provider) to auto, which falls back to the CPU with a warning, or to cpu.",
                cause);
    }
}
