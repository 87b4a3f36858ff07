package io.koclip.search.web;

import io.koclip.search.index.IndexOptions;
import io.koclip.search.index.VectorFormat;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code koclip.index.*}: where the index lives and how a new one stores its vectors.
 *
 * @param backend the index engine: {@code lucene} (embedded, the default)
 * @param path the live index folder ({@code serve --index}) of the Lucene backend; a reindex builds
 *     beside it in {@code <path>.next} and switches by renaming, so the parent folder must be writable
 * @param vectors vector format of a new index: {@code float32}, {@code int8}, {@code int4} or
 *     {@code bbq}; unset keeps what the index records (float32 for a new one). Changing the format
 *     of an existing index takes a reindex into a fresh folder
 * @param m HNSW maximum connections per node, in [2, 512]; unset keeps the recorded value (16)
 * @param beamWidth HNSW candidate list while building, in [1, 3200]; unset keeps the recorded value (100)
 */
@Validated
@ConfigurationProperties("koclip.index")
record IndexProperties(
        @DefaultValue("lucene") @Pattern(regexp = "lucene") String backend,
        @DefaultValue("index") @NotNull Path path,

        @Pattern(regexp = "(?i)float32|int8|int4|bbq") @Nullable
        String vectors,

        @Min(2) @Max(512) @Nullable Integer m,
        @Min(1) @Max(3200) @Nullable Integer beamWidth) {

    IndexOptions options() {
        return IndexOptions.defaults()
                .withVectors(vectors == null ? null : VectorFormat.parse(vectors))
                .withM(m)
                .withBeamWidth(beamWidth);
    }
}
