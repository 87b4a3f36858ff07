package io.koclip.search.index.lucene;

import io.koclip.search.index.ImageDocument;
import io.koclip.search.index.IndexMetadata;
import io.koclip.search.index.IndexOptions;
import io.koclip.search.index.IndexedFile;
import io.koclip.search.index.ModelIdentity;
import io.koclip.search.index.VectorFormat;
import io.koclip.search.text.TextSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.lucene.document.BinaryDocValuesField;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.FieldType;
import org.apache.lucene.document.IntField;
import org.apache.lucene.document.KeywordField;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.LongField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.store.ByteArrayDataInput;
import org.apache.lucene.store.ByteBuffersDataOutput;
import org.apache.lucene.util.BytesRef;
import org.jspecify.annotations.Nullable;

/**
 * The Lucene document layout, one document per image file (docs/architecture.md, "Index"):
 *
 * <ul>
 *   <li>{@code id}: StringField, stored: the update/delete key ({@link DocumentIds}).
 *   <li>{@code path}: KeywordField (terms for prefix filters, sorted-set doc values), stored.
 *   <li>{@code contentHash}: StringField, stored: SHA-256 hex, looked up to embed identical bytes once.
 *   <li>{@code width}, {@code height}: IntField (points for range filters, doc values), stored.
 *   <li>{@code bytes}, {@code modified}: LongField (points, doc values), stored; {@code modified} is epoch ms.
 *   <li>{@code format}: KeywordField, stored: {@code jpeg}, {@code png}, ...
 *   <li>{@code text.<source>}, one per {@link TextSource} ({@code text.title}, {@code text.description},
 *       {@code text.keywords}, {@code text.sidecar}, {@code text.pathWords}, {@code text.caption}): text
 *       analyzed by {@link TextAnalysis} (Nori), stored, offsets in the postings for the highlighter;
 *       only when the source has text. (Indexes written before text sources have one {@code caption}
 *       TextField, which nothing reads any more: their documents carry no text stamp, so the next
 *       ingest re-indexes their text into these fields.)
 *   <li>{@code textStamp}: StringField, stored: {@link ImageDocument#textStamp()}, when known.
 *   <li>{@code vector}: KnnFloatVectorField, DOT_PRODUCT, unit vectors; the codec picks the HNSW format.
 *   <li>{@code display}: BinaryDocValuesField, the fields of a hit (all of the above but the text fields,
 *       the text stamp and the vector) in one compact record ({@link #display}): a search reads each
 *       hit's record with one uncompressed doc-values lookup instead of decompressing the hit's
 *       stored-fields block (LZ4, tens of KB per hit: the largest cost of a query after the HNSW walk,
 *       docs/benchmarks.md §13). The stored fields stay the source of truth: a segment or document
 *       without the record (an index written before it existed) is read from them, and so are the text
 *       fields of a document that has any.
 * </ul>
 */
final class LuceneSchema {
    static final String ID = "id";
    static final String PATH = "path";
    static final String CONTENT_HASH = "contentHash";
    static final String WIDTH = "width";
    static final String HEIGHT = "height";
    static final String BYTES = "bytes";
    static final String MODIFIED = "modified";
    static final String FORMAT = "format";
    static final String TEXT_STAMP = "textStamp";
    static final String VECTOR = "vector";
    static final String DISPLAY = "display";

    /** The record layout of {@link #DISPLAY}; a reader falls back to stored fields on another. */
    private static final byte DISPLAY_VERSION = 1;

    /** Flag: the document has text fields or a text stamp, read from stored fields. */
    private static final byte DISPLAY_HAS_TEXT = 1;

    /** Prefix of the text fields, one per {@link TextSource}: {@code text.title}. */
    static final String TEXT_PREFIX = "text.";

    /**
     * The text fields: indexed with positions and offsets (the highlighter reads offsets from the
     * postings instead of analyzing the stored text again), norms for BM25, stored.
     */
    static final FieldType TEXT_TYPE;

    static {
        FieldType type = new FieldType(TextField.TYPE_STORED);
        type.setIndexOptions(org.apache.lucene.index.IndexOptions.DOCS_AND_FREQS_AND_POSITIONS_AND_OFFSETS);
        type.freeze();
        TEXT_TYPE = type;
    }

    /** Stored fields needed to rebuild an {@link ImageDocument} (the vector lives elsewhere). */
    static final Set<String> DISPLAY_FIELDS;

    /** The stored fields a hit with a {@link #DISPLAY} record still reads (when it has text). */
    static final Set<String> TEXT_FIELDS;

