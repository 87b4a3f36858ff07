package io.koclip.search.web;

import io.koclip.search.index.IndexOptions;
import io.koclip.search.index.VectorFormat;
import io.koclip.search.index.solr.SolrSettings;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code koclip.index.*}: where the index lives and how a new one stores its vectors.
 *
 * @param backend the index engine: {@code lucene} (embedded, the default) or {@code solr} (a SolrCloud
 *     collection alias, configured in {@code solr}; docs/solr.md)
 * @param path the live index folder ({@code serve --index}) of the Lucene backend; a reindex builds
 *     beside it in {@code <path>.next} and switches by renaming, so the parent folder must be writable
 * @param vectors vector format of a new index: {@code float32}, {@code int8}, {@code int4} or
 *     {@code bbq}; unset keeps what the index records (float32 for a new one). Changing the format
 *     of an existing index takes a reindex into a fresh folder
 * @param m HNSW maximum connections per node, in [2, 512]; unset keeps the recorded value (16)
 * @param beamWidth HNSW candidate list while building, in [1, 3200]; unset keeps the recorded value (100)
 * @param solr where the SolrCloud backend's index is, when {@code backend} is {@code solr}
 */
@Validated
@ConfigurationProperties("koclip.index")
record IndexProperties(
        @DefaultValue("lucene") @Pattern(regexp = "lucene|solr")
        String backend,

        @DefaultValue("index") @NotNull Path path,

        @Pattern(regexp = "(?i)float32|int8|int4|bbq") @Nullable
        String vectors,

        @Min(2) @Max(512) @Nullable Integer m,
        @Min(1) @Max(3200) @Nullable Integer beamWidth,
        @DefaultValue @Valid Solr solr) {

    /**
     * {@code koclip.index.solr.*}: the SolrCloud backend (docs/solr.md).
     *
     * @param urls base URLs of some Solr nodes ({@code http://host:8983/solr}), comma-separated
     * @param collection the collection alias searches use; generations are {@code <collection>_g1}, ...
     * @param configset the configset of new collections, uploaded from the jar when the cluster lacks it
     * @param shards shards of a new collection
     * @param replicas replicas per shard of a new collection (2 or more survive a node loss)
     * @param username basic-auth user, or unset for none
     * @param password basic-auth password: from the environment ({@code KOCLIP_INDEX_SOLR_PASSWORD}), never
     *     from a file
     */
    record Solr(
            @DefaultValue("http://127.0.0.1:8983/solr") @NotEmpty
            List<String> urls,

            @DefaultValue("koclip") @NotBlank String collection,
            @DefaultValue("koclip") @NotBlank String configset,
            @DefaultValue("2") @Min(1) @Max(1024) int shards,
            @DefaultValue("2") @Min(1) @Max(64) int replicas,
            @Nullable String username,
            @Nullable String password) {
        SolrSettings settings() {
            return new SolrSettings(urls, collection, configset, shards, replicas, username, password);
        }

        @Override
        public String toString() {
            return settings().toString(); // never the password
        }
    }

    IndexOptions options() {
        return IndexOptions.defaults()
                .withVectors(vectors == null ? null : VectorFormat.parse(vectors))
                .withM(m)
                .withBeamWidth(beamWidth);
    }
}
