package io.koclip.search.text;

import com.adobe.internal.xmp.XMPConst;
import com.adobe.internal.xmp.XMPException;
import com.adobe.internal.xmp.XMPMeta;
import com.adobe.internal.xmp.XMPMetaFactory;
import com.adobe.internal.xmp.XMPPathFactory;
import com.adobe.internal.xmp.properties.XMPProperty;
import com.drew.imaging.FileType;
import com.drew.imaging.FileTypeDetector;
import com.drew.imaging.ImageMetadataReader;
import com.drew.imaging.jpeg.JpegMetadataReader;
import com.drew.lang.KeyValuePair;
import com.drew.metadata.Directory;
import com.drew.metadata.Metadata;
import com.drew.metadata.StringValue;
import com.drew.metadata.exif.ExifIFD0Directory;
import com.drew.metadata.exif.ExifReader;
import com.drew.metadata.exif.ExifSubIFDDirectory;
import com.drew.metadata.iptc.IptcDirectory;
import com.drew.metadata.iptc.IptcReader;
import com.drew.metadata.photoshop.PhotoshopReader;
import com.drew.metadata.png.PngDirectory;
import com.drew.metadata.xmp.XmpDirectory;
import com.drew.metadata.xmp.XmpReader;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.nio.ByteOrder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Text embedded in an image file, read with metadata-extractor. Decoding is done here from the raw
 * bytes rather than with metadata-extractor's descriptions, which read EXIF "ASCII" text in the JVM's
 * default charset and "UNICODE" UserComments always as UTF-16LE.
 *
 * <table>
 *   <caption>Fields read</caption>
 *   <tr><th>field</th><th>source</th><th>encoding</th></tr>
 *   <tr><td>EXIF ImageDescription (0x010E)</td><td>description</td><td>UTF-8 if valid, else CP949, else ISO-8859-1</td></tr>
 *   <tr><td>EXIF UserComment (0x9286)</td><td>description</td><td>8-byte header: {@code ASCII} as above; {@code UNICODE}
 *       UTF-16 with the byte order of a BOM, else the one that decodes to plausible text, else the TIFF header's;
 *       {@code JIS} Shift_JIS</td></tr>
 *   <tr><td>XPTitle (0x9C9B)</td><td>title</td><td>UTF-16LE, up to the first NUL</td></tr>
 *   <tr><td>XPComment (0x9C9C), XPSubject (0x9C9F)</td><td>description</td><td>UTF-16LE</td></tr>
 *   <tr><td>XPKeywords (0x9C9E)</td><td>keywords, split on {@code ;} and NUL</td><td>UTF-16LE</td></tr>
 *   <tr><td>IPTC 2:05 Object Name, 2:105 Headline</td><td>title</td><td>1:90 coded character set ({@code ESC % G} = UTF-8);
 *       without it as ImageDescription</td></tr>
 *   <tr><td>IPTC 2:120 Caption/Abstract</td><td>description</td><td>same</td></tr>
 *   <tr><td>IPTC 2:25 Keywords</td><td>keywords</td><td>same</td></tr>
 *   <tr><td>XMP dc:title, photoshop:Headline</td><td>title</td><td>XML; of language alternatives x-default and ko*, else the first</td></tr>
 *   <tr><td>XMP dc:description</td><td>description</td><td>same</td></tr>
 *   <tr><td>XMP dc:subject, lr:hierarchicalSubject (its leaf)</td><td>keywords</td><td>XML</td></tr>
 *   <tr><td>PNG tEXt/iTXt/zTXt Title; Description, Comment</td><td>title; description</td><td>as the chunk says</td></tr>
 * </table>
 *
 * Titles and descriptions that a camera writes by itself ({@link GeneratedNames#DESCRIPTIONS}) are
 * dropped. Thread-safe: stateless.
 */
final class EmbeddedText {
    static final String NS_LIGHTROOM = "http://ns.adobe.com/lightroom/1.0/";

    static {
        // XMPCore refuses to look up a property of an unregistered namespace ("Unregistered schema
        // namespace URI"), which every XMP without Lightroom's would otherwise warn about.
        try {
            XMPMetaFactory.getSchemaRegistry().registerNamespace(NS_LIGHTROOM, "lr");
        } catch (XMPException e) {
            throw new IllegalStateException("registering the Lightroom XMP namespace failed", e);
        }
    }

    private static final int MAX_METADATA_WARNINGS = 5;

    private EmbeddedText() {}

    /** Adds the text embedded in {@code bytes} to {@code out}; problems become {@code warnings}. */
    static void read(byte[] bytes, ImageText.Builder out, List<String> warnings) {
        Metadata metadata;
        try {
            FileType type = FileTypeDetector.detectFileType(new BufferedInputStream(new ByteArrayInputStream(bytes)));
            metadata = switch (type) {
                case Unknown -> null;
                // Only the segments that carry text: no ICC, Huffman tables, thumbnails' decoding.
                case Jpeg ->
                    JpegMetadataReader.readMetadata(
                            new ByteArrayInputStream(bytes),
                            List.of(new ExifReader(), new XmpReader(), new IptcReader(), new PhotoshopReader()));
                default -> ImageMetadataReader.readMetadata(new ByteArrayInputStream(bytes), bytes.length, type);
            };
        } catch (Exception | StackOverflowError e) {
            // Damaged metadata never costs the image its place in the index, only its embedded text.
            warnings.add("embedded metadata could not be read: " + describe(e));
            return;
        }
        if (metadata == null) {
            return;
        }
        Fields fields = new Fields(out, warnings);
        ByteOrder order = tiffByteOrder(bytes);
        for (Directory d : metadata.getDirectories()) {
            try {
                switch (d) {
                    case ExifIFD0Directory ifd0 -> fields.ifd0(ifd0);
                    case ExifSubIFDDirectory sub -> fields.userComment(sub, order);
                    case IptcDirectory iptc -> fields.iptc(iptc);
                    case XmpDirectory xmp -> fields.xmp(xmp.getXMPMeta(), "XMP");
                    case PngDirectory png -> fields.png(png);
                    default -> {}
                }
            } catch (Exception | StackOverflowError e) {
                warnings.add(d.getName() + ": text could not be read: " + describe(e));
            }
        }
        int reported = 0;
        for (Directory d : metadata.getDirectories()) {
            for (String error : d.getErrors()) {
                if (reported++ < MAX_METADATA_WARNINGS) {
                    warnings.add("damaged metadata (" + d.getName() + "): " + error);
                }
            }
        }
        if (reported > MAX_METADATA_WARNINGS) {
            warnings.add("damaged metadata: " + (reported - MAX_METADATA_WARNINGS) + " more errors not listed");
        }
    }

    /** Adds the text of an XMP packet (a sidecar) to {@code out}. */
    static void readXmp(byte[] packet, String name, ImageText.Builder out, List<String> warnings) {
        Metadata metadata = new Metadata();
        try {
            new XmpReader().extract(packet, metadata);
        } catch (Exception | StackOverflowError e) {
            warnings.add(name + ": not readable XMP: " + describe(e));
            return;
        }
        Fields fields = new Fields(out, warnings);
        for (XmpDirectory xmp : metadata.getDirectoriesOfType(XmpDirectory.class)) {
            for (String error : xmp.getErrors()) {
                warnings.add(name + ": not readable XMP: " + error);
            }
            try {
                fields.xmp(xmp.getXMPMeta(), name);
            } catch (Exception | StackOverflowError e) {
                warnings.add(name + ": not readable XMP: " + describe(e));
            }
        }
    }

    /** Field-by-field extraction into one builder. */
    private record Fields(ImageText.Builder out, List<String> warnings) {
        void ifd0(ExifIFD0Directory d) {
            byte[] description = d.getByteArray(ExifIFD0Directory.TAG_IMAGE_DESCRIPTION);
            if (description != null) {
                TextDecoding.Decoded decoded = TextDecoding.legacy(beforeNul(description));
                note("EXIF ImageDescription", decoded);
                phrase(TextSource.DESCRIPTION, decoded.text());
            }
            phrase(TextSource.TITLE, xp(d, ExifIFD0Directory.TAG_WIN_TITLE, true));
            phrase(TextSource.DESCRIPTION, xp(d, ExifIFD0Directory.TAG_WIN_COMMENT, true));
            phrase(TextSource.DESCRIPTION, xp(d, ExifIFD0Directory.TAG_WIN_SUBJECT, true));
            String keywords = xp(d, ExifIFD0Directory.TAG_WIN_KEYWORDS, false);
            if (keywords != null) {
                for (String k : keywords.split("[;\\u0000]+")) {
                    out.add(TextSource.KEYWORDS, k);
                }
            }
        }

        void userComment(ExifSubIFDDirectory d, @Nullable ByteOrder order) {
            byte[] raw = d.getByteArray(ExifSubIFDDirectory.TAG_USER_COMMENT);
            if (raw != null) {
                TextDecoding.Decoded decoded = UserComment.decode(raw, order);
                note("EXIF UserComment", decoded);
                phrase(TextSource.DESCRIPTION, decoded.text());
            }
        }

        void iptc(IptcDirectory d) {
            String declared = d.getString(IptcDirectory.TAG_CODED_CHARACTER_SET);
            Charset charset = null;
            if (declared != null) {
                try {
                    charset = Charset.forName(declared);
                } catch (IllegalArgumentException e) {
                    warnings.add("IPTC: unknown coded character set '" + declared + "'; text read as undeclared");
                }
            }
            iptcValues(d, IptcDirectory.TAG_OBJECT_NAME, "Object Name", charset, TextSource.TITLE);
            iptcValues(d, IptcDirectory.TAG_HEADLINE, "Headline", charset, TextSource.TITLE);
            iptcValues(d, IptcDirectory.TAG_CAPTION, "Caption/Abstract", charset, TextSource.DESCRIPTION);
            iptcValues(d, IptcDirectory.TAG_KEYWORDS, "Keywords", charset, TextSource.KEYWORDS);
        }

        private void iptcValues(IptcDirectory d, int tag, String name, @Nullable Charset charset, TextSource source) {
            StringValue[] values = d.getStringValueArray(tag);
            if (values == null) {
                return;
            }
            for (StringValue v : values) {
                byte[] bytes = v.getBytes();
                String text = charset == null ? null : TextDecoding.strict(bytes, 0, bytes.length, charset);
                TextDecoding.Decoded decoded;
                if (text != null) {
                    decoded = new TextDecoding.Decoded(text, null);
                } else {
                    decoded = TextDecoding.legacy(bytes);
                    if (charset != null && decoded.note() == null) {
                        decoded = new TextDecoding.Decoded(
                                decoded.text(), "not valid " + charset.name() + " as declared; read as UTF-8");
                    } else if (charset != null) {
                        decoded = new TextDecoding.Decoded(
                                decoded.text(), "not valid " + charset.name() + " as declared; " + decoded.note());
                    }
                }
                note("IPTC " + name, decoded);
                if (source == TextSource.KEYWORDS) {
                    out.add(source, decoded.text());
                } else {
                    phrase(source, decoded.text());
                }
            }
        }

        void xmp(@Nullable XMPMeta meta, String where) {
            if (meta == null) {
                return;
            }
            try {
                for (String v : alternatives(meta, XMPConst.NS_DC, "title")) {
                    phrase(TextSource.TITLE, v);
                }
                XMPProperty headline = meta.getProperty(XMPConst.NS_PHOTOSHOP, "Headline");
                if (headline != null) {
                    phrase(TextSource.TITLE, headline.getValue());
                }
                for (String v : alternatives(meta, XMPConst.NS_DC, "description")) {
                    phrase(TextSource.DESCRIPTION, v);
                }
                for (String v : items(meta, XMPConst.NS_DC, "subject")) {
                    out.add(TextSource.KEYWORDS, v);
                }
                // Lightroom's "Places|Seoul|Gyeongbokgung": the leaf; the parents are categories
                // (and Lightroom writes them into dc:subject already when they are meant as keywords).
                for (String v : items(meta, NS_LIGHTROOM, "hierarchicalSubject")) {
                    String[] levels = v.split("\\|");
                    out.add(TextSource.KEYWORDS, levels[levels.length - 1]);
                }
            } catch (XMPException e) {
                warnings.add(where + ": " + describe(e));
            }
        }

        void png(PngDirectory d) {
            if (!(d.getObject(PngDirectory.TAG_TEXTUAL_DATA) instanceof List<?> pairs)) {
                return;
            }
            for (Object o : pairs) {
                if (o instanceof KeyValuePair pair && pair.getValue() != null) {
                    String key = pair.getKey().toLowerCase(Locale.ROOT);
                    StringValue value = pair.getValue();
                    // tEXt is Latin-1 by the spec, iTXt UTF-8; metadata-extractor records which.
                    String text = value.getCharset() != null
                            ? value.toString()
                            : new String(value.getBytes(), StandardCharsets.UTF_8);
                    switch (key) {
                        case "title" -> phrase(TextSource.TITLE, text);
                        case "description", "comment" -> phrase(TextSource.DESCRIPTION, text);
                        default -> {}
                    }
                }
            }
        }

        /** A title or description: dropped when it is camera boilerplate. */
        private void phrase(TextSource source, @Nullable String text) {
            if (text == null) {
                return;
            }
            String clean = TextDecoding.clean(text, true);
            if (!GeneratedNames.isBoilerplateDescription(clean)) {
                out.add(source, clean);
            }
        }

        private void note(String field, TextDecoding.Decoded decoded) {
            if (decoded.note() != null) {
                warnings.add(field + ": " + decoded.note());
            }
        }

        /** A Windows XP field: UTF-16LE by Microsoft's definition, NUL-terminated (and often NUL-padded). */
        private static @Nullable String xp(ExifIFD0Directory d, int tag, boolean toFirstNul) {
            byte[] bytes = d.getByteArray(tag);
            if (bytes == null) {
                return null;
            }
            String text = new String(bytes, 0, bytes.length & ~1, StandardCharsets.UTF_16LE);
            int nul = text.indexOf('\u0000');
            return toFirstNul && nul >= 0 ? text.substring(0, nul) : text;
        }
    }

    /** Of an alt-text array, the x-default and Korean items, or the first when there are neither. */
    static List<String> alternatives(XMPMeta meta, String ns, String name) throws XMPException {
        XMPProperty property = meta.getProperty(ns, name);
        if (property == null) {
            return List.of();
        }
        if (!property.getOptions().isArray()) {
            return property.getValue() == null ? List.of() : List.of(property.getValue());
        }
        List<String> chosen = new ArrayList<>();
        String first = null;
        int count = meta.countArrayItems(ns, name);
        for (int i = 1; i <= count; i++) { // XMP arrays are 1-based
            XMPProperty item = meta.getArrayItem(ns, name, i);
            if (item == null || item.getValue() == null) {
                continue;
            }
            if (first == null) {
                first = item.getValue();
            }
            // The item's own getLanguage() is null in xmpcore; the xml:lang qualifier has it.
            XMPProperty qualifier =
                    meta.getQualifier(ns, XMPPathFactory.composeArrayItemPath(name, i), XMPConst.NS_XML, "lang");
            String lang = qualifier == null || qualifier.getValue() == null
                    ? ""
                    : qualifier.getValue().toLowerCase(Locale.ROOT);
            if (lang.equals(XMPConst.X_DEFAULT) || lang.equals("ko") || lang.startsWith("ko-")) {
                chosen.add(item.getValue());
            }
        }
        if (chosen.isEmpty() && first != null) {
            chosen.add(first);
        }
        return chosen;
    }

    /** The items of a bag or sequence (or the single value of a simple property). */
    static List<String> items(XMPMeta meta, String ns, String name) throws XMPException {
        XMPProperty property = meta.getProperty(ns, name);
        if (property == null) {
            return List.of();
        }
        if (!property.getOptions().isArray()) {
            return property.getValue() == null ? List.of() : List.of(property.getValue());
        }
        List<String> values = new ArrayList<>();
        int count = meta.countArrayItems(ns, name);
        for (int i = 1; i <= count; i++) {
            XMPProperty item = meta.getArrayItem(ns, name, i);
            if (item != null && item.getValue() != null) {
                values.add(item.getValue());
            }
        }
        return values;
    }

    /**
     * The byte order of the file's TIFF header (a TIFF file, or a JPEG's APP1 Exif segment), or null
     * for other containers.
     */
    static @Nullable ByteOrder tiffByteOrder(byte[] b) {
        if (b.length >= 4 && b[0] == 'I' && b[1] == 'I') {
            return ByteOrder.LITTLE_ENDIAN;
        }
        if (b.length >= 4 && b[0] == 'M' && b[1] == 'M') {
            return ByteOrder.BIG_ENDIAN;
        }
        if (b.length < 4 || (b[0] & 0xFF) != 0xFF || (b[1] & 0xFF) != 0xD8) {
            return null;
        }
        int i = 2;
        while (i + 4 <= b.length && (b[i] & 0xFF) == 0xFF) {
            int marker = b[i + 1] & 0xFF;
            if (marker == 0xDA || marker == 0xD9) {
                break; // start of scan or end of image: no Exif before the pixels
            }
            int length = ((b[i + 2] & 0xFF) << 8) | (b[i + 3] & 0xFF);
            // APP1 "Exif\0\0" then the TIFF header's "II" or "MM".
            if (marker == 0xE1
                    && i + 12 <= b.length
                    && b[i + 4] == 'E'
                    && b[i + 5] == 'x'
                    && b[i + 6] == 'i'
                    && b[i + 7] == 'f'
                    && b[i + 8] == 0
                    && b[i + 9] == 0) {
                if (b[i + 10] == 'I' && b[i + 11] == 'I') {
                    return ByteOrder.LITTLE_ENDIAN;
                }
                if (b[i + 10] == 'M' && b[i + 11] == 'M') {
                    return ByteOrder.BIG_ENDIAN;
                }
                return null;
            }
            if (length < 2) {
                break;
            }
            i += 2 + length;
        }
        return null;
    }

    private static byte[] beforeNul(byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                return java.util.Arrays.copyOf(bytes, i);
            }
        }
        return bytes;
    }

    static String describe(Throwable e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
