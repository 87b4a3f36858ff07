package io.koclip.search.model;

/**
 * The execution provider that was asked for explicitly ({@code cuda}) cannot run here. The message is
 * one line for the user: what is missing, the versions this ONNX Runtime needs, and the way out.
 */
public final class ProviderUnavailableException extends IllegalStateException {
    public ProviderUnavailableException(String message) {
        super(message);
    }
}
