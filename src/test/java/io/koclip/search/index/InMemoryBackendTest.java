package io.koclip.search.index;

import java.nio.file.Path;

/** The in-memory test backend passes the contract the real backends pass. */
class InMemoryBackendTest extends IndexBackendContract {
    @Override
    protected IndexBackend newBackend(Path folder) {
        return new InMemoryBackend();
    }
}