    static {
        Set<String> text = new LinkedHashSet<>();
        text.add(TEXT_STAMP);
        for (TextSource source : TextSource.values()) {
            text.add(textField(source));
        }
        TEXT_FIELDS = Set.copyOf(text);
        Set<String> display =
                new LinkedHashSet<>(List.of(ID, PATH, CONTENT_HASH, WIDTH, HEIGHT, BYTES, MODIFIED, FORMAT));
        display.addAll(text);
        DISPLAY_FIELDS = Set.copyOf(display);
    }

    /** Stored fields needed for an {@link IndexedFile}. */
    static final Set<String> FILE_FIELDS = Set.of(ID, PATH, CONTENT_HASH, BYTES, MODIFIED, TEXT_STAMP);

    // Commit user data keys. Every commit carries the model identity and the vector format.
    static final String SCHEMA_KEY = "koclip.schema";
    static final String SCHEMA_VERSION = "koclip-index/1";
    static final String MODEL_NAME = "model.name";
    static final String MODEL_FINGERPRINT = "model.fingerprint";
    static final String MODEL_DIMENSION = "model.dimension";
    static final String VECTORS = "index.vectors";
    static final String HNSW_M = "index.m";
    static final String HNSW_BEAM_WIDTH = "index.beamWidth";
    static final String CHECKPOINT = "ingest.checkpoint";

    private LuceneSchema() {}

    /** The Lucene field of a text source: {@code text.pathWords}. */
    static String textField(TextSource source) {
        return TEXT_PREFIX + source.key();
    }

    /** The text source of a Lucene text field, or null for another field. */
    static @Nullable TextSource sourceOf(String field) {
        for (TextSource source : TextSource.values()) {
            if (textField(source).equals(field)) {
                return source;
            }
        }
        return null;
    }

    /** Every text field with its query boost ({@link TextSource#boost()}), in {@link TextSource} order. */
    static Map<String, Float> textFieldBoosts() {
        Map<String, Float> boosts = new LinkedHashMap<>();
        for (TextSource source : TextSource.values()) {
            boosts.put(textField(source), source.boost());
        }
        return boosts;
    }

    static Document toLucene(ImageDocument d) {
        Document doc = new Document();
        doc.add(new StringField(ID, d.id(), Field.Store.YES));
        doc.add(new KeywordField(PATH, d.path(), Field.Store.YES));
        doc.add(new StringField(CONTENT_HASH, d.contentHash(), Field.Store.YES));
        doc.add(new IntField(WIDTH, d.width(), Field.Store.YES));
        doc.add(new IntField(HEIGHT, d.height(), Field.Store.YES));
        doc.add(new LongField(BYTES, d.bytes(), Field.Store.YES));
        doc.add(new LongField(MODIFIED, d.modified(), Field.Store.YES));
        doc.add(new KeywordField(FORMAT, d.format(), Field.Store.YES));
        d.text().forEach((source, text) -> doc.add(new Field(textField(source), text, TEXT_TYPE)));
        if (d.textStamp() != null) {
            doc.add(new StringField(TEXT_STAMP, d.textStamp(), Field.Store.YES));
        }
        doc.add(new KnnFloatVectorField(VECTOR, d.vector(), VectorSimilarityFunction.DOT_PRODUCT));
        doc.add(new BinaryDocValuesField(DISPLAY, display(d)));
        return doc;
    }

    /**
     * The {@link #DISPLAY} record: version byte, flags (has text), then id, path, contentHash and
     * format as UTF-8 strings, width and height as vints, bytes as a vlong, modified as a zlong.
     */
    static BytesRef display(ImageDocument d) {
        ByteBuffersDataOutput out = new ByteBuffersDataOutput(64 + d.path().length());
        try {
            out.writeByte(DISPLAY_VERSION);
            out.writeByte(!d.text().isEmpty() || d.textStamp() != null ? DISPLAY_HAS_TEXT : 0);
            out.writeString(d.id());
            out.writeString(d.path());
            out.writeString(d.contentHash());
            out.writeString(d.format());
            out.writeVInt(d.width());
            out.writeVInt(d.height());
            out.writeVLong(d.bytes());
            out.writeZLong(d.modified());
        } catch (IOException e) {
            throw new UncheckedIOException("in-memory output failed", e); // ByteBuffersDataOutput never does
        }
        return new BytesRef(out.toArrayCopy());
    }

    /** Whether {@code record} is a {@link #DISPLAY} record this version reads. */
    static boolean readableDisplay(BytesRef record) {
        return record.length > 2 && record.bytes[record.offset] == DISPLAY_VERSION;
    }

