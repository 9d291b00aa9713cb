package dev.jfind.server.index;

import dev.jfind.server.concurrent.NamedThreads;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * When {@link PathIndex} refreshes its searchers and commits: the cadence, on one
 * background thread. Searches see changes within {@link #REFRESH_MILLIS}, and a crash loses
 * at most {@link #COMMIT_MILLIS} of them. What a refresh or a commit does, and what it does
 * when writes fail, stays with the index, the owner of the writer.
 *
 * <p>Thread-safe.
 */
final class Upkeep {
    private static final long REFRESH_MILLIS = 100;
    private static final long COMMIT_MILLIS = 5_000;
    /**
     * While the first crawl fills an empty index, refresh rarely: each refresh flushes a
     * small segment that must be merged later (1M files: 8.2 s with 10 s, 9.6-10.5 s with 1 s).
     */
    private static final long BULK_REFRESH_MILLIS = 10_000;

    private final ScheduledExecutorService thread =
            Executors.newSingleThreadScheduledExecutor(NamedThreads.single("jfind-index-maintenance"));
    private final BooleanSupplier refresh;
    private volatile boolean bulkWriting;
    private volatile long lastRefreshNanos = System.nanoTime();

    /**
     * Starts the thread at once.
     *
     * @param refresh refreshes the searchers; true if it did (it may decline: writes failing)
     * @param commit commits what changed, or recovers from failed writes
     */
    Upkeep(BooleanSupplier refresh, Runnable commit) {
        this.refresh = refresh;
        thread.scheduleWithFixedDelay(this::refreshIfDue, REFRESH_MILLIS, REFRESH_MILLIS, TimeUnit.MILLISECONDS);
        thread.scheduleWithFixedDelay(commit, COMMIT_MILLIS, COMMIT_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Whether a crawl is filling an empty index: refresh rarely meanwhile. */
    void bulkWriting(boolean bulk) {
        bulkWriting = bulk;
    }

    private void refreshIfDue() {
        long interval = bulkWriting ? BULK_REFRESH_MILLIS : REFRESH_MILLIS;
        if (System.nanoTime() - lastRefreshNanos < TimeUnit.MILLISECONDS.toNanos(interval)) {
            return;
        }
        if (refresh.getAsBoolean()) {
            lastRefreshNanos = System.nanoTime();
        }
    }

    /**
     * Stops the thread, letting a running refresh or commit finish. Never interrupts it: an
     * interrupt closes Lucene's file channels under a writing thread and invalidates the
     * index lock.
     */
    void stop() {
        thread.shutdown();
        try {
            thread.awaitTermination(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
