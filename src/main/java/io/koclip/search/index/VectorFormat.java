package io.koclip.search.index;

import java.util.Arrays;
import java.util.Locale;

/**
 * How the index stores embeddings for HNSW search. Quantized formats keep the raw float32 vectors
 * too (for exact rescoring and merges) and search a compact copy: less memory for the graph walk at
 * a small cost in recall, which exact rescoring of the candidates mostly recovers.
 */
public enum VectorFormat {
    /** float32 HNSW ({@code Lucene99HnswVectorsFormat}): exact scores, 4 bytes per dimension. */
    FLOAT32("float32"),
    /** 8-bit scalar-quantized HNSW ({@code Lucene104HnswScalarQuantizedVectorsFormat}, UNSIGNED_BYTE). */
    INT8("int8"),
    /** 4-bit scalar-quantized HNSW ({@code Lucene104HnswScalarQuantizedVectorsFormat}, PACKED_NIBBLE). */
    INT4("int4"),
    /**
     * Binary-quantized HNSW: 1 bit per dimension for documents, 4-bit queries
     * ({@code Lucene104HnswScalarQuantizedVectorsFormat}, SINGLE_BIT_QUERY_NIBBLE), Lucene 10.4+'s
     * successor of {@code Lucene102HnswBinaryQuantizedVectorsFormat}, which is read-only in 10.5.
     */
    BBQ("bbq");

    private final String label;

    VectorFormat(String label) {
        this.label = label;
    }

    /** The name used on the command line and in commit data. */
    public String label() {
        return label;
    }

    /** True when the HNSW graph searches a quantized copy and scores need exact rescoring. */
    public boolean quantized() {
        return this != FLOAT32;
    }

    /** Parses {@code float32}, {@code int8}, {@code int4} or {@code bbq} (case-insensitive). */
    public static VectorFormat parse(String label) {
        String wanted = label.strip().toLowerCase(Locale.ROOT);
        for (VectorFormat format : values()) {
            if (format.label.equals(wanted)) {
                return format;
            }
        }
        throw new IllegalArgumentException("vector format: '" + label + "' is not one of "
                + Arrays.stream(values()).map(VectorFormat::label).toList());
    }

    @Override
    public String toString() {
        return label;
    }
}