    /** Whether the document of {@code record} has text fields or a text stamp (read from stored fields). */
    static boolean displayHasText(BytesRef record) {
        return (record.bytes[record.offset + 1] & DISPLAY_HAS_TEXT) != 0;
    }

    /**
     * The document of a {@link #readableDisplay readable} record, without vector.
     *
     * @param textFields the document's {@link #TEXT_FIELDS}, or null when it has none
     */
    static ImageDocument fromDisplay(BytesRef record, @Nullable Document textFields) throws IOException {
        ByteArrayDataInput in = new ByteArrayDataInput(record.bytes, record.offset + 2, record.length - 2);
        String id = in.readString();
        String path = in.readString();
        String contentHash = in.readString();
        String format = in.readString();
        int width = in.readVInt();
        int height = in.readVInt();
        long bytes = in.readVLong();
        long modified = in.readZLong();
        return new ImageDocument(
                id,
                path,
                contentHash,
                width,
                height,
                bytes,
                modified,
                format,
                textFields == null ? Map.of() : text(textFields),
                textFields == null ? null : textFields.get(TEXT_STAMP),
                null);
    }

    static ImageDocument fromLucene(Document doc, float @Nullable [] vector) {
        return new ImageDocument(
                doc.get(ID),
                doc.get(PATH),
                doc.get(CONTENT_HASH),
                intValue(doc, WIDTH),
                intValue(doc, HEIGHT),
                longValue(doc, BYTES),
                longValue(doc, MODIFIED),
                doc.get(FORMAT),
                text(doc),
                doc.get(TEXT_STAMP),
                vector);
    }

    static IndexedFile fileFromLucene(Document doc) {
        return new IndexedFile(
                doc.get(ID),
                doc.get(PATH),
                doc.get(CONTENT_HASH),
                longValue(doc, BYTES),
                longValue(doc, MODIFIED),
                doc.get(TEXT_STAMP));
    }

    private static Map<TextSource, String> text(Document doc) {
        Map<TextSource, String> text = new EnumMap<>(TextSource.class);
        for (TextSource source : TextSource.values()) {
            String value = doc.get(textField(source));
            if (value != null) {
                text.put(source, value);
            }
        }
        return text;
    }

    /** The commit user data that records {@code metadata} (with the schema version). */
    static Map<String, String> commitData(IndexMetadata metadata) {
        Map<String, String> data = new LinkedHashMap<>();
        data.put(SCHEMA_KEY, SCHEMA_VERSION);
        data.put(MODEL_NAME, metadata.model().name());
        data.put(MODEL_FINGERPRINT, metadata.model().fingerprint());
        data.put(MODEL_DIMENSION, Integer.toString(metadata.model().dimension()));
        data.put(VECTORS, metadata.vectors().label());
        data.put(HNSW_M, Integer.toString(metadata.m()));
        data.put(HNSW_BEAM_WIDTH, Integer.toString(metadata.beamWidth()));
        if (metadata.checkpoint() != null) {
            data.put(CHECKPOINT, metadata.checkpoint());
        }
        return Map.copyOf(data);
    }

    /**
     * The metadata recorded in a commit's user data; empty for a commit without a model (an index
     * made by another tool, or a pre-model index), which the next writer adopts.
     *
     * @param where names the index in messages
     */
    static Optional<IndexMetadata> metadata(Map<String, String> data, String where) {
        String name = data.get(MODEL_NAME);
        if (name == null) {
            return Optional.empty();
        }
        ModelIdentity model = new ModelIdentity(
                name, data.getOrDefault(MODEL_FINGERPRINT, "unknown"), intOr(data, MODEL_DIMENSION, 0, where));
        String vectors = data.get(VECTORS);
        return Optional.of(new IndexMetadata(
                model,
                vectors == null ? VectorFormat.FLOAT32 : VectorFormat.parse(vectors),
                intOr(data, HNSW_M, IndexOptions.DEFAULT_M, where),
                intOr(data, HNSW_BEAM_WIDTH, IndexOptions.DEFAULT_BEAM_WIDTH, where),
                data.get(CHECKPOINT)));
    }

    private static int intOr(Map<String, String> data, String key, int fallback, String where) {
        String value = data.get(key);
        if (value == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalStateException(
                    "index " + where + ": commit data " + key + "='" + value + "' is not an integer", e);
        }
    }

    private static int intValue(Document doc, String field) {
        IndexableField f = doc.getField(field);
        return f == null ? 0 : f.numericValue().intValue();
    }

    private static long longValue(Document doc, String field) {
        IndexableField f = doc.getField(field);
        return f == null ? 0 : f.numericValue().longValue();
    }
}
