package dev.jfind.server.status;

import java.io.IOException;

/**
 * Takes a {@link DaemonStatus} now; implemented by the crawl scheduler, called by the status
 * RPC and at each metrics scrape. Must be thread-safe.
 */
@FunctionalInterface
public interface StatusSupplier {
    /** @throws IOException when the index cannot say its figures */
    DaemonStatus get() throws IOException;
}
