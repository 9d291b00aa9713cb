package dev.jfind.server.crawl;

import java.util.Arrays;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A fixed set of locks striped by directory path, so that two listings of the same
 * directory (a crawl and a live update) never interleave their list-then-write. Distinct
 * directories rarely share a stripe. Thread-safe.
 */
final class DirectoryLocks {
    private final Lock[] stripes = new Lock[256];

    DirectoryLocks() {
        for (int i = 0; i < stripes.length; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    Lock lockFor(byte[] dir) {
        return stripes[(Arrays.hashCode(dir) & 0x7fffffff) % stripes.length];
    }
}
