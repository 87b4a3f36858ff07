package io.koclip.search.index.solr;

import io.koclip.search.index.ImageDocument;
import io.koclip.search.index.IndexedFile;
import io.koclip.search.index.SearchFilter;
import io.koclip.search.text.TextSource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.solr.client.solrj.util.ClientUtils;
import org.apache.solr.common.SolrDocument;
import org.apache.solr.common.SolrInputDocument;
import org.apache.solr.common.params.ModifiableSolrParams;
import org.jspecify.annotations.Nullable;

/**
 * The document layout on Solr (the product's configset, {@code src/main/resources/solr/koclip/conf}: the
 * same fields as the embedded index's {@code LuceneSchema}) and the translation of the SPI's documents
 * and filters to Solr's.
 */
final class SolrSchema {
    static final String ID = "id";
    static final String PATH = "path";
    static final String CONTENT_HASH = "contentHash";
    static final String WIDTH = "width";
    static final String HEIGHT = "height";
    static final String BYTES = "bytes";
    static final String MODIFIED = "modified";
    static final String FORMAT = "format";
    static final String CAPTION = "caption";
    static final String TEXT_STAMP = "textStamp";
    static final String VECTOR = "vector";

    /** Fields of a hit (no vector: 2 KB of text per 512-d hit that nobody displays). */
    static final String DISPLAY_FIELDS =
            String.join(",", ID, PATH, CONTENT_HASH, WIDTH, HEIGHT, BYTES, MODIFIED, FORMAT) + "," + TEXT_STAMP + ","
                    + Arrays.stream(TextSource.values()).map(TextSource::key).collect(Collectors.joining(","));
    /** Fields of an {@link IndexedFile}. */
    static final String FILE_FIELDS = String.join(",", ID, PATH, CONTENT_HASH, BYTES, MODIFIED, TEXT_STAMP);

    /** The lexical query's fields with their boosts, edismax {@code qf}: {@code title^3.0 description^2.0 ...}. */
    static final String TEXT_QUERY_FIELDS = Arrays.stream(TextSource.values())
            .map(s -> s.key() + "^" + s.boost())
            .collect(Collectors.joining(" "));

    /** Collection-creation properties the schema substitutes (see schema.xml). */
    static final String DIMENSION_PROPERTY = "koclip.vector.dimension";

    static final String M_PROPERTY = "koclip.hnsw.m";
    static final String BEAM_WIDTH_PROPERTY = "koclip.hnsw.beamWidth";

    /** The configset files in the jar, under {@code /solr/koclip/conf/}. */
    private static final List<String> CONFIGSET_FILES = List.of("schema.xml", "solrconfig.xml");

    private SolrSchema() {}

    static SolrInputDocument toSolr(ImageDocument d) {
        SolrInputDocument doc = new SolrInputDocument();
        doc.setField(ID, d.id());
        doc.setField(PATH, d.path());
        doc.setField(CONTENT_HASH, d.contentHash());
        doc.setField(WIDTH, d.width());
        doc.setField(HEIGHT, d.height());
        doc.setField(BYTES, d.bytes());
        doc.setField(MODIFIED, d.modified());
        doc.setField(FORMAT, d.format().toLowerCase(Locale.ROOT));
        d.text().forEach((source, text) -> doc.setField(source.key(), text)); // field name = source key
        if (d.textStamp() != null) {
            doc.setField(TEXT_STAMP, d.textStamp());
        }
        float[] vector = d.vector();
        List<Float> values = new ArrayList<>(vector.length); // a DenseVectorField value is a list of floats
        for (float v : vector) {
            values.add(v);
        }
        doc.setField(VECTOR, values);
        return doc;
    }

    static ImageDocument fromSolr(SolrDocument doc, boolean withVector) {
        return new ImageDocument(
                text(doc, ID),
                text(doc, PATH),
                text(doc, CONTENT_HASH),
                number(doc, WIDTH).intValue(),
                number(doc, HEIGHT).intValue(),
                number(doc, BYTES).longValue(),
                number(doc, MODIFIED).longValue(),
                text(doc, FORMAT),
                sources(doc),
                (String) doc.getFirstValue(TEXT_STAMP),
                withVector ? vector(doc) : null);
    }

    static IndexedFile fileFromSolr(SolrDocument doc) {
        return new IndexedFile(
                text(doc, ID),
                text(doc, PATH),
                text(doc, CONTENT_HASH),
                number(doc, BYTES).longValue(),
                number(doc, MODIFIED).longValue(),
                (String) doc.getFirstValue(TEXT_STAMP));
    }

