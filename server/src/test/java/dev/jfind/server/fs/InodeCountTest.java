package dev.jfind.server.fs;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class InodeCountTest {
    @Test
    void theRootFileSystemHasInodesInUse() {
        assertTrue(InodeCount.used(Path.of("/")) > 100, "the first crawl's estimate comes from here");
    }

    @Test
    void aMissingPathIsUnknownNotAnError() {
        assertTrue(InodeCount.used(Path.of("/no/such/dir/anywhere")) < 0);
    }
}
