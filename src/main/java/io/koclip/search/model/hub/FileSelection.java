package io.koclip.search.model.hub;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Which files of a repo a model needs, so that a pull skips what the loader never reads.
 *
 * <ul>
 *   <li>Immich CLIP export ({@code visual/model.onnx}, {@code textual/model.onnx}): {@code config.json}
 *       and the files directly inside {@code visual/} and {@code textual/} (graphs, their external
 *       data, preprocess config, tokenizer files). Sub-folders ({@code visual/fp16/}, ...), top-level
 *       accelerator folders ({@code rknpu/}, ...) and {@code .armnn}/{@code .rknn} files are skipped;
 *   <li>{@code koclip-bundle/1} ({@code model.json}): model.json, every file it names (graphs,
 *       tokenizer, precision variants) and the external-data files beside those graphs
 *       ({@code image_encoder.onnx.data}, {@code image_encoder.onnx_data}, ...).
 * </ul>
 *
 * <p>Stateless.
 */
final class FileSelection {
    static final String MANIFEST = "model.json";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final List<String> SKIPPED_SUFFIXES = List.of(".armnn", ".rknn", ".md", ".gitattributes");

    private FileSelection() {}

    enum Layout {
        KOCLIP,
        IMMICH,
        /** A KoCLIP checkpoint (PyTorch or Flax) that the export tool turns into a koclip bundle. */
        CHECKPOINT
    }

    /** Weight files of a checkpoint, in order of preference (one layout is taken, with its shards). */
    static final List<String> WEIGHTS = List.of(
            "model.safetensors.index.json",
            "model.safetensors",
            "pytorch_model.bin.index.json",
            "pytorch_model.bin",
            "flax_model.msgpack");

    /** Tokenizer files the export tool reads (klue/roberta-large's WordPiece). */
    static final List<String> TOKENIZER =
            List.of("tokenizer.json", "vocab.txt", "tokenizer_config.json", "special_tokens_map.json");

    static Layout layout(RepoSpec spec, Set<String> files) {
        if (files.contains(MANIFEST)) {
            return Layout.KOCLIP;
        }
        if (files.contains("visual/model.onnx") || files.contains("textual/model.onnx")) {
            return Layout.IMMICH;
        }
        if (files.contains("config.json") && WEIGHTS.stream().anyMatch(files::contains)) {
            return Layout.CHECKPOINT;
        }
        throw new HubException(
                HubException.Reason.NOT_A_MODEL,
                spec + " is neither a koclip-bundle/1 (model.json), an Immich CLIP export (visual/model.onnx,"
                        + " textual/model.onnx) nor a KoCLIP checkpoint (config.json with model.safetensors,"
                        + " pytorch_model.bin or flax_model.msgpack); its files: " + abbreviated(files));
    }

    /**
     * A checkpoint's config.json, one weight layout (safetensors, then PyTorch, then Flax; with the
     * shards an index names, matched as {@code model-00001-of-00002.safetensors}) and its tokenizer
     * files; config.json last.
     */
    static List<String> checkpoint(Set<String> files) {
        List<String> selected = new ArrayList<>();
        for (String weights : WEIGHTS) {
            if (files.contains(weights)) {
                selected.add(weights);
                if (weights.endsWith(".index.json")) {
                    String stem = weights.startsWith("model.") ? "model-" : "pytorch_model-";
                    String suffix = weights.startsWith("model.") ? ".safetensors" : ".bin";
                    files.stream()
                            .filter(f -> f.startsWith(stem) && f.endsWith(suffix) && !f.contains("/"))
                            .sorted()
                            .forEach(selected::add);
                }
                break;
            }
        }
        tokenizer(files).forEach(selected::add);
        selected.add("config.json");
        return List.copyOf(selected);
    }

    /** The tokenizer files among {@code files}. */
    static List<String> tokenizer(Set<String> files) {
        return TOKENIZER.stream().filter(files::contains).toList();
    }

    /** True when a checkpoint brings its own tokenizer (KoCLIP's Flax repos do not). */
    static boolean hasTokenizer(java.util.Collection<String> files) {
        return files.contains("tokenizer.json") || files.contains("vocab.txt");
    }

    static List<String> immich(Set<String> files) {
        List<String> selected = new ArrayList<>();
        for (String file : files) {
            String lower = file.toLowerCase(Locale.ROOT);
            boolean tower = (file.startsWith("visual/") || file.startsWith("textual/"))
                    && file.indexOf('/') == file.lastIndexOf('/');
            if ((file.equals("config.json") || tower)
                    && SKIPPED_SUFFIXES.stream().noneMatch(lower::endsWith)) {
                selected.add(file);
            }
        }
        return selected.stream().sorted().toList();
    }

    /** The files model.json names, plus external data beside its graphs; model.json itself first. */
    static List<String> koclip(RepoSpec spec, byte[] manifest, Set<String> files) {
        JsonNode root;
        try {
            root = JSON.readTree(manifest);
        } catch (JacksonException e) {
            throw new HubException(
                    HubException.Reason.NOT_A_MODEL, spec + ": model.json is not JSON: " + e.getOriginalMessage());
        }
        Set<String> named = new LinkedHashSet<>();
        for (String tower : List.of("image", "text")) {
            JsonNode node = root.path(tower);
            for (String field : List.of("model", "tokenizer")) {
                if (node.path(field).isString()) {
                    named.add(node.path(field).asString());
                }
            }
            for (JsonNode variant : node.path("variants")) {
                if (variant.isString()) {
                    named.add(variant.asString());
                }
            }
        }
        Set<String> selected = new LinkedHashSet<>();
        selected.add(MANIFEST);
        for (String file : named) {
            if (!files.contains(file)) {
                throw new HubException(
                        HubException.Reason.FILE_NOT_FOUND,
                        spec + ": model.json names '" + file + "', which the repo does not have");
            }
            selected.add(file);
            if (file.endsWith(".onnx")) {
                files.stream()
                        .filter(f -> f.startsWith(file) && !f.equals(file))
                        .sorted()
                        .forEach(selected::add);
            }
        }
        return List.copyOf(selected);
    }

    private static String abbreviated(Set<String> files) {
        List<String> sorted = files.stream().sorted().toList();
        return sorted.size() <= 12
                ? String.join(", ", sorted)
                : String.join(", ", sorted.subList(0, 12)) + ", ... (" + sorted.size() + " files)";
    }
}
