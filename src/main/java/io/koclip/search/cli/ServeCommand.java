package io.koclip.search.cli;

import io.koclip.search.options.DecodeMixin;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Unmatched;

/** {@code serve}: the REST API and the web page (the default command). */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Serve the REST API and the web page.")
final class ServeCommand implements Callable<Integer> {
    @ParentCommand
    RootCommand root;

    @Option(names = "--index", paramLabel = "DIR", description = "Index folder (default: index).")
    String index;

    @Option(names = "--backend", paramLabel = "lucene|solr", description = "Index engine (default: lucene).")
    String backend;

    @Option(
            names = "--solr",
            paramLabel = "URL[,URL]",
            description = "SolrCloud node base URLs; selects the SolrCloud backend (docs/solr.md).")
    String solr;

    @Option(names = "--collection", paramLabel = "NAME", description = "SolrCloud collection alias (default: koclip).")
    String collection;

    @Option(names = "--source", paramLabel = "DIR", description = "Image folder to ingest (default: ingest).")
    String source;

    @Option(names = "--model", paramLabel = "DIR|demo", description = "Model bundle (default: demo).")
    String model;

    @Option(
            names = "--variant",
            paramLabel = "NAME",
            description = "Precision variant listed in the bundle's model.json (e.g. int8); default: the main graphs.")
    String variant;

    @Option(
            names = "--provider",
            paramLabel = "cpu|cuda|auto",
            description = "ONNX Runtime execution provider (default: cpu).")
    String provider;

    @Option(names = "--port", paramLabel = "N", description = "HTTP port (default: 8080).")
    Integer port;

    @Mixin
    DecodeMixin decode;

    @Unmatched
    List<String> springArguments = new ArrayList<>();

    @Override
    public Integer call() {
        List<String> args = new ArrayList<>(springArguments);
        if (index != null) {
            args.add("--koclip.index.path=" + index);
        }
        if (backend != null || solr != null) {
            args.add("--koclip.index.backend=" + (backend != null ? backend : "solr"));
        }
        if (solr != null) {
            args.add("--koclip.index.solr.urls=" + solr);
        }
        if (collection != null) {
            args.add("--koclip.index.solr.collection=" + collection);
        }
        if (source != null) {
            args.add("--koclip.ingest.source=" + source);
        }
        if (model != null) {
            args.add("--koclip.model.bundle=" + model);
        }
        if (variant != null) {
            args.add("--koclip.model.variant=" + variant);
        }
        if (provider != null) {
            args.add("--koclip.model.provider=" + provider);
        }
        if (decode.decoder() != null) {
            args.add("--koclip.image.decoder=" + decode.decoder());
        }
        if (decode.mode() != null) {
            args.add("--koclip.image.decode-mode=" + decode.mode());
        }
        if (port != null) {
            args.add("--server.port=" + port);
        }
        try {
            io.koclip.search.web.SearchApplication.start(args.toArray(String[]::new));
        } catch (RuntimeException e) {
            if (causedByUnusableProvider(e)) {
                // Spring Boot has printed the reason and the fix (ProviderFailureAnalyzer); no trace on top.
                return 1;
            }
            throw e;
        }
        root.markKeepsRunning();
        return 0;
    }

    private static boolean causedByUnusableProvider(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof io.koclip.search.model.ProviderUnavailableException) {
                return true;
            }
        }
        return false;
    }
}
