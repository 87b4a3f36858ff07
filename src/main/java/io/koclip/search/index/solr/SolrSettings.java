package io.koclip.search.index.solr;

import java.net.URI;
import java.util.List;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Where a SolrCloud backend's live index is and how new generation collections are made.
 *
 * @param urls base URLs of some Solr nodes ({@code http://host:8983/solr}); the client learns the rest of
 *     the cluster from them. ZooKeeper hosts are not taken: SolrJ 10's ZooKeeper state provider lives in
 *     {@code solr-solrj-zookeeper}, which is not on the product's classpath
 * @param alias the collection alias searches use ({@code koclip}); generations are the collections
 *     {@code <alias>_g1}, {@code <alias>_g2}, ...
 * @param configset the configset new collections use; uploaded from the product's jar when absent
 * @param shards shards of a new collection, in [1, 1024]
 * @param replicas replicas per shard of a new collection (NRT), in [1, 64]
 * @param username basic-auth user, or null for none
 * @param password basic-auth password (from the environment, never from a file), or null
 */
public record SolrSettings(
        List<String> urls,
        String alias,
        String configset,
        int shards,
        int replicas,
        @Nullable String username,
        @Nullable String password) {
    /** Solr's rule for collection, alias and configset names (letters, digits, '.', '_', '-'; no leading '-'). */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._][A-Za-z0-9._-]{0,99}");

    public static final String DEFAULT_ALIAS = "koclip";
    public static final String DEFAULT_CONFIGSET = "koclip";

    public SolrSettings {
        if (urls == null || urls.isEmpty()) {
            throw new IllegalArgumentException("solr urls: at least one node URL is needed (http://host:8983/solr)");
        }
        urls = List.copyOf(urls);
        for (String url : urls) {
            URI uri;
            try {
                uri = URI.create(url);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("solr url: '" + url + "' is not a URL", e);
            }
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException(
                        "solr url: '" + url + "' must be http(s)://host:port/solr, the node's base URL");
            }
        }
        requireName(alias, "solr alias");
        requireName(configset, "solr configset");
        if (shards < 1 || shards > 1024) {
            throw new IllegalArgumentException("solr shards: " + shards + " is not in [1, 1024]");
        }
        if (replicas < 1 || replicas > 64) {
            throw new IllegalArgumentException("solr replicas: " + replicas + " is not in [1, 64]");
        }
        if ((username == null || username.isEmpty()) != (password == null || password.isEmpty())) {
            throw new IllegalArgumentException("solr basic auth: give both username and password, or neither");
        }
    }

    /** The nodes at {@code urls} with the default alias and configset, 2 shards x 2 replicas, no auth. */
    public static SolrSettings of(List<String> urls) {
        return new SolrSettings(urls, DEFAULT_ALIAS, DEFAULT_CONFIGSET, 2, 2, null, null);
    }

    /** A comma-separated URL list ({@code --solr URL[,URL]}). */
    public static List<String> parseUrls(String commaSeparated) {
        return java.util.Arrays.stream(commaSeparated.split(","))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .toList();
    }

    public SolrSettings withAlias(String value) {
        return new SolrSettings(urls, value, configset, shards, replicas, username, password);
    }

    public SolrSettings withLayout(int shardCount, int replicaCount) {
        return new SolrSettings(urls, alias, configset, shardCount, replicaCount, username, password);
    }

    boolean basicAuth() {
        return username != null && !username.isEmpty();
    }

    private static void requireName(String value, String what) {
        if (value == null || !NAME.matcher(value).matches()) {
            throw new IllegalArgumentException(
                    what + ": '" + value + "' must be 1-100 letters, digits, '.', '_' or '-' (not starting with '-')");
        }
    }

    @Override
    public String toString() {
        // never the password
        return "SolrSettings[urls=" + urls + ", alias=" + alias + ", configset=" + configset + ", shards=" + shards
                + ", replicas=" + replicas + (basicAuth() ? ", user=" + username : "") + "]";
    }
}
