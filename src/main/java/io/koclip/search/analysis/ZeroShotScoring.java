package io.koclip.search.analysis;

import io.koclip.search.model.Embeddings;
import io.koclip.search.model.ModelBundle;
import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

/**
 * How zero-shot probabilities were computed, so that a client does not read a SigLIP model's
 * softmax as the model's own pair probability.
 *
 * @param function {@code softmax}: softmax(logitScale × cosine) over the request's labels, summing to
 *     1; {@code sigmoid}: sigmoid(logitScale × cosine + logitBias) per label, each on its own (only
 *     when the bundle carries SigLIP's learned bias)
 * @param logitScale the scale used
 * @param logitBias the bias used by {@code sigmoid}, absent for {@code softmax}
 * @param trainedWith the model's pair loss: {@code softmax} (CLIP) or {@code sigmoid} (SigLIP). A
 *     sigmoid-trained model scored with {@code softmax} keeps its ranking of the labels, but the
 *     values are relative to the labels given, not the model's calibrated probabilities
 */
@Schema(name = "ZeroShotScoring", description = "How the label probabilities were computed")
public record ZeroShotScoring(
        @Schema(
                description = "softmax over the labels (sums to 1) or sigmoid per label",
                allowableValues = {"softmax", "sigmoid"})
        String function,

        @Schema(description = "Scale applied to the cosine") float logitScale,

        @Schema(description = "Bias added before the sigmoid; absent for softmax") @Nullable
        Float logitBias,

        @Schema(
                description = "The model's training loss; softmax for a sigmoid-trained model means the"
                        + " order is the model's but the values are relative to the labels given",
                allowableValues = {"softmax", "sigmoid"})
        String trainedWith) {

    /** The scoring the engine applies to {@code bundle}'s labels. */
    static ZeroShotScoring of(ModelBundle bundle) {
        ModelBundle.ZeroShot zeroShot = bundle.zeroShot();
        String trained = zeroShot.loss() == ModelBundle.Loss.SIGMOID ? "sigmoid" : "softmax";
        return zeroShot.sigmoidScoring()
                ? new ZeroShotScoring("sigmoid", bundle.logitScale(), zeroShot.logitBias(), trained)
                : new ZeroShotScoring("softmax", bundle.logitScale(), null, trained);
    }

    /** The probability of each label for the cosines {@code scores}. */
    double[] probabilities(float[] scores) {
        if (function.equals("softmax")) {
            return Embeddings.softmax(scores, logitScale);
        }
        double[] p = new double[scores.length];
        for (int i = 0; i < scores.length; i++) {
            p[i] = 1.0 / (1.0 + Math.exp(-((double) logitScale * scores[i] + logitBias)));
        }
        return p;
    }
}
