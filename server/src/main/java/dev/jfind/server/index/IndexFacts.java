package dev.jfind.server.index;

import java.time.Duration;
import java.time.Instant;

/**
 * What the index can tell about itself.
 *
 * @param paths number of indexed paths
 * @param indexBytes size of the index files on disk
 * @param firstCrawlComplete whether a full crawl has ever completed into this index
 * @param lastCrawlEnd when the last complete crawl ended, or null
 * @param lastCrawlDuration how long it took, or null
 * @param writeFailure why changes cannot be written to disk now, or null when they can
 */
public record IndexFacts(long paths, long indexBytes, boolean firstCrawlComplete, Instant lastCrawlEnd,
        Duration lastCrawlDuration, WriteFailure writeFailure) {}
