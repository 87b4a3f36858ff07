package io.koclip.search.image;

import java.util.Iterator;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.spi.IIORegistry;
import javax.imageio.spi.ImageReaderSpi;
import org.jspecify.annotations.Nullable;

/**
 * Picks the ImageIO reader for a sniffed format: TwelveMonkeys' when installed (JPEG: CMYK/YCCK
 * and broken-marker tolerance; TIFF: more compressions; WebP: the only one), else the JDK's.
 *
 * <p>The TwelveMonkeys readers are registered explicitly from this class's class loader once, because
 * ImageIO's registry only scans the class loader of the thread that first touched ImageIO, which in
 * a Spring Boot jar or a test runner is not always the one that holds the plugins.
 *
 * <p>Thread-safe: registration happens once in the class initializer; readers are new per call.
 */
final class ImageReaders {
    static {
        IIORegistry registry = IIORegistry.getDefaultInstance();
        Iterator<ImageReaderSpi> spis = ServiceLoader.load(ImageReaderSpi.class, ImageReaders.class.getClassLoader())
                .iterator();
        while (true) {
            try {
                if (!spis.hasNext()) {
                    break;
                }
                registry.registerServiceProvider(spis.next(), ImageReaderSpi.class);
            } catch (ServiceConfigurationError broken) {
                // A plugin that cannot load must not take the decoder down: skip it, keep the rest.
            }
        }
    }

    private ImageReaders() {}

    /** A new reader for {@code format}, or null when none is installed. The caller disposes it. */
    static @Nullable ImageReader forFormat(ImageFormat format) {
        @Nullable ImageReader fallback = null;
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format.id());
        while (readers.hasNext()) {
            ImageReader reader = readers.next();
            if (reader.getClass().getName().startsWith("com.twelvemonkeys.")) {
                if (fallback != null) {
                    fallback.dispose();
                }
                return reader;
            }
            if (fallback == null) {
                fallback = reader;
            } else {
                reader.dispose();
            }
        }
        return fallback;
    }
}
