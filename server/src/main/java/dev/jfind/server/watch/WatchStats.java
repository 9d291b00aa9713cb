package dev.jfind.server.watch;

import java.time.Instant;

/**
 * How current the index is kept between crawls.
 *
 * @param watchedDirectories directories with an inotify watch
 * @param unwatchedDirectories directories that could not get one (watch limit): re-listed
 *     on a timer instead, so their changes show up late
 * @param eventsApplied file system events taken into the index so far
 * @param lastEvent when the last event arrived, or null
 * @param pendingDirectories directories waiting to be re-listed
 * @param degraded why answers may be stale right now, or null when they are not
 */
public record WatchStats(long watchedDirectories, long unwatchedDirectories, long eventsApplied, Instant lastEvent,
        long pendingDirectories, String degraded) {}
