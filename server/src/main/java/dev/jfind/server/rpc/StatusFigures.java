package dev.jfind.server.rpc;

import dev.jfind.api.v1.CrawlProgress;
import dev.jfind.api.v1.GetStatusResponse;

/**
 * Status for a caller who does not see every path: every figure that counts paths or
 * directories would tell them how many are hidden, so those are cleared and
 * {@code figures_withheld} says so. What stays (state, roots, times, versions, whether the
 * index is degraded) says nothing about hidden paths.
 */
final class StatusFigures {
    private StatusFigures() {}

    static GetStatusResponse withheld(GetStatusResponse.Builder status) {
        status.clearPaths().clearIndexBytes().setFiguresWithheld(true);
        if (status.hasCrawl()) {
            CrawlProgress crawl = status.getCrawl();
            status.setCrawl(CrawlProgress.newBuilder().setStartTime(crawl.getStartTime()));
        }
        if (status.hasWatch()) {
            status.getWatchBuilder()
                    .clearWatchedDirectories()
                    .clearUnwatchedDirectories()
                    .clearEventsApplied()
                    .clearPendingDirectories()
                    .clearWatchBudget() // when reached, it is the number of watched directories
                    .clearWatchBudgetSource();
        }
        return status.build();
    }
}
