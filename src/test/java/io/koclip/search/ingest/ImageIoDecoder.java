package io.koclip.search.ingest;

import io.koclip.search.image.DecodedImage;
import io.koclip.search.image.ImageRejectedException;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import javax.imageio.ImageIO;

/**
 * A plain ImageIO decoder for pipeline tests that do not exercise the image package. Estimates its
 * memory from the header like the real one: about 8 bytes per pixel (ImageIO's raster, then packed RGB).
 */
final class ImageIoDecoder implements Decoder {
    @Override
    public long decodeMemoryEstimate(byte[] bytes) {
        try (javax.imageio.stream.ImageInputStream in =
                ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            var readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                return bytes.length;
            }
            javax.imageio.ImageReader reader = readers.next();
            try {
                reader.setInput(in);
                return 8L * reader.getWidth(0) * reader.getHeight(0);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            return bytes.length;
        }
    }

    @Override
    public DecodedImage decode(byte[] bytes, Duration budget) throws ImageRejectedException {
        if (bytes.length == 0) {
            throw new ImageRejectedException(ImageRejectedException.Reason.EMPTY, "empty file");
        }
        String format = io.koclip.search.image.ImageFormat.sniff(bytes)
                .map(io.koclip.search.image.ImageFormat::id)
                .orElse(null);
        if (format == null) {
            throw new ImageRejectedException(ImageRejectedException.Reason.NOT_AN_IMAGE, "not an image");
        }
        BufferedImage read;
        try {
            read = ImageIO.read(new ByteArrayInputStream(bytes));
        } catch (IOException e) {
            throw new ImageRejectedException(ImageRejectedException.Reason.CORRUPT, "corrupt: " + e.getMessage());
        }
        if (read == null) {
            throw new ImageRejectedException(ImageRejectedException.Reason.UNSUPPORTED_FORMAT, "no reader");
        }
        BufferedImage rgb = new BufferedImage(read.getWidth(), read.getHeight(), BufferedImage.TYPE_INT_RGB);
        rgb.getGraphics().drawImage(read, 0, 0, null);
        return new DecodedImage(rgb, format, rgb.getWidth(), rgb.getHeight());
    }
}
