package io.koclip.search.index.solr;

import io.koclip.search.index.IndexMetadata;
import io.koclip.search.index.ModelIdentity;
import io.koclip.search.index.VectorFormat;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.solr.client.solrj.SolrClient;
import org.apache.solr.client.solrj.request.CollectionAdminRequest;
import org.apache.solr.client.solrj.response.CollectionAdminResponse;
import org.jspecify.annotations.Nullable;

/**
 * Where the SolrCloud backend keeps {@link IndexMetadata}: in the properties of the live alias, keyed by
 * collection ({@code koclip.<collection>.model.name}, {@code .model.fingerprint}, {@code .model.dimension},
 * {@code .index.vectors}, {@code .index.m}, {@code .index.beamWidth}, {@code .ingest.checkpoint}).
 *
 * <p>Why keyed by collection: re-pointing an alias (CREATEALIAS) keeps its properties, so metadata kept
 * under plain keys would, for a moment, describe the old collection while the alias points at the new
 * one. Here a reindex writes the fresh collection's keys before the switch, and a reader resolves alias
 * → collection → that collection's keys from one LISTALIASES answer (one read of ZooKeeper's
 * aliases.json), so the switch is atomic from a reader's point of view. A property update (ALIASPROP)
 * is one compare-and-set write of aliases.json: the keys of one update change together.
 */
final class SolrMetadata {
    private static final String NAMESPACE = "koclip.";

    private SolrMetadata() {}

    /** What one LISTALIASES answer says about {@code alias}. */
    record AliasView(String alias, @Nullable String collection, Map<String, String> properties) {
        /** The metadata recorded for {@code name}, if any. */
        Optional<IndexMetadata> metadataOf(String name) {
            String p = prefix(name);
            String model = properties.get(p + "model.name");
            if (model == null) {
                return Optional.empty();
            }
            String where = "solr collection " + name;
            try {
                return Optional.of(new IndexMetadata(
                        new ModelIdentity(
                                model,
                                properties.get(p + "model.fingerprint"),
                                Integer.parseInt(required(p + "model.dimension", where))),
                        VectorFormat.parse(required(p + "index.vectors", where)),
                        Integer.parseInt(required(p + "index.m", where)),
                        Integer.parseInt(required(p + "index.beamWidth", where)),
                        emptyToNull(properties.get(p + "ingest.checkpoint"))));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(
                        "the metadata of " + where + " in the properties of alias " + alias + " is unreadable: "
                                + e.getMessage(),
                        e);
            }
        }

        private String required(String key, String where) {
            String value = properties.get(key);
            if (value == null || value.isEmpty()) {
                throw new IllegalArgumentException(where + " records no " + key);
            }
            return value;
        }
    }

    static String prefix(String collection) {
        return NAMESPACE + collection + ".";
    }

    /** The alias's target and properties now; a missing alias has a null collection and no properties. */
    static AliasView read(SolrClient client, String alias) throws IOException {
        CollectionAdminResponse response = SolrCalls.retried(
                "listing the aliases", () -> new CollectionAdminRequest.ListAliases().process(client));
        Map<String, List<String>> targets = response.getAliasesAsLists();
        List<String> collections = targets == null ? null : targets.get(alias);
        if (collections != null && collections.size() > 1) {
            throw new IllegalStateException("alias " + alias + " points at several collections " + collections
                    + "; the SolrCloud backend needs it to point at one (its live generation)");
        }
        Map<String, String> properties = response.getAliasProperties() == null
                ? Map.of()
                : response.getAliasProperties().getOrDefault(alias, Map.of());
        String collection = collections == null || collections.isEmpty() ? null : collections.get(0);
        return new AliasView(alias, collection, Map.copyOf(properties));
    }

    /** Records {@code metadata} as the metadata of {@code collection}, in one property update. */
    static void write(SolrClient client, String alias, String collection, IndexMetadata metadata) throws IOException {
        Map<String, String> values = new LinkedHashMap<>();
        String p = prefix(collection);
        values.put(p + "model.name", metadata.model().name());
        values.put(p + "model.fingerprint", metadata.model().fingerprint());
        values.put(p + "model.dimension", Integer.toString(metadata.model().dimension()));
        values.put(p + "index.vectors", metadata.vectors().label());
        values.put(p + "index.m", Integer.toString(metadata.m()));
        values.put(p + "index.beamWidth", Integer.toString(metadata.beamWidth()));
        // An empty value deletes a property (ALIASPROP): no checkpoint yet.
        values.put(p + "ingest.checkpoint", metadata.checkpoint() == null ? "" : metadata.checkpoint());
        update(client, alias, values, "recording the metadata of " + collection);
    }

    /** Deletes every property of {@code collection} from the alias (after the collection is gone). */
    static void remove(SolrClient client, AliasView view, String collection) throws IOException {
        Map<String, String> values = new LinkedHashMap<>();
        for (String key : view.properties().keySet()) {
            if (key.startsWith(prefix(collection))) {
                values.put(key, "");
            }
        }
        if (!values.isEmpty()) {
            update(client, view.alias(), values, "removing the metadata of " + collection);
        }
    }

    private static void update(SolrClient client, String alias, Map<String, String> values, String what)
            throws IOException {
        CollectionAdminRequest.SetAliasProperty request = CollectionAdminRequest.setAliasProperty(alias);
        values.forEach(request::addProperty);
        SolrCalls.retried(what + " on alias " + alias, () -> request.process(client));
    }

    private static @Nullable String emptyToNull(@Nullable String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}
