package dev.jfind.server.status;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What the daemon can say about itself at one moment: the figures {@code jfind-client status},
 * the status RPC and the metrics endpoint show. Filled by the crawl scheduler (through a
 * {@link StatusSupplier}), read by the transport and the metrics; its own value records, so
 * that those readers need not know the crawler, the watcher or the index. Immutable.
 *
 * @param roots the roots crawled now, as bytes
 * @param stateDir where the index lives
 * @param index the index's own figures
 * @param runningCrawl the running crawl's counters, or null when none runs
 * @param runningCrawlEstimate entries the running crawl is expected to see in all; 0 when not known
 * @param lastCrawl the last finished crawl's counters (since this start), or null before the first
 * @param watch live update figures, or null when live updates are off
 */
public record DaemonStatus(List<byte[]> roots, Path stateDir, Index index, Crawl runningCrawl,
        long runningCrawlEstimate, Crawl lastCrawl, Watch watch) {

    public DaemonStatus {
        roots = List.copyOf(roots);
    }

    /** The running crawl's counters, else the last one's, else null. */
    public Crawl crawl() {
        return runningCrawl != null ? runningCrawl : lastCrawl;
    }

    /**
     * @param paths number of indexed paths
     * @param indexBytes size of the index files on disk
     * @param firstCrawlComplete whether a full crawl has ever completed into this index
     * @param lastCrawlEnd when the last complete crawl ended, or null
     * @param lastCrawlDuration how long it took, or null
     * @param writeError why changes cannot be written to disk now, or null when they can
     * @param writeErrorSince when writes started failing, or null
     */
    public record Index(long paths, long indexBytes, boolean firstCrawlComplete, Instant lastCrawlEnd,
            Duration lastCrawlDuration, String writeError, Instant writeErrorSince) {}

    /**
     * @param started when the crawl started
     * @param directories directories listed
     * @param entries entries seen
     * @param unreadable directories that could not be listed
     * @param excluded entries left out by an exclusion rule
     */
    public record Crawl(Instant started, long directories, long entries, long unreadable, long excluded) {}

    /**
     * @param watchedDirectories directories with an inotify watch
     * @param unwatchedDirectories directories re-listed on a timer instead
     * @param eventsApplied file system events taken into the index so far
     * @param lastEvent when the last event arrived, or null
     * @param pendingDirectories directories waiting to be re-listed
     * @param degraded why answers may be stale right now, or null when they are not
     * @param budgetWatches most directories the daemon watches
     * @param budgetSource why that many, for a person
     * @param oldestUnwatchedListing when the unwatched directory listed longest ago was listed; null when all are watched
     * @param unwatchedRescanInterval how often unwatched directories are listed again
     */
    public record Watch(long watchedDirectories, long unwatchedDirectories, long eventsApplied, Instant lastEvent,
            long pendingDirectories, String degraded, long budgetWatches, String budgetSource,
            Instant oldestUnwatchedListing, Duration unwatchedRescanInterval) {}
}
