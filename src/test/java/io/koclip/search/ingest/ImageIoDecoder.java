package io.koclip.search.ingest;

import io.koclip.search.image.DecodedImage;
import io.koclip.search.image.ImageRejectedException;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import javax.imageio.ImageIO;

/** A plain ImageIO decoder for pipeline tests that do not exercise the image package. */
final class ImageIoDecoder implements Decoder {
    @Override
    public DecodedImage decode(byte[] bytes, Duration budget) throws ImageRejectedException {
        if (bytes.length == 0) {
            throw new ImageRejectedException(ImageRejectedException.Reason.EMPTY, "empty file");
        }
        String format = ImageSignatures.sniff(java.util.Arrays.copyOf(bytes, Math.min(bytes.length, 32)));
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
