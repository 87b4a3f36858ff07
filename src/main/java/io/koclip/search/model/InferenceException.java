package io.koclip.search.model;

/** ONNX Runtime failed while running a graph that loaded fine (out of memory, a bad input shape). */
public final class InferenceException extends RuntimeException {
    public InferenceException(String message, Throwable cause) {
        super(message, cause);
    }
}
