package io.koclip.search.ingest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads a whole file; a seam so tests can make a file unreadable even when running as root. */
@FunctionalInterface
interface ContentReader {
    ContentReader FILES = Files::readAllBytes;

    byte[] read(Path file) throws IOException;
}
