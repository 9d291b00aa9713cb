package dev.jfind.server.watch;

import java.time.Duration;
import java.time.Instant;

/**
 * How current the index is kept between crawls.
 *
 * @param watchedDirectories directories with an inotify watch
 * @param unwatchedDirectories directories that could not get one (watch budget or kernel
 *     limit): re-listed on a timer instead, so their changes show up late
 * @param eventsApplied file system events taken into the index so far
 * @param lastEvent when the last event arrived, or null
 * @param pendingDirectories directories waiting to be re-listed
 * @param degraded why answers may be stale right now, or null when they are not
 * @param budget most directories the daemon watches, and why
 * @param oldestUnwatchedListing when the unwatched directory listed longest ago was listed
 *     (no unwatched listing is older); null when every directory is watched
 * @param unwatchedRescanInterval how often unwatched directories are listed again
 */
public record WatchStats(long watchedDirectories, long unwatchedDirectories, long eventsApplied, Instant lastEvent,
        long pendingDirectories, String degraded, WatchBudget budget, Instant oldestUnwatchedListing,
        Duration unwatchedRescanInterval) {}
