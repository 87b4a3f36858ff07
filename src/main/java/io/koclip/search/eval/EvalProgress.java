package io.koclip.search.eval;

/**
 * Progress of the encoding stages (images, captions), for a bar or log lines.
 *
 * <p>Called from the thread running the evaluation.
 */
public interface EvalProgress {
    /** No progress shown. */
    EvalProgress NONE = new EvalProgress() {
        @Override
        public void start(String task, long total) {}

        @Override
        public void advance(long done) {}

        @Override
        public void finish() {}
    };

    /** A stage begins: {@code task} names it ({@code images demo/default}), {@code total} items. */
    void start(String task, long total);

    /** {@code done} items of the current stage are finished (cumulative). */
    void advance(long done);

    /** The current stage ended. */
    void finish();
}
