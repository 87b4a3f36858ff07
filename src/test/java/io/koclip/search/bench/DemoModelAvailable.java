package io.koclip.search.bench;

import io.koclip.search.model.ClipModel;
import io.koclip.search.model.ModelOptions;
import org.junit.jupiter.api.Assumptions;

/**
 * Skips encoder and ingest smoke tests until the embedded demo bundle (demo-model work) and the
 * image package are merged: opening the demo model needs both (its warm-up preprocesses an image).
 */
final class DemoModelAvailable {
    private static volatile String problem;
    private static volatile boolean checked;

    /** The bundle the smoke tests use: {@code -Dkoclip.bench.model=DIR} to try another one. */
    static final String MODEL = System.getProperty("koclip.bench.model", "demo");

    private DemoModelAvailable() {}

    static void assume() {
        if (!checked) {
            try (ClipModel clip = ClipModel.open(MODEL, ModelOptions.defaults())) {
                problem = null;
            } catch (RuntimeException e) {
                problem = e.getClass().getSimpleName() + ": " + e.getMessage();
            }
            checked = true;
        }
        Assumptions.assumeTrue(problem == null, () -> "the model " + MODEL + " cannot be opened yet (" + problem + ")");
    }
}
