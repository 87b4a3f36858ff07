package io.koclip.search.web;

import io.koclip.search.analysis.ClassifyResponse;
import io.koclip.search.analysis.ZeroShotClassifier;
import io.koclip.search.image.ImageRejectedException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.IOException;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/** Zero-shot labels. */
@RestController
@Tag(name = "classify", description = "Zero-shot labels of an image")
class ClassifyController {
    private final ZeroShotClassifier classifier;

    ClassifyController(ZeroShotClassifier classifier) {
        this.classifier = classifier;
    }

    @PostMapping(
            path = "/api/v1/classify",
            consumes = MediaType.MULTIPART_FORM_DATA_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            summary = "Probabilities of 2–100 labels for an image: softmax(logitScale × cosine)",
            description = "The response's scoring says how they were computed: softmax over the labels"
                    + " (CLIP), or sigmoid(logitScale × cosine + logitBias) per label for a SigLIP bundle"
                    + " that carries its learned bias; scoring.trainedWith = sigmoid with function = softmax"
                    + " means a SigLIP export without the bias: the order is the model's, the values are"
                    + " relative to the labels given.")
    @ProblemResponse(status = 503, description = OpenApiConfiguration.BUSY)
    ClassifyResponse classify(
            @RequestPart("image") MultipartFile image,
            @Parameter(description = "A label; repeat the parameter for each (2–100)")
                    @RequestParam(required = false)
                    @Nullable
                    List<String> labels,
            @Parameter(description = "Prompt template: absent for the bundle's, 'none', or one with {}")
                    @RequestParam(required = false)
                    @Nullable
                    String template)
            throws IOException, ImageRejectedException {
        return classifier.classify(image.getBytes(), labels == null ? List.of() : labels, template);
    }
}
