package io.koclip.search.model;

/**
 * Opens and closes a bundle's sessions in a loop, for {@link ShutdownDuringSessionCreationTest} to send
 * SIGTERM at random moments of session creation. Argument: a bundle spec ({@code demo} or a folder).
 * Prints {@code loading N} before each open.
 */
public final class SessionLoadLoopMain {
    private SessionLoadLoopMain() {}

    public static void main(String[] args) {
        String spec = args.length > 0 ? args[0] : "demo";
        ModelBundle bundle = BundleLoader.load(spec);
        for (int i = 0; ; i++) {
            System.out.println("loading " + i);
            System.out.flush();
            try (ClipModel model = ClipModel.open(bundle, new ModelOptions(ExecutionProvider.CPU, 1, false))) {
                model.bundle();
            } catch (BundleException e) {
                // refused because the JVM is shutting down
                System.out.println("refused: " + e.getMessage());
                return;
            }
        }
    }
}
