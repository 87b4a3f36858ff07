package io.koclip.search.search;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.koclip.search.image.DecodedImage;
import io.koclip.search.image.ImageDecoder;
import io.koclip.search.image.ImageRejectedException;
import io.koclip.search.index.ImageDocument;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves indexed images by id only. The index stores each path relative to the source folder; this
 * class resolves it against the configured folder and refuses (as "not found") any path that
 * escapes it, through {@code ..} or a symbolic link. Thumbnails are JPEGs made with
 * {@link ImageDecoder} (EXIF orientation applied), kept in a Caffeine cache bounded by bytes and keyed
 * by content hash, so renamed or duplicated files share one entry.
 *
 * <p>Thread-safe.
 */
public final class ImageStore {
    private static final Logger log = LoggerFactory.getLogger(ImageStore.class);
    /** Ids are URL-safe ({@link io.koclip.search.index.DocumentIds}); anything else is not an id. */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_\\-.~]{1,512}");

    private static final Map<String, String> CONTENT_TYPES = Map.of(
            "jpeg", "image/jpeg",
            "jpg", "image/jpeg",
            "png", "image/png",
            "gif", "image/gif",
            "webp", "image/webp",
            "bmp", "image/bmp",
            "tiff", "image/tiff",
            "heic", "image/heic",
            "avif", "image/avif");

    /** Major brands of an HEVC-coded HEIF image (ISO/IEC 23008-12 Annex B): {@code image/heic}. */
    private static final java.util.Set<String> HEIC_BRANDS = java.util.Set.of("heic", "heix", "heim", "heis");

    private final Path root;
    private final LiveIndex index;
    private final ImageDecoder decoder;
    private final InferenceLimiter limiter;
    private final int thumbnailSize;
    private final Cache<String, byte[]> thumbnails;

    public ImageStore(
            Path sourceRoot,
            LiveIndex index,
            ImageDecoder decoder,
            InferenceLimiter limiter,
            SearchProperties.Thumbnails config,
            MeterRegistry registry) {
        this.root = sourceRoot.toAbsolutePath().normalize();
        this.index = index;
        this.decoder = decoder;
        this.limiter = limiter;
        this.thumbnailSize = config.size();
        this.thumbnails = Caffeine.newBuilder()
                .maximumWeight(config.cacheSize().toBytes())
                .weigher((String key, byte[] value) -> value.length)
                .recordStats()
                .build();
        CaffeineCacheMetrics.monitor(registry, thumbnails, "thumbnails");
    }

    /** The original file of an indexed image. */
    public StoredImage original(String id) {
        ImageDocument document = document(id);
        Path file = resolve(document);
        String type = contentType(document.format());
        if (document.format().equals("heic")) {
            type = heifType(file);
        }
        return new StoredImage(file, type, "\"" + document.contentHash() + "\"");
    }

    /** A JPEG thumbnail, at most {@code koclip.search.thumbnails.size} on its longest side. */
    public Thumbnail thumbnail(String id) {
        ImageDocument document = document(id);
        String etag = "\"" + document.contentHash() + "-t" + thumbnailSize + "\"";
        byte[] cached = thumbnails.getIfPresent(document.contentHash());
        if (cached != null) {
            return new Thumbnail(cached, etag);
        }
        Path file = resolve(document);
        byte[] jpeg = limiter.call(() -> {
            try {
                DecodedImage decoded = decoder.decode(Files.readAllBytes(file));
                return jpeg(scale(decoded.rgb(), thumbnailSize));
            } catch (ImageRejectedException | IOException e) {
                log.warn("thumbnail of {} ({}) failed: {}", id, file, e.getMessage());
                throw new DocumentNotFoundException(id);
            }
        });
        thumbnails.put(document.contentHash(), jpeg);
        return new Thumbnail(jpeg, etag);
    }

    private ImageDocument document(String id) {
        if (!ID.matcher(id).matches()) {
            throw new DocumentNotFoundException(id);
        }
        return index.search(i -> i.get(id)).orElseThrow(() -> new DocumentNotFoundException(id));
    }

    /** The file for a document, or not found when it is gone or lies outside the source folder. */
    Path resolve(ImageDocument document) {
        Path file = root.resolve(document.path()).normalize();
        if (!file.startsWith(root) || document.path().isEmpty()) {
            log.warn(
                    "refusing path '{}' of image {}: outside the source folder {}",
                    document.path(),
                    document.id(),
                    root);
            throw new DocumentNotFoundException(document.id());
        }
        try {
            Path real = file.toRealPath();
            if (!real.startsWith(root.toRealPath()) || !Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)) {
                log.warn("refusing path '{}' of image {}: it leads outside {}", document.path(), document.id(), root);
                throw new DocumentNotFoundException(document.id());
            }
            return real;
        } catch (IOException e) {
            throw new DocumentNotFoundException(document.id());
        }
    }

    static String contentType(String format) {
        return CONTENT_TYPES.getOrDefault(format.toLowerCase(Locale.ROOT), "application/octet-stream");
    }

    /**
     * {@code image/heic} for an HEVC-coded HEIF (major brand {@code heic}, {@code heix}, ...), {@code
     * image/heic-sequence} for {@code hevc}/{@code hevx}, else {@code image/heif} (a generic {@code
     * mif1}/{@code msf1} file): the media types of RFC-registered HEIF, from the {@code ftyp} box.
     */
    static String heifType(Path file) {
        byte[] head;
        try (java.io.InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(12);
        } catch (IOException e) {
            return "image/heif"; // the download itself will fail and say so
        }
        return heifType(head);
    }

    static String heifType(byte[] head) {
        if (head.length < 12) {
            return "image/heif";
        }
        String brand = new String(head, 8, 4, java.nio.charset.StandardCharsets.US_ASCII);
        if (HEIC_BRANDS.contains(brand)) {
            return "image/heic";
        }
        return brand.equals("hevc") || brand.equals("hevx") ? "image/heic-sequence" : "image/heif";
    }

    /** Scales down (never up) so the longest side is {@code side}, halving in steps to avoid aliasing. */
    static BufferedImage scale(BufferedImage image, int side) {
        BufferedImage current = image;
        int w = image.getWidth();
        int h = image.getHeight();
        double factor = Math.min(1.0, (double) side / Math.max(w, h));
        int targetW = Math.max(1, (int) Math.round(w * factor));
        int targetH = Math.max(1, (int) Math.round(h * factor));
        while (current.getWidth() != targetW || current.getHeight() != targetH) {
            int nextW = Math.max(targetW, current.getWidth() / 2);
            int nextH = Math.max(targetH, current.getHeight() / 2);
            BufferedImage next = new BufferedImage(nextW, nextH, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = next.createGraphics();
            try {
                g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
                g.drawImage(current, 0, 0, nextW, nextH, null);
            } finally {
                g.dispose();
            }
            current = next;
        }
        return current;
    }

    static byte[] jpeg(BufferedImage image) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(0.85f);
            writer.write(null, new IIOImage(image, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException("JPEG encoding failed: " + e.getMessage(), e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }
}
