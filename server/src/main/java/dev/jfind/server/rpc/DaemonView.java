package dev.jfind.server.rpc;

import dev.jfind.server.crawl.CrawlStats;
import dev.jfind.server.index.IndexFacts;
import dev.jfind.server.watch.WatchStats;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** What the status RPC reports of the daemon; implemented by the daemon's crawl loop. */
public interface DaemonView {
    IndexFacts facts() throws IOException;

    /** The running crawl's counters, or null when no crawl runs. */
    CrawlStats.Snapshot runningCrawl();

    /** How many entries the running crawl is expected to see in all; 0 when not known. */
    default long runningCrawlEstimate() {
        return 0;
    }

    /** The last finished crawl's counters, or null before the first one. */
    CrawlStats.Snapshot lastCrawl();

    /** Live update figures, or null when live updates are off. */
    WatchStats watch();

    List<byte[]> roots();

    Path stateDir();
}
