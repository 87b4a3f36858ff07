package io.koclip.search.index.lucene;

import static org.assertj.core.api.Assertions.assertThat;

import io.koclip.search.index.IndexBackend;
import io.koclip.search.index.IndexBackendContract;
import io.koclip.search.index.IndexSpec;
import io.koclip.search.index.VectorIndex;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The Lucene backend passes the contract; plus its folder protocol for reindex. */
class LuceneBackendTest extends IndexBackendContract {
    @Override
    protected IndexBackend newBackend(Path folder) {
        return new LuceneBackend(folder.resolve("index"));
    }

    private Path live() {
        return folder.resolve("index");
    }

    private void makeIndex(Path at, String id) throws IOException {
        try (VectorIndex index = new LuceneBackend(at).open(IndexSpec.of(MODEL))) {
            index.upsert(doc(id, id + ".png", id, randomUnit(new Random(id.hashCode()))));
            index.commit(null);
        }
    }

    @Test
    void reindexBuildsBesideTheLiveFolderAndRenames() throws IOException {
        makeIndex(live(), "old");
        try (IndexBackend.Reindex reindex = backend.prepareReindex(IndexSpec.of(MODEL))) {
            assertThat(Files.isDirectory(folder.resolve("index.next"))).isTrue();
            reindex.index().upsert(doc("new", "new.png", "n", randomUnit(new Random(1))));
            reindex.activate();
        }
        assertThat(Files.exists(folder.resolve("index.next"))).isFalse();
        assertThat(Files.exists(folder.resolve("index.old"))).isFalse();
        try (VectorIndex index = backend.openReadOnly(MODEL)) {
            assertThat(index.get("new")).isPresent();
            assertThat(index.get("old")).isEmpty();
        }
    }

    @Test
    void openRepairsASwitchInterruptedBetweenTheRenames() throws IOException {
        // crash after "index → index.old", before "index.next → index"
        makeIndex(folder.resolve("index.next"), "fresh");
        makeIndex(folder.resolve("index.old"), "previous");
        try (VectorIndex index = backend.open(IndexSpec.of(MODEL))) {
            assertThat(index.get("fresh")).isPresent();
            assertThat(index.get("previous")).isEmpty();
        }
        assertThat(Files.exists(folder.resolve("index.next"))).isFalse();
        assertThat(Files.exists(folder.resolve("index.old"))).isFalse();
    }

    @Test
    void openRestoresTheOldIndexWhenNoFreshOneExists() throws IOException {
        makeIndex(folder.resolve("index.old"), "previous");
        try (VectorIndex index = backend.open(IndexSpec.of(MODEL))) {
            assertThat(index.get("previous")).isPresent();
        }
    }

    @Test
    void openDeletesAnUnfinishedReindex() throws IOException {
        makeIndex(live(), "live");
        makeIndex(folder.resolve("index.next"), "half");
        try (VectorIndex index = backend.open(IndexSpec.of(MODEL))) {
            assertThat(index.get("live")).isPresent();
        }
        assertThat(Files.exists(folder.resolve("index.next"))).isFalse();
    }
}
