package io.koclip.search.bench;

import io.koclip.search.index.VectorFormat;
import java.io.IOException;
import java.nio.file.Path;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.codecs.Codec;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene104.Lucene104Codec;
import org.apache.lucene.codecs.lucene104.Lucene104HnswScalarQuantizedVectorsFormat;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.quantization.QuantizedByteVectorValues.ScalarEncoding;

/**
 * Force-merges a closed index to one segment, so that Lucene searches one HNSW graph like hnswlib
 * and faiss do. The product's {@code VectorIndex} has no force-merge (an API request in
 * docs/benchmarks.md), so this opens a plain {@link IndexWriter} on the folder with the same
 * per-field vector format as {@code LuceneVectorIndex.codec} (kept in step by hand: the merged
 * segment is written with these parameters). Commit user data (model identity, format) is kept:
 * IndexWriter carries the opened commit's user data into its next commit.
 */
final class SingleSegment {
    private SingleSegment() {}

    /** Merges the index in {@code folder} (not open elsewhere) to one segment and commits. */
    static void merge(Path folder, VectorFormat format, int m, int beamWidth) throws IOException {
        try (Directory directory = FSDirectory.open(folder);
                IndexWriter writer = new IndexWriter(
                        directory,
                        new IndexWriterConfig(new StandardAnalyzer())
                                .setOpenMode(IndexWriterConfig.OpenMode.APPEND)
                                .setCodec(codec(format, m, beamWidth)))) {
            writer.forceMerge(1, true);
            writer.commit();
        }
    }

    /** Segments in the index's latest commit. */
    static int segments(Path folder) throws IOException {
        try (Directory directory = FSDirectory.open(folder);
                DirectoryReader reader = DirectoryReader.open(directory)) {
            return reader.leaves().size();
        }
    }

    /** The same vector format as {@code io.koclip.search.index.LuceneVectorIndex#codec}. */
    static Codec codec(VectorFormat format, int m, int beamWidth) {
        KnnVectorsFormat vectors = switch (format) {
            case FLOAT32 -> new Lucene99HnswVectorsFormat(m, beamWidth);
            case INT8 -> new Lucene104HnswScalarQuantizedVectorsFormat(ScalarEncoding.UNSIGNED_BYTE, m, beamWidth);
            case INT4 -> new Lucene104HnswScalarQuantizedVectorsFormat(ScalarEncoding.PACKED_NIBBLE, m, beamWidth);
            case BBQ ->
                new Lucene104HnswScalarQuantizedVectorsFormat(ScalarEncoding.SINGLE_BIT_QUERY_NIBBLE, m, beamWidth);
        };
        return new Lucene104Codec() {
            @Override
            public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
                return vectors;
            }
        };
    }
}
