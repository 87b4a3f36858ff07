package io.koclip.search.eval;

import java.nio.file.Path;

/**
 * One image of a caption set.
 *
 * @param key the image's identity in the caption file (a COCO id, a file name), for messages
 * @param file where the image is, resolved against the images folder
 */
public record EvalImage(String key, Path file) {}
