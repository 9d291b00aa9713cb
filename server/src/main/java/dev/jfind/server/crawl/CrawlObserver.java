package dev.jfind.server.crawl;

import java.time.Duration;

/** Told when a crawl ends, whether it completed or was stopped early. Must be quick and thread-safe. */
public interface CrawlObserver {
    /** Observes nothing: the daemon without metrics. */
    CrawlObserver NONE = (counters, took, complete) -> {};

    /**
     * @param counters the crawl's final counters
     * @param took from the crawl's start to its index commit
     * @param complete false when it was stopped before it had listed everything
     */
    void crawlEnded(CrawlStats.Snapshot counters, Duration took, boolean complete);
}
