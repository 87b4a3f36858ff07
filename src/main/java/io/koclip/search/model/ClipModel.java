package io.koclip.search.model;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A loaded dual encoder: the bundle, its image and text encoders, and the provider they run on.
 * {@link #open} checks the bundle against the graphs (tensor names, types, output width) and runs
 * one warm-up inference per tower, so a bad bundle fails at start-up with a message naming the file
 * and the field, not on the first query.
 *
 * <p>Thread-safe. Closing releases both sessions and the tokenizer; close it after every user.
 */
public final class ClipModel implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ClipModel.class);

    private final ModelBundle bundle;
    private final ProviderSelection provider;
    private final OrtSession imageSession;
    private final OrtSession textSession;
    private final ImageEncoder imageEncoder;
    private final TextEncoder textEncoder;
    private final PromptTemplates templates;

    private ClipModel(
            ModelBundle bundle,
            ProviderSelection provider,
            OrtSession imageSession,
            OrtSession textSession,
            ImageEncoder imageEncoder,
            TextEncoder textEncoder) {
        this.bundle = bundle;
        this.provider = provider;
        this.imageSession = imageSession;
        this.textSession = textSession;
        this.imageEncoder = imageEncoder;
        this.textEncoder = textEncoder;
        this.templates = new PromptTemplates(bundle.text().templates());
    }

    /** Loads {@code demo} or a bundle folder and opens it. */
    public static ClipModel open(String bundleSpec, ModelOptions options) {
        return open(BundleLoader.load(bundleSpec), options);
    }

    /**
     * Opens a loaded bundle: provider, sessions, tokenizer, validation, warm-up.
     *
     * @throws ProviderUnavailableException when {@code cuda} was requested and cannot run here
     * @throws BundleException when the bundle does not load
     */
    public static ClipModel open(ModelBundle bundle, ModelOptions options) {
        return open(bundle, options, ProviderProbe.system());
    }

    /** {@link #open(ModelBundle, ModelOptions)} with the given provider probe (tests stub it). */
    static ClipModel open(ModelBundle bundle, ModelOptions options, ProviderProbe probe) {
        // Sessions, validation and warm-up are native work that a SIGTERM's exit must wait for.
        return NativeShutdown.creating("model bundle " + bundle.location(), () -> openNow(bundle, options, probe));
    }

    private static ClipModel openNow(ModelBundle bundle, ModelOptions options, ProviderProbe probe) {
        long start = System.nanoTime();
        ProviderSelection selection = OnnxSessions.select(options.provider(), probe);
        if (selection.fallback() != null) {
            log.warn(selection.fallback());
        }
        ExecutionProvider provider = selection.used();
        OrtEnvironment env = OnnxSessions.environment();
        BundleFiles files = bundle.files();
        OrtSession imageSession = null;
        OrtSession textSession = null;
        HuggingFaceTokenizer tokenizer = null;
        try {
            String imageFile = graphFile(bundle, Tower.IMAGE, options);
            String textFile = graphFile(bundle, Tower.TEXT, options);
            imageSession = OnnxSessions.open(env, files, imageFile, provider, options);
            textSession = OnnxSessions.open(env, files, textFile, provider, options);
            ModelBundle.ImageSpec imageSpec = resolveImage(bundle, files, imageSession);
            ModelBundle.TextSpec textSpec = resolveText(bundle, files, textSession);
            tokenizer = tokenizer(files, textSpec);
            OnnxJavaType idType = OnnxSessions.type(textSession.getInputInfo(), textSpec.inputIds());
            ImageEncoder imageEncoder = new ImageEncoder(
                    env,
                    imageSession,
                    imageSpec,
                    bundle.embeddingDim(),
                    maxBatch(imageSession.getInputInfo(), imageSpec.input()));
            TextEncoder textEncoder = new TextEncoder(
                    env,
                    textSession,
                    tokenizer,
                    textSpec,
                    idType,
                    bundle.embeddingDim(),
                    maxBatch(textSession.getInputInfo(), textSpec.inputIds()));
            ModelBundle resolved = new ModelBundle(
                    bundle.name(),
                    bundle.location(),
                    bundle.embeddingDim(),
                    bundle.logitScale(),
                    bundle.zeroShot(),
                    imageSpec,
                    textSpec,
                    bundle.fingerprint(),
                    files);
            ClipModel model = new ClipModel(resolved, selection, imageSession, textSession, imageEncoder, textEncoder);
            model.warmUp();
            log.info(
                    "model {} ({}) loaded from {} on {} in {} ms",
                    bundle.name(),
                    bundle.fingerprint(),
                    bundle.location(),
                    provider,
                    (System.nanoTime() - start) / 1_000_000);
            return model;
        } catch (RuntimeException | OrtException e) {
            closeQuietly(tokenizer, textSession, imageSession);
            if (e instanceof BundleException be) {
                throw be;
            }
            if (e instanceof ProviderUnavailableException pue) {
                throw pue;
            }
            throw new BundleException("model bundle " + bundle.location() + ": " + e.getMessage(), e);
        }
    }

    /** A tower of the dual encoder. */
    public enum Tower {
        IMAGE,
        TEXT
    }

    /**
     * The graph file of {@code tower} for the precision variant in {@code options}: the bundle's main
     * graph when none is requested.
     *
     * @throws BundleException when the bundle does not list the requested variant
     */
    public static String graphFile(ModelBundle bundle, Tower tower, ModelOptions options) {
        String defaultFile =
                tower == Tower.IMAGE ? bundle.image().model() : bundle.text().model();
        Map<String, String> variants =
                tower == Tower.IMAGE ? bundle.image().variants() : bundle.text().variants();
        String name = tower == Tower.IMAGE ? "image" : "text";
        if (options.variant() == null
                || options.variant().isBlank()
                || options.variant().equals("default")) {
            return defaultFile;
        }
        String file = variants.get(options.variant());
        if (file == null) {
            throw new BundleException("model bundle " + bundle.location() + ": no '" + options.variant()
                    + "' variant for the " + name + " tower (field '" + name + ".variants' lists "
                    + variants.keySet() + ")");
        }
        return file;
    }

    /**
     * Opens one of the bundle's graphs as a bare session with exactly the options the encoders use
     * (provider, threads, spinning, optimization level): the baseline of the encoder benchmark.
     * The caller closes it.
     */
    public static OrtSession openBareSession(ModelBundle bundle, String file, ModelOptions options) {
        // The system probe answers once per process, so this repeats ClipModel.open's choice silently.
        ExecutionProvider provider =
                OnnxSessions.select(options.provider(), ProviderProbe.system()).used();
        return OnnxSessions.open(OnnxSessions.environment(), bundle.files(), file, provider, options);
    }

    private void warmUp() {
        int size = bundle.image().preprocess().size();
        float[] image = imageEncoder.encode(new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB));
        float[] text = textEncoder.encode("a");
        if (image.length != bundle.embeddingDim() || text.length != bundle.embeddingDim()) {
            throw new BundleException("model bundle " + bundle.location() + ": embeddingDim is "
                    + bundle.embeddingDim() + " but the graphs produce " + image.length + " (image) and "
                    + text.length + " (text)");
        }
    }

    private static ModelBundle.ImageSpec resolveImage(ModelBundle bundle, BundleFiles files, OrtSession session)
            throws OrtException {
        ModelBundle.ImageSpec spec = bundle.image();
        Map<String, NodeInfo> inputs = session.getInputInfo();
        Map<String, NodeInfo> outputs = session.getOutputInfo();
        String input = spec.input();
        String output = spec.output();
        if (isImmich(files) && !inputs.containsKey(input) && inputs.size() == 1) {
            input = inputs.keySet().iterator().next();
        }
        if (isImmich(files) && !outputs.containsKey(output)) {
            output = outputs.keySet().iterator().next();
        }
        String where = files.describe(isImmich(files) ? "visual/model.onnx" : "model.json");
        requireName(where, "image.input", input, inputs.keySet(), "inputs");
        requireName(where, "image.output", output, outputs.keySet(), "outputs");
        long[] inShape = OnnxSessions.shape(inputs, input);
        int size = spec.preprocess().size();
        if (inShape != null && inShape.length == 4) {
            for (int axis = 2; axis < 4; axis++) {
                if (inShape[axis] > 0 && inShape[axis] != size) {
                    throw new BundleException(where + ": field 'image.size' is " + size + " but graph input '" + input
                            + "' has shape " + Arrays.toString(inShape));
                }
            }
        }
        checkOutputWidth(where, "image.output", outputs, output, bundle.embeddingDim());
        return new ModelBundle.ImageSpec(spec.model(), input, output, spec.preprocess(), spec.variants());
    }

    private static ModelBundle.TextSpec resolveText(ModelBundle bundle, BundleFiles files, OrtSession session)
            throws OrtException {
        ModelBundle.TextSpec spec = bundle.text();
        Map<String, NodeInfo> inputs = session.getInputInfo();
        Map<String, NodeInfo> outputs = session.getOutputInfo();
        String inputIds = spec.inputIds();
        String attentionMask = spec.attentionMask();
        String output = spec.output();
        if (isImmich(files)) {
            // OpenCLIP exports take `text` [1, 77] int32; multilingual (M-CLIP, XLM-R) ones take ids + mask.
            if (inputs.containsKey("input_ids")) {
                inputIds = "input_ids";
                attentionMask = inputs.containsKey("attention_mask") ? "attention_mask" : null;
            } else if (!inputs.containsKey(inputIds)) {
                inputIds = inputs.keySet().iterator().next();
            }
            if (!outputs.containsKey(output)) {
                output = outputs.keySet().iterator().next();
            }
        }
        String where = files.describe(isImmich(files) ? "textual/model.onnx" : "model.json");
        requireName(where, "text.inputIds", inputIds, inputs.keySet(), "inputs");
        if (attentionMask != null) {
            requireName(where, "text.attentionMask", attentionMask, inputs.keySet(), "inputs");
        }
        if (spec.positionIds() != null) {
            requireName(where, "text.positionIds.name", spec.positionIds().name(), inputs.keySet(), "inputs");
        }
        requireName(where, "text.output", output, outputs.keySet(), "outputs");
        Set<String> fed = new TreeSet<>();
        fed.add(inputIds);
        if (attentionMask != null) {
            fed.add(attentionMask);
        }
        if (spec.positionIds() != null) {
            fed.add(spec.positionIds().name());
        }
        Set<String> unfed = new TreeSet<>(inputs.keySet());
        unfed.removeAll(fed);
        if (!unfed.isEmpty()) {
            throw new BundleException(where + ": the text graph also needs inputs " + unfed
                    + " that the bundle does not describe (text.attentionMask, text.positionIds)");
        }
        OnnxJavaType type = OnnxSessions.type(inputs, inputIds);
        if (type != OnnxJavaType.INT64 && type != OnnxJavaType.INT32) {
            throw new BundleException(
                    where + ": text input '" + inputIds + "' is " + type + ", expected int64 or int32");
        }
        long[] idShape = OnnxSessions.shape(inputs, inputIds);
        int fixedLength = idShape != null && idShape.length == 2 && idShape[1] > 0 ? (int) idShape[1] : 0;
        int maxLength = fixedLength > 0 ? Math.min(spec.maxLength(), fixedLength) : spec.maxLength();
        checkOutputWidth(where, "text.output", outputs, output, bundle.embeddingDim());
        return new ModelBundle.TextSpec(
                spec.model(),
                spec.tokenizer(),
                inputIds,
                attentionMask,
                spec.positionIds(),
                output,
                maxLength,
                fixedLength,
                spec.padId(),
                spec.templates(),
                spec.variants(),
                spec.languageTokens());
    }

    /** The batch the graph takes: its static batch axis (Immich exports fix it at 1), else unbounded. */
    private static int maxBatch(Map<String, NodeInfo> inputs, String input) {
        long[] shape = OnnxSessions.shape(inputs, input);
        return shape != null && shape.length >= 1 && shape[0] > 0 ? (int) shape[0] : Integer.MAX_VALUE;
    }

    private static boolean isImmich(BundleFiles files) {
        return !files.exists("model.json") && files.exists("visual/model.onnx");
    }

    private static void requireName(String where, String field, String name, Set<String> names, String kind) {
        if (!names.contains(name)) {
            throw new BundleException(where + ": field '" + field + "' names '" + name + "', but the graph's " + kind
                    + " are " + new TreeSet<>(names));
        }
    }

    private static void checkOutputWidth(
            String where, String field, Map<String, NodeInfo> outputs, String name, int embeddingDim) {
        long[] shape = OnnxSessions.shape(outputs, name);
        if (shape != null && shape.length >= 1) {
            long width = shape[shape.length - 1];
            if (width > 0 && width != embeddingDim) {
                throw new BundleException(where + ": field 'embeddingDim' is " + embeddingDim + " but graph output '"
                        + name + "' has width " + width + " (shape " + Arrays.toString(shape) + ")");
            }
        }
    }

    private static HuggingFaceTokenizer tokenizer(BundleFiles files, ModelBundle.TextSpec spec) {
        try {
            byte[] json = files.read(spec.tokenizer());
            Map<String, String> options = Map.of(
                    "addSpecialTokens", "true",
                    "truncation", "true",
                    "padding", "false",
                    "maxLength", Integer.toString(spec.maxLength()));
            return HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(json), options);
        } catch (IOException | RuntimeException e) {
            throw new BundleException(
                    files.describe(spec.tokenizer()) + ": not a usable Hugging Face tokenizer.json: " + e.getMessage(),
                    e);
        }
    }

    private static void closeQuietly(AutoCloseable... resources) {
        for (AutoCloseable r : resources) {
            if (r != null) {
                try {
                    r.close();
                } catch (Exception e) {
                    log.debug("close failed", e);
                }
            }
        }
    }

    public ModelBundle bundle() {
        return bundle;
    }

    /** The provider really in use (AUTO resolved). */
    public ExecutionProvider provider() {
        return provider.used();
    }

    /** The provider asked for, the one in use, and why {@code auto} fell back to the CPU, if it did. */
    public ProviderSelection providerSelection() {
        return provider;
    }

    public ImageEncoder images() {
        return imageEncoder;
    }

    public TextEncoder texts() {
        return textEncoder;
    }

    public PromptTemplates templates() {
        return templates;
    }

    @Override
    public void close() {
        NativeShutdown.closing(() -> closeQuietly(textEncoder, textSession, imageSession));
    }
}
