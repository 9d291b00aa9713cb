package dev.jfind.server.update;

import dev.jfind.server.crawl.CrawlStats;
import dev.jfind.server.index.IndexFacts;
import dev.jfind.server.status.DaemonStatus;
import dev.jfind.server.watch.WatchStats;

/** The crawler's, watcher's and index's own records as {@link DaemonStatus} figures. Stateless. */
public final class StatusRecords {
    private StatusRecords() {}

    public static DaemonStatus.Index index(IndexFacts f) {
        return new DaemonStatus.Index(f.paths(), f.indexBytes(), f.firstCrawlComplete(), f.lastCrawlEnd(),
                f.lastCrawlDuration(), f.writeFailure() == null ? null : f.writeFailure().message(),
                f.writeFailure() == null ? null : f.writeFailure().since());
    }

    /** Null for null (no such crawl). */
    public static DaemonStatus.Crawl crawl(CrawlStats.Snapshot s) {
        return s == null ? null
                : new DaemonStatus.Crawl(s.started(), s.directories(), s.entries(), s.unreadable(), s.excluded());
    }

    /** Null for null (live updates off). */
    public static DaemonStatus.Watch watch(WatchStats w) {
        return w == null ? null
                : new DaemonStatus.Watch(w.watchedDirectories(), w.unwatchedDirectories(), w.eventsApplied(),
                        w.lastEvent(), w.pendingDirectories(), w.degraded(), w.budget().watches(), w.budget().source(),
                        w.oldestUnwatchedListing(), w.unwatchedRescanInterval());
    }
}
