/**
 * Image decoding and model-input preprocessing, equal to the CLIP reference pipeline run with PIL.
 *
 * <p>Public contract:
 *
 * <ul>
 *   <li>{@link io.koclip.search.image.ImageDecoder}: bytes or a file to an upright 8-bit RGB
 *       {@link io.koclip.search.image.DecodedImage}, or an {@link
 *       io.koclip.search.image.ImageRejectedException} whose {@code Reason} says why (EMPTY,
 *       NOT_AN_IMAGE, UNSUPPORTED_FORMAT, CORRUPT, TOO_LARGE, TIMEOUT) and whose message is fit for
 *       a user; {@code probe} reads format and size from the header alone;
 *   <li>{@link io.koclip.search.image.DecodeOptions}: which decoder handles JPEG/HEIC/AVIF (libvips
 *       when installed, bound with the FFM API in {@code Vips}/{@code VipsDecoder}; else ImageIO)
 *       and whether JPEGs shrink on load ({@code exact} or {@code fast});
 *   <li>{@link io.koclip.search.image.ImageFormat}: recognition by magic bytes;
 *   <li>{@link io.koclip.search.image.ImagePreprocessor}: RGB to the {@code [3, size, size]}
 *       tensor of a {@link io.koclip.search.image.PreprocessSpec}.
 * </ul>
 *
 * <p>Fidelity: for JPEG (baseline, progressive, gray, CMYK, YCCK), PNG (8/16-bit, gray, gray+alpha,
 * palette, RGBA), GIF, BMP, TIFF and lossless WebP the tensors are bit-identical to PIL 9.4's
 * ({@code src/tools/preprocess/make_reference.py}, checked by {@code PreprocessFidelityTest});
 * lossy WebP differs by about 2 levels on average because TwelveMonkeys' VP8 decoder is not
 * libwebp. The libvips JPEG path is bit-identical too; HEIC/AVIF equal libheif's own decode; the
 * {@code fast} shrink equals PIL's {@code Image.draft}. Deliberate choices that follow PIL rather than Java: embedded ICC profiles are ignored,
 * alpha is dropped (not composited), 16-bit samples keep their high byte.
 *
 * <p>Everything else here is package-private. All public classes are thread-safe.
 */
@NullMarked
package io.koclip.search.image;

import org.jspecify.annotations.NullMarked;
