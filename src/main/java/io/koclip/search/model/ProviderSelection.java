package io.koclip.search.model;

import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Which execution provider was asked for and which one runs the graphs.
 *
 * @param requested what the options asked for ({@code auto} stays {@code auto} here)
 * @param used the provider really in use: {@code cpu} or {@code cuda}, never {@code auto}
 * @param fallback why {@code auto} runs on the CPU and how to get CUDA (the text of the start-up
 *     warning); null when nothing fell back
 */
public record ProviderSelection(
        ExecutionProvider requested,
        ExecutionProvider used,
        @Nullable String fallback) {
    public ProviderSelection {
        Objects.requireNonNull(requested, "requested");
        Objects.requireNonNull(used, "used");
        if (used == ExecutionProvider.AUTO) {
            throw new IllegalArgumentException("used provider: AUTO is not a provider that runs graphs");
        }
    }

    /** Lower-case name of {@link #used()}, as health and benchmark output print it. */
    public String usedName() {
        return used.name().toLowerCase(Locale.ROOT);
    }

    /** Lower-case name of {@link #requested()}. */
    public String requestedName() {
        return requested.name().toLowerCase(Locale.ROOT);
    }
}