    private static Map<TextSource, String> sources(SolrDocument doc) {
        Map<TextSource, String> text = new EnumMap<>(TextSource.class);
        for (TextSource source : TextSource.values()) {
            Object value = doc.getFirstValue(source.key());
            if (value != null) {
                text.put(source, value.toString());
            }
        }
        return text;
    }

    private static float[] vector(SolrDocument doc) {
        Object value = doc.getFieldValue(VECTOR);
        if (!(value instanceof List<?> values)) {
            throw new IllegalStateException("document " + doc.getFieldValue(ID) + " has no stored vector: " + value);
        }
        float[] v = new float[values.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = ((Number) values.get(i)).floatValue();
        }
        return v;
    }

    private static String text(SolrDocument doc, String field) {
        Object value = doc.getFirstValue(field);
        if (value == null) {
            throw new IllegalStateException("document " + doc.getFieldValue(ID) + " has no " + field);
        }
        return value.toString();
    }

    private static Number number(SolrDocument doc, String field) {
        Object value = doc.getFirstValue(field);
        if (!(value instanceof Number n)) {
            throw new IllegalStateException("document " + doc.getFieldValue(ID) + " has no numeric " + field);
        }
        return n;
    }

    /** The kNN query text: {@code {!knn f=vector topK=N}[v0,v1,...]}. */
    static String knn(float[] vector, int topK) {
        StringBuilder b = new StringBuilder(vector.length * 12 + 32);
        b.append("{!knn f=").append(VECTOR).append(" topK=").append(topK).append("}[");
        for (int i = 0; i < vector.length; i++) {
            if (i > 0) {
                b.append(',');
            }
            b.append(vector[i]); // Float.toString round-trips the float exactly
        }
        return b.append(']').toString();
    }

    /**
     * Adds one {@code fq} per restriction of {@code filter}. Solr applies each fq inside a kNN query
     * (pre-filtering), so k hits come back when k documents match. The path prefix goes through a
     * parameter reference, so any character in it is literal.
     */
    static void addFilters(ModifiableSolrParams params, SearchFilter filter) {
        if (filter.pathPrefix() != null && !filter.pathPrefix().isEmpty()) {
            params.add("fq", "{!prefix f=" + PATH + " v=$koclipPath}");
            params.set("koclipPath", filter.pathPrefix());
        }
        if (filter.minWidth() != null) {
            params.add("fq", WIDTH + ":[" + filter.minWidth() + " TO *]");
        }
        if (filter.minHeight() != null) {
            params.add("fq", HEIGHT + ":[" + filter.minHeight() + " TO *]");
        }
        if (filter.modifiedFrom() != null || filter.modifiedTo() != null) {
            params.add(
                    "fq", MODIFIED + ":[" + bound(filter.modifiedFrom()) + " TO " + bound(filter.modifiedTo()) + "]");
        }
        if (!filter.formats().isEmpty()) {
            params.add(
                    "fq",
                    filter.formats().stream()
                            .map(f -> ClientUtils.escapeQueryChars(f.toLowerCase(Locale.ROOT)))
                            .sorted()
                            .collect(Collectors.joining(" OR ", FORMAT + ":(", ")")));
        }
    }

    private static String bound(@Nullable Long value) {
        return value == null ? "*" : Long.toString(value);
    }

    /**
     * The user's words as an edismax query that has no syntax: every query character escaped, the words
     * kept apart by spaces, and the operator words lowercased so that "AND" is a word like any other.
     */
    static String words(String text) {
        return java.util.Arrays.stream(text.strip().split("\\s+"))
                .map(w -> switch (w) {
                    case "AND", "OR", "NOT", "TO" -> w.toLowerCase(Locale.ROOT);
                    default -> ClientUtils.escapeQueryChars(w);
                })
                .collect(Collectors.joining(" "));
    }

    /** The configset as the zip the upload API takes, read from the jar. */
    static byte[] configsetZip() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (String file : CONFIGSET_FILES) {
                try (InputStream in = SolrSchema.class.getResourceAsStream("/solr/koclip/conf/" + file)) {
                    if (in == null) {
                        throw new IllegalStateException(
                                "configset file missing from the jar: /solr/koclip/conf/" + file);
                    }
                    zip.putNextEntry(new ZipEntry(file));
                    in.transferTo(zip);
                    zip.closeEntry();
                }
            }
        }
        return bytes.toByteArray();
    }
}
