package io.koclip.search.cli;

import io.koclip.search.image.DecodedImage;
import io.koclip.search.image.ImageDecoder;
import io.koclip.search.image.ImageRejectedException;
import io.koclip.search.model.BundleException;
import io.koclip.search.model.ClipModel;
import io.koclip.search.model.PromptTemplates;
import io.koclip.search.model.ProviderUnavailableException;
import io.koclip.search.options.DecodeMixin;
import io.koclip.search.options.ModelMixin;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code embed}: one JSON line per input, {@code {"kind","input","provider","vector"}} or
 * {@code {"kind","input","provider","error"}} ({@code provider}: the execution provider in use,
 * {@code cpu} or {@code cuda}); exit 2 when any input failed, 1 with one line on standard error when
 * the model or the requested provider cannot be used.
 */
@Command(
        name = "embed",
        mixinStandardHelpOptions = true,
        description = "Print the embedding of images and texts as JSON lines.")
final class EmbedCommand implements Callable<Integer> {
    @Mixin
    ModelMixin model;

    @Mixin
    DecodeMixin decode;

    @Option(names = "--image", paramLabel = "PATH", description = "An image file to embed (repeatable).")
    List<Path> images = new ArrayList<>();

    @Option(names = "--text", paramLabel = "STRING", description = "A text to embed (repeatable).")
    List<String> texts = new ArrayList<>();

    @Option(
            names = "--template",
            defaultValue = "none",
            paramLabel = "none|auto|TEMPLATE",
            description = "For texts: 'none' embeds the text as given (default), 'auto' uses the bundle's templates,"
                    + " anything else is a template with {}.")
    String template;

    @Option(
            names = "--max-pixels",
            defaultValue = "100000000",
            description = "Refuse images with more pixels (default: ${DEFAULT-VALUE}).")
    long maxPixels;

    @Override
    public Integer call() throws IOException {
        if (images.isEmpty() && texts.isEmpty()) {
            throw new picocli.CommandLine.ParameterException(
                    new picocli.CommandLine(this), "nothing to embed: give at least one --image or --text");
        }
        JsonMapper json = JsonMapper.builder().build();
        PrintWriter out = new PrintWriter(new java.io.OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
        boolean failed = false;
        ClipModel opened;
        try {
            opened = model.open();
        } catch (ProviderUnavailableException | BundleException e) {
            // A start-up problem the user fixes by reading one line, not a stack trace.
            System.err.println("embed: " + e.getMessage());
            return 1;
        }
        // The decoder after the model: a model that cannot start is the one line on stderr, before the
        // decoder's own start-up log (which native decoder it found).
        ImageDecoder decoder = new ImageDecoder(
                maxPixels,
                ImageDecoder.DEFAULT_BUDGET,
                decode.options(opened.bundle().image().preprocess().size()));
        try (ClipModel clip = opened) {
            String provider = clip.providerSelection().usedName();
            for (Path image : images) {
                Map<String, Object> line = line("image", image.toString(), provider);
                try {
                    DecodedImage decoded = decoder.decode(image);
                    line.put("vector", clip.images().encode(decoded.rgb()));
                } catch (ImageRejectedException e) {
                    line.put("error", e.getMessage());
                } catch (IOException e) {
                    line.put("error", "cannot read: " + e.getMessage());
                }
                failed |= line.containsKey("error");
                out.println(json.writeValueAsString(line));
            }
            for (String text : texts) {
                Map<String, Object> line = line("text", text, provider);
                try {
                    List<String> prompts = switch (template) {
                        case "none" -> List.of(text);
                        case "auto" -> clip.templates().prompts(text);
                        default -> PromptTemplates.custom(template, text);
                    };
                    if (text.isBlank()) {
                        throw new IllegalArgumentException("text is blank");
                    }
                    line.put("vector", clip.texts().encodePrompts(List.of(prompts))[0]);
                } catch (IllegalArgumentException e) {
                    line.put("error", e.getMessage());
                }
                failed |= line.containsKey("error");
                out.println(json.writeValueAsString(line));
            }
        }
        return failed ? 2 : 0;
    }

    private static Map<String, Object> line(String kind, String input, String provider) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("kind", kind);
        line.put("input", input);
        line.put("provider", provider);
        return line;
    }
}
