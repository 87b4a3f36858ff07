package io.koclip.search.eval;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * XTD10 ({@code adobe-research/Cross-lingual-Test-Dataset-XTD10}): {@code test_image_names.txt}, one
 * image file name per line, and {@code test_1kcaptions_<lang>.txt}, one caption per line, line
 * {@code i} describing image {@code i}. Give either file: the names file reads every caption file
 * beside it; a caption file reads that language only, with the names file beside it.
 */
final class XtdCaptions {
    static final String NAMES = "test_image_names.txt";
    private static final Pattern CAPTIONS = Pattern.compile(".*captions_([A-Za-z-]{2,8})\\.txt");

    private XtdCaptions() {}

    static void read(Path file, CaptionSetBuilder set) throws IOException {
        Path folder = file.toAbsolutePath().getParent();
        List<Path> captionFiles = new ArrayList<>();
        Path names;
        if (CAPTIONS.matcher(file.getFileName().toString()).matches()) {
            captionFiles.add(file);
            names = folder.resolve(NAMES);
        } else {
            names = file;
            try (Stream<Path> siblings = Files.list(folder)) {
                siblings.filter(p ->
                                CAPTIONS.matcher(p.getFileName().toString()).matches())
                        .sorted()
                        .forEach(captionFiles::add);
            }
        }
        if (!Files.isRegularFile(names)) {
            throw new IllegalArgumentException(names + ": the XTD image-name file is missing (expected " + NAMES
                    + " beside " + file.getFileName() + ")");
        }
        if (captionFiles.isEmpty()) {
            throw new IllegalArgumentException(
                    folder + ": no XTD caption files (test_1kcaptions_<lang>.txt) beside " + names.getFileName());
        }
        List<String> imageNames = Files.readAllLines(names, StandardCharsets.UTF_8);
        int[] images = new int[imageNames.size()];
        for (int i = 0; i < imageNames.size(); i++) {
            String name = stripBom(imageNames.get(i)).strip();
            if (name.isEmpty()) {
                images[i] = -1;
                set.problem(names.getFileName() + ": line " + (i + 1), "empty image name");
            } else {
                images[i] = set.image(name, name);
            }
        }
        for (Path captionFile : captionFiles) {
            Matcher m = CAPTIONS.matcher(captionFile.getFileName().toString());
            String lang = m.matches() ? m.group(1) : null;
            List<String> lines = Files.readAllLines(captionFile, StandardCharsets.UTF_8);
            String source = captionFile.getFileName().toString();
            if (lines.size() != images.length) {
                set.note(
                        source,
                        lines.size() + " caption lines for " + images.length + " image names; only aligned lines"
                                + " are used");
            }
            for (int i = 0; i < Math.min(lines.size(), images.length); i++) {
                if (images[i] >= 0) {
                    set.caption(images[i], stripBom(lines.get(i)), lang, source + ": line " + (i + 1));
                }
            }
        }
    }

    private static String stripBom(String line) {
        return line.startsWith("\uFEFF") ? line.substring(1) : line;
    }
}
