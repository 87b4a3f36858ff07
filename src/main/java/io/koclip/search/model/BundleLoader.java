package io.koclip.search.model;

import io.koclip.search.image.PreprocessSpec;
import io.koclip.search.model.hub.CheckpointExport;
import io.koclip.search.model.hub.HubException;
import io.koclip.search.model.hub.HubSettings;
import io.koclip.search.model.hub.ModelHub;
import io.koclip.search.model.hub.PulledModel;
import io.koclip.search.model.hub.RepoSpec;
import io.koclip.search.model.hub.TransferListener;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads and validates model bundles. Three layouts are understood:
 *
 * <ul>
 *   <li>{@code demo}: the small bundle embedded in the jar ({@code classpath:models/demo/});
 *   <li>a {@code koclip-bundle/1} folder with {@code model.json} (see docs/models.md);
 *   <li>an Immich-style CLIP folder ({@code config.json}, {@code visual/model.onnx},
 *       {@code visual/preprocess_cfg.json}, {@code textual/model.onnx}, {@code textual/tokenizer.json}),
 *       whose tensor names are taken from the graphs when the model is opened.
 * </ul>
 *
 * <p>This class checks everything that can be checked without running the graphs (files present,
 * format, field types and ranges); {@link ClipModel#open} checks the rest against the ONNX sessions.
 * Every error names the file and the field. Thread-safe: stateless.
 */
public final class BundleLoader {
    /** The name that selects the embedded demo bundle. */
    public static final String DEMO = "demo";

    private static final String DEMO_PREFIX = "models/demo/";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Files bigger than this are fingerprinted by size, head and tail instead of every byte. */
    private static final long FULL_HASH_LIMIT = 64L << 20;

    private static final int PARTIAL_HASH_WINDOW = 8 << 20;

    private BundleLoader() {}

    /** Loads {@code demo}, a folder path or a Hub model ({@code hf:org/name[@revision]}). */
    public static ModelBundle load(String spec) {
        return load(spec, TransferListener.NONE);
    }

    /**
     * Loads {@code demo}, a folder path or a Hub model. A Hub model comes from the local
     * {@code huggingface_hub} cache when its snapshot is complete and is downloaded otherwise
     * (settings from the environment: {@code HF_ENDPOINT}, {@code HF_HUB_CACHE}, {@code HF_TOKEN},
     * {@code HF_HUB_OFFLINE}), reporting the transfer to {@code listener}.
     */
    public static ModelBundle load(String spec, TransferListener listener) {
        if (spec == null || spec.isBlank() || spec.equals(DEMO)) {
            return loadKoclip(new BundleFiles.Classpath(DEMO_PREFIX), "classpath:" + DEMO_PREFIX);
        }
        if (RepoSpec.isHubSpec(spec)) {
            try (ModelHub hub = new ModelHub(HubSettings.fromEnvironment())) {
                PulledModel pulled = hub.locate(RepoSpec.parse(spec), listener);
                if (ModelHub.isCheckpoint(pulled.folder())) {
                    // a KoCLIP checkpoint: its exported bundle, exported now when missing
                    pulled = CheckpointExport.ensure(hub, pulled, listener, CheckpointExport.Tools.fromEnvironment());
                }
                return load(pulled);
            } catch (HubException | IllegalArgumentException | IllegalStateException e) {
                throw new BundleException("model " + spec + ": " + e.getMessage(), e);
            }
        }
        return load(Path.of(spec));
    }

    /**
     * Loads a model pulled from the Hub: named after its repo ({@code org/name}, for Immich exports;
     * a koclip bundle keeps the name in its model.json), located at {@code hf:org/name@commit}.
     */
    public static ModelBundle load(PulledModel pulled) {
        return load(pulled.folder(), pulled.location(), pulled.spec().repo());
    }

    /** Loads a bundle folder in either on-disk layout. */
    public static ModelBundle load(Path folder) {
        String folderName = folder.toString().replaceAll("[/\\\\]+$", "");
        String name = folderName.substring(Math.max(folderName.lastIndexOf('/'), folderName.lastIndexOf('\\')) + 1);
        return load(folder, folder.toString(), name);
    }

    private static ModelBundle load(Path folder, String location, String immichName) {
        if (!Files.isDirectory(folder)) {
            throw new BundleException("model bundle " + folder + ": not a folder (give a bundle folder or 'demo')");
        }
        BundleFiles files = new BundleFiles.Directory(folder.toAbsolutePath().normalize());
        if (files.exists("model.json")) {
            return loadKoclip(files, location);
        }
        if (files.exists("visual/model.onnx") || files.exists("textual/model.onnx")) {
            return loadImmich(files, location, immichName);
        }
        throw new BundleException("model bundle " + folder
                + ": no model.json (koclip-bundle/1) and no visual/model.onnx + textual/model.onnx (Immich layout)");
    }

    private static ModelBundle loadKoclip(BundleFiles files, String location) {
        Fields root = Fields.read(files, "model.json");
        String format = root.string("format");
        if (!ModelBundle.FORMAT.equals(format)) {
            throw root.error("format", "'" + format + "' is not supported; expected '" + ModelBundle.FORMAT + "'");
        }
        String name = root.string("name");
        int dim = root.positiveInt("embeddingDim");
        float logitScale = root.optionalFloat("logitScale", 100f);
        if (!(logitScale > 0) || !Float.isFinite(logitScale)) {
            throw root.error("logitScale", "must be finite and > 0, got " + logitScale);
        }
        ModelBundle.ZeroShot zeroShot = root.zeroShot();

        Fields image = root.object("image");
        PreprocessSpec preprocess = image.preprocess(
                image.positiveInt("size"),
                image.optionalString("resize", "shortest_edge"),
                image.optionalString("interpolation", "bicubic"),
                image.optionalString("crop", "center"),
                image.floats("mean"),
                image.floats("std"));
        ModelBundle.ImageSpec imageSpec = new ModelBundle.ImageSpec(
                image.file(files, "model"),
                image.string("input"),
                image.string("output"),
                preprocess,
                image.variants(files, "variants"));

        Fields text = root.object("text");
        ModelBundle.PositionIds positionIds = null;
        Fields positions = text.optionalObject("positionIds");
        if (positions != null) {
            positionIds = new ModelBundle.PositionIds(positions.string("name"), positions.optionalInt("offset", 0));
            if (positionIds.offset() < 0) {
                throw positions.error("offset", "must be >= 0, got " + positionIds.offset());
            }
        }
        String tokenizer = text.file(files, "tokenizer");
        Map<String, String> languageTokens = text.languageTokens(files, tokenizer);
        ModelBundle.TextSpec textSpec = new ModelBundle.TextSpec(
                text.file(files, "model"),
                tokenizer,
                text.string("inputIds"),
                text.optionalString("attentionMask", null),
                positionIds,
                text.string("output"),
                text.positiveInt("maxLength"),
                0,
                padId(files, tokenizer),
                text.templates("templates"),
                text.variants(files, "variants"),
                languageTokens);
        java.util.Set<String> variantFiles =
                new java.util.HashSet<>(imageSpec.variants().values());
        variantFiles.addAll(textSpec.variants().values());
        String fingerprint = fingerprint(files, variantFiles, manifestWithoutVariants(root));
        return new ModelBundle(name, location, dim, logitScale, zeroShot, imageSpec, textSpec, fingerprint, files);
    }

    private static ModelBundle loadImmich(BundleFiles files, String location, String name) {
        Fields config = Fields.read(files, "config.json");
        Fields preprocessCfg = Fields.read(files, "visual/preprocess_cfg.json");
        for (String required : List.of("visual/model.onnx", "textual/model.onnx", "textual/tokenizer.json")) {
            if (!files.exists(required)) {
                throw new BundleException("Immich CLIP bundle " + location + ": missing file " + required);
            }
        }
        int dim = config.positiveInt("embed_dim");
        JsonNode sizeNode = preprocessCfg.node.get("size");
        int size = sizeNode != null && sizeNode.isArray() ? sizeNode.get(0).asInt() : preprocessCfg.positiveInt("size");
        PreprocessSpec preprocess = preprocessCfg.preprocess(
                size,
                preprocessCfg.optionalString("resize_mode", "shortest"),
                preprocessCfg.optionalString("interpolation", "bicubic"),
                "center",
                preprocessCfg.floats("mean"),
                preprocessCfg.floats("std"));
        Fields textCfg = config.optionalObject("text_cfg");
        int contextLength = textCfg == null ? 77 : textCfg.optionalInt("context_length", 77);
        // Tensor names are conventions here; ClipModel replaces them with the graph's own names.
        ModelBundle.ImageSpec imageSpec =
                new ModelBundle.ImageSpec("visual/model.onnx", "image", "embedding", preprocess, Map.of());
        ModelBundle.TextSpec textSpec = new ModelBundle.TextSpec(
                "textual/model.onnx",
                "textual/tokenizer.json",
                "text",
                null,
                null,
                "embedding",
                contextLength,
                0,
                padId(files, "textual/tokenizer.json"),
                Map.of("ko", List.of("이것은 {}이다."), "en", List.of("a photo of {}.")),
                Map.of(),
                immichLanguageTokens(files, name, textCfg));
        return new ModelBundle(
                name,
                location,
                dim,
                100f,
                immichZeroShot(name, config),
                imageSpec,
                textSpec,
                fingerprint(files),
                files);
    }

    /** FLORES-200 codes of the languages the engine tells apart, for NLLB text towers. */
    static final Map<String, String> FLORES = Map.of("ko", "kor_Hang", "en", "eng_Latn");

    /**
     * Immich's rule for NLLB models (a model name starting with {@code nllb}, as
     * {@code immich_ml/models/clip/textual.py} decides), or open_clip's config naming an NLLB
     * tokenizer ({@code text_cfg.hf_tokenizer_name}); and the tokenizer must know the codes.
     */
    private static Map<String, String> immichLanguageTokens(BundleFiles files, String name, @Nullable Fields textCfg) {
        String shortName = name.substring(name.lastIndexOf('/') + 1).toLowerCase(java.util.Locale.ROOT);
        String tokenizerName = textCfg == null ? "" : textCfg.optionalString("hf_tokenizer_name", "");
        boolean nllb = shortName.startsWith("nllb")
                || tokenizerName.toLowerCase(java.util.Locale.ROOT).contains("nllb");
        if (!nllb) {
            return Map.of();
        }
        Set<String> known = tokens(files, "textual/tokenizer.json");
        if (!known.containsAll(FLORES.values())) {
            throw new BundleException(files.describe("textual/tokenizer.json") + ": the model is an NLLB CLIP ("
                    + name + ", tokenizer '" + tokenizerName + "') but its tokenizer lacks the language tokens "
                    + FLORES.values());
        }
        return FLORES;
    }

    /**
     * SigLIP-family exports (open_clip's {@code init_logit_bias} in config.json, or {@code siglip} in
     * the model or vision tower name) were trained with the sigmoid loss; the learned bias is not in
     * the export.
     */
    private static ModelBundle.ZeroShot immichZeroShot(String name, Fields config) {
        Fields vision = config.optionalObject("vision_cfg");
        String tower = vision == null ? "" : vision.optionalString("timm_model_name", "");
        boolean siglip = config.node.has("init_logit_bias")
                || (name + " " + tower).toLowerCase(java.util.Locale.ROOT).contains("siglip");
        return siglip ? new ModelBundle.ZeroShot(ModelBundle.Loss.SIGMOID, null) : ModelBundle.ZeroShot.SOFTMAX;
    }

    /** Every whole token a tokenizer.json knows: its added tokens and its model's vocabulary. */
    private static Set<String> tokens(BundleFiles files, String tokenizer) {
        Fields json = Fields.read(files, tokenizer);
        Set<String> known = new java.util.HashSet<>();
        for (JsonNode added : json.node.path("added_tokens")) {
            known.add(added.path("content").asString());
        }
        JsonNode vocab = json.node.path("model").path("vocab");
        if (vocab.isObject()) {
            known.addAll(vocab.propertyNames());
        }
        return known;
    }

    /** The padding token of a Hugging Face tokenizer: its padding config, else [PAD] or &lt;pad&gt;, else 0. */
    private static long padId(BundleFiles files, String tokenizer) {
        Fields json = Fields.read(files, tokenizer);
        JsonNode padding = json.node.get("padding");
        if (padding != null && padding.isObject() && padding.has("pad_id")) {
            return padding.get("pad_id").asLong();
        }
        JsonNode vocab = json.node.path("model").path("vocab");
        for (String token : List.of("[PAD]", "<pad>")) {
            if (vocab.isObject() && vocab.has(token)) {
                return vocab.get(token).asLong();
            }
        }
        return 0;
    }

    /**
     * SHA-256 over every file's name, size and content. Files over 64 MiB contribute their size and
     * their first and last 8 MiB, so that multi-gigabyte graphs do not slow every start-up.
     */
    static String fingerprint(BundleFiles files) {
        return fingerprint(files, java.util.Set.of(), null);
    }

    /**
     * The fingerprint that identifies which vectors a bundle produces. Precision variants (and the
     * {@code variants} entries of model.json) are left out, so adding an int8 variant keeps existing
     * indexes usable; documentation files ({@code *.md}) are left out too.
     *
     * @param variantFiles variant graph files; their external-data siblings are skipped as well
     * @param manifest model.json without its variants entries, or null to hash the file as it is
     */
    static String fingerprint(BundleFiles files, java.util.Set<String> variantFiles, byte @Nullable [] manifest) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            List<String> names = new ArrayList<>();
            if (files instanceof BundleFiles.Directory directory) {
                Path root = directory.root();
                try (var walk = Files.walk(root)) {
                    walk.filter(Files::isRegularFile)
                            .map(p -> root.relativize(p).toString().replace('\\', '/'))
                            .filter(n -> !n.startsWith("."))
                            .sorted()
                            .forEach(names::add);
                }
            } else {
                names.addAll(List.of("model.json", "image_encoder.onnx", "text_encoder.onnx", "tokenizer.json"));
            }
            for (String name : names) {
                if (!files.exists(name) || name.endsWith(".md") || isVariantFile(name, variantFiles)) {
                    continue;
                }
                if (manifest != null && name.equals("model.json")) {
                    digest.update(name.getBytes(StandardCharsets.UTF_8));
                    digest.update(manifest);
                    continue;
                }
                digest.update(name.getBytes(StandardCharsets.UTF_8));
                var path = files.path(name);
                long size = path.isPresent() ? Files.size(path.get()) : -1;
                if (path.isPresent() && size > FULL_HASH_LIMIT) {
                    digest.update(Long.toString(size).getBytes(StandardCharsets.US_ASCII));
                    hashHeadAndTail(path.get(), size, digest);
                } else {
                    // Read once: a classpath resource has no size without reading it.
                    byte[] content = files.read(name);
                    digest.update(Long.toString(content.length).getBytes(StandardCharsets.US_ASCII));
                    digest.update(content);
                }
            }
            return HexFormat.of().formatHex(digest.digest()).substring(0, 16);
        } catch (IOException e) {
            throw new BundleException("cannot read bundle files for the fingerprint: " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static boolean isVariantFile(String name, java.util.Set<String> variantFiles) {
        for (String variant : variantFiles) {
            String stem = variant.endsWith(".onnx") ? variant.substring(0, variant.length() - 5) : variant;
            if (name.equals(variant) || name.startsWith(stem + ".")) {
                return true;
            }
        }
        return false;
    }

    /** model.json without the towers' {@code variants} entries, for the fingerprint. */
    private static byte[] manifestWithoutVariants(Fields root) {
        JsonNode copy = root.node.deepCopy();
        for (String tower : List.of("image", "text")) {
            if (copy.get(tower) instanceof tools.jackson.databind.node.ObjectNode object) {
                object.remove("variants");
            }
        }
        return JSON.writeValueAsBytes(copy);
    }

    private static void hashHeadAndTail(Path file, long size, MessageDigest digest) throws IOException {
        try (var channel = java.nio.channels.FileChannel.open(file)) {
            var buffer = java.nio.ByteBuffer.allocate(PARTIAL_HASH_WINDOW);
            for (long start : new long[] {0, size - PARTIAL_HASH_WINDOW}) {
                buffer.clear();
                channel.position(start);
                while (buffer.hasRemaining() && channel.read(buffer) > 0) {}
                buffer.flip();
                digest.update(buffer);
            }
        }
    }

    /** Typed access to one JSON object of one bundle file, with errors that name file and field. */
    private record Fields(String file, String prefix, JsonNode node) {

        static Fields read(BundleFiles files, String relative) {
            if (!files.exists(relative)) {
                throw new BundleException(files.describe(relative) + ": file is missing");
            }
            try {
                JsonNode node = JSON.readTree(files.read(relative));
                if (!node.isObject()) {
                    throw new BundleException(files.describe(relative) + ": expected a JSON object");
                }
                return new Fields(files.describe(relative), "", node);
            } catch (IOException | JacksonException e) {
                throw new BundleException(files.describe(relative) + ": cannot read JSON: " + e.getMessage(), e);
            }
        }

        BundleException error(String field, String message) {
            return new BundleException(file + ": field '" + prefix + field + "' " + message);
        }

        private JsonNode require(String field) {
            JsonNode value = node.get(field);
            if (value == null || value.isNull()) {
                throw error(field, "is missing");
            }
            return value;
        }

        String string(String field) {
            JsonNode value = require(field);
            if (!value.isString() || value.asString().isBlank()) {
                throw error(field, "must be a non-empty string, got " + value);
            }
            return value.asString();
        }

        @Nullable
        String optionalString(String field, @Nullable String fallback) {
            JsonNode value = node.get(field);
            return value == null || value.isNull() ? fallback : string(field);
        }

        int positiveInt(String field) {
            JsonNode value = require(field);
            if (!value.isIntegralNumber() || value.asLong() < 1 || value.asLong() > Integer.MAX_VALUE) {
                throw error(field, "must be a positive integer, got " + value);
            }
            return value.asInt();
        }

        int optionalInt(String field, int fallback) {
            JsonNode value = node.get(field);
            if (value == null || value.isNull()) {
                return fallback;
            }
            if (!value.isIntegralNumber()) {
                throw error(field, "must be an integer, got " + value);
            }
            return value.asInt();
        }

        float optionalFloat(String field, float fallback) {
            JsonNode value = node.get(field);
            if (value == null || value.isNull()) {
                return fallback;
            }
            if (!value.isNumber()) {
                throw error(field, "must be a number, got " + value);
            }
            return (float) value.asDouble();
        }

        float[] floats(String field) {
            JsonNode value = require(field);
            if (!value.isArray()) {
                throw error(field, "must be an array of numbers, got " + value);
            }
            float[] result = new float[value.size()];
            for (int i = 0; i < result.length; i++) {
                if (!value.get(i).isNumber()) {
                    throw error(field, "must be an array of numbers, got " + value);
                }
                result[i] = (float) value.get(i).asDouble();
            }
            return result;
        }

        Fields object(String field) {
            JsonNode value = require(field);
            if (!value.isObject()) {
                throw error(field, "must be an object, got " + value);
            }
            return new Fields(file, prefix + field + ".", value);
        }

        @Nullable
        Fields optionalObject(String field) {
            JsonNode value = node.get(field);
            return value == null || value.isNull() ? null : object(field);
        }

        /** A file name field whose file must exist in the bundle. */
        String file(BundleFiles files, String field) {
            String relative = string(field);
            if (relative.contains("..") || relative.startsWith("/")) {
                throw error(field, "must be a path inside the bundle, got '" + relative + "'");
            }
            // A NUL (or another character the file system refuses) made Path.resolve throw
            // InvalidPathException out of the loader; found by BundleFuzzTest (nul-in-file-name.json).
            if (relative.indexOf('\0') >= 0) {
                throw error(field, "must be a file name, got one with a NUL character");
            }
            boolean exists;
            try {
                exists = files.exists(relative);
            } catch (java.nio.file.InvalidPathException e) {
                throw error(field, "must be a file name, got '" + relative + "' (" + e.getReason() + ")");
            }
            if (!exists) {
                throw error(field, "names " + files.describe(relative) + ", which is missing");
            }
            return relative;
        }

        /** {@code {"int8": "file.onnx", ...}}: alternative graphs, each of which must exist. */
        Map<String, String> variants(BundleFiles files, String field) {
            Fields variants = optionalObject(field);
            Map<String, String> result = new LinkedHashMap<>();
            if (variants != null) {
                for (var entry : variants.node.properties()) {
                    result.put(entry.getKey(), variants.file(files, entry.getKey()));
                }
            }
            return result;
        }

        /** {@code loss} ("softmax" or "sigmoid", default softmax) and the optional {@code logitBias}. */
        ModelBundle.ZeroShot zeroShot() {
            String loss = optionalString("loss", "softmax");
            ModelBundle.Loss parsed = switch (loss) {
                case "softmax" -> ModelBundle.Loss.SOFTMAX;
                case "sigmoid" -> ModelBundle.Loss.SIGMOID;
                default -> throw error("loss", "'" + loss + "' is not one of softmax, sigmoid");
            };
            JsonNode bias = node.get("logitBias");
            if (bias == null || bias.isNull()) {
                return new ModelBundle.ZeroShot(parsed, null);
            }
            float value = optionalFloat("logitBias", 0f);
            if (!Float.isFinite(value)) {
                throw error("logitBias", "must be finite, got " + value);
            }
            if (parsed != ModelBundle.Loss.SIGMOID) {
                throw error("logitBias", "is only meaningful with \"loss\": \"sigmoid\"");
            }
            return new ModelBundle.ZeroShot(parsed, value);
        }

        /** {@code {"ko": "kor_Hang", "en": "eng_Latn"}}: tokens the tokenizer must know as whole tokens. */
        Map<String, String> languageTokens(BundleFiles files, String tokenizer) {
            Fields tokens = optionalObject("languageTokens");
            if (tokens == null) {
                return Map.of();
            }
            Set<String> known = BundleLoader.tokens(files, tokenizer);
            Map<String, String> result = new LinkedHashMap<>();
            for (var entry : tokens.node.properties()) {
                String language = entry.getKey();
                if (!language.equals("ko") && !language.equals("en")) {
                    throw tokens.error(language, "is not a language the engine detects (ko, en)");
                }
                String token = tokens.string(language);
                if (!known.contains(token)) {
                    throw tokens.error(
                            language,
                            "names '" + token + "', which " + files.describe(tokenizer) + " does not have as a token");
                }
                result.put(language, token);
            }
            return result;
        }

        Map<String, List<String>> templates(String field) {
            JsonNode value = node.get(field);
            Map<String, List<String>> result = new LinkedHashMap<>();
            if (value == null || value.isNull()) {
                return result;
            }
            if (!value.isObject()) {
                throw error(field, "must be an object of language -> list of templates, got " + value);
            }
            for (var entry : value.properties()) {
                List<String> list = new ArrayList<>();
                for (JsonNode template : entry.getValue()) {
                    String t = template.asString();
                    if (!t.contains("{}")) {
                        throw error(field + "." + entry.getKey(), "template '" + t + "' has no {} placeholder");
                    }
                    list.add(t);
                }
                if (list.isEmpty()) {
                    throw error(field + "." + entry.getKey(), "must list at least one template");
                }
                result.put(entry.getKey(), List.copyOf(list));
            }
            return result;
        }

        PreprocessSpec preprocess(
                int size, String resize, String interpolation, String crop, float[] mean, float[] std) {
            if (!"center".equals(crop) && !"none".equals(crop)) {
                throw error("crop", "'" + crop + "' is not one of center, none");
            }
            if (mean.length != 3) {
                throw error("mean", "must have 3 values (R, G, B), got " + mean.length);
            }
            if (std.length != 3) {
                throw error("std", "must have 3 values (R, G, B), got " + std.length);
            }
            try {
                return new PreprocessSpec(
                        size,
                        PreprocessSpec.Resize.parse(resize),
                        PreprocessSpec.Interpolation.parse(interpolation),
                        "center".equals(crop),
                        mean,
                        std);
            } catch (IllegalArgumentException e) {
                throw new BundleException(file + ": " + prefix + e.getMessage());
            }
        }
    }
}
