package dev.jfind.server.update;

import dev.jfind.server.concurrent.NamedThreads;
import dev.jfind.server.crawl.CrawlObserver;
import dev.jfind.server.crawl.CrawlStats;
import dev.jfind.server.crawl.ListingSink;
import dev.jfind.server.fs.InodeCount;
import dev.jfind.server.fs.MountTable;
import dev.jfind.server.fs.PathBytes;
import dev.jfind.server.index.PathIndex;
import dev.jfind.server.watch.DirectoryWatcher;
import dev.jfind.server.status.DaemonStatus;
import dev.jfind.server.watch.WatchingSink;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Runs a crawl at start and again every rescan interval after the previous one ended, on
 * its own thread, logging progress while it runs; a new {@link CrawlPlan} (a reload) ends the
 * running crawl early and starts one with the new plan at once. Fills the {@link DaemonStatus}
 * that the status RPC and the metrics read ({@link #status}).
 *
 * <p>Threads: {@code jfind-crawl-loop} (runs each crawl's coordinator), {@code
 * jfind-crawl-progress} (logs progress), and the crawler's workers ({@code jfind-crawl-N}),
 * whose pool {@link #stop} closes.
 *
 * <p>Thread-safe.
 */
public final class CrawlScheduler {
    private static final long PROGRESS_LOG_SECONDS = 10;

    private final PathIndex index;
    private volatile CrawlPlan plan;
    private final Path stateDir;
    /** Watches every directory the crawl enters; null when live updates are off. */
    private final DirectoryWatcher watcher;
    private final CrawlObserver observer;
    private final ScheduledThreadPoolExecutor thread = loopThread();
    private final ScheduledExecutorService progressLog =
            Executors.newSingleThreadScheduledExecutor(NamedThreads.single("jfind-crawl-progress"));
    private volatile CrawlStats running;
    /** Entries the running crawl is expected to see in all; 0 when not known. */
    private volatile long runningEstimate;
    private volatile CrawlStats.Snapshot last;
    private volatile boolean stopping;
    /** Set by {@link #replan}: the running crawl works from an old plan and should end. */
    private volatile boolean superseded;
    /**
     * A crawl that lists every directory again was asked for and has not completed yet: it
     * stays asked for through stopped and superseded crawls until one completes.
     */
    private volatile boolean fullAsked;
    /** The next periodic crawl; touched only on the loop thread. */
    private ScheduledFuture<?> next;

    public CrawlScheduler(PathIndex index, CrawlPlan plan, Path stateDir, DirectoryWatcher watcher, CrawlObserver observer) {
        this.index = index;
        this.watcher = watcher;
        this.plan = plan;
        this.observer = observer;
        this.stateDir = stateDir;
    }

    private static ScheduledThreadPoolExecutor loopThread() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, NamedThreads.single("jfind-crawl-loop"));
        // on stop, the next crawl (an hour away) is dropped, not waited for
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        return executor;
    }

    public void start() {
        thread.execute(this::crawlAndReschedule);
    }

    /** The plan crawls and live updates work from now. */
    public CrawlPlan plan() {
        return plan;
    }

    /**
     * Switches to {@code newPlan}: live updates use it at once; a running crawl is ended early
     * (what it wrote is kept) and a crawl with the new plan starts right after, in place of the
     * next periodic one.
     */
    public void replan(CrawlPlan newPlan) {
        plan = newPlan;
        superseded = true;
        thread.execute(() -> {
            // runs after the superseded crawl (if any) has rescheduled itself: one chain stays
            if (next != null) {
                next.cancel(false);
            }
            superseded = false;
            crawlAndReschedule();
        });
    }

    /** Asks a running crawl to end soon; {@link #stop} then waits for it. */
    public void requestStop() {
        stopping = true;
    }

    /**
     * Ends a running crawl early (what it wrote is kept and committed), stops the loop, and
     * closes the crawl workers' pool: call it after the watcher, whose updates use that pool,
     * has closed. The crawl is asked to stop, never interrupted: an interrupt inside the index
     * writer would close its files under it.
     */
    public void stop() {
        stopping = true;
        thread.shutdown();
        progressLog.shutdownNow();
        try {
            thread.awaitTermination(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        plan.crawler().close(); // the pool every plan's crawler shares
    }

    /**
     * Makes the next crawl to start (and the next ones, until one completes) list every
     * directory again instead of reusing the listings of unchanged ones: the way out when the
     * index is wrong in a way no listing's mtime or rules show. Called before {@link #start},
     * the first crawl is full.
     */
    public void askFullCrawl() {
        fullAsked = true;
    }

    /**
     * Crawls as soon as possible (now, or when the running crawl ends) instead of at the next
     * interval: after the index failed to take changes, what it missed must be found again.
     */
    public void crawlSoon() {
        if (stopping) {
            return;
        }
        try {
            thread.execute(() -> {
                // runs after a running crawl has rescheduled itself: one chain stays
                if (next != null) {
                    next.cancel(false);
                }
                crawlAndReschedule();
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // stopping
        }
    }

    private void crawlAndReschedule() {
        try {
            crawlOnce();
        } catch (InterruptedException e) {
            return;
        } catch (IOException | RuntimeException e) {
            if (index.writeFailure() == null) {
                System.err.println("jfindd: crawl failed, will retry at the next interval: " + e);
            } else {
                System.err.println("jfindd: crawl stopped: the index cannot be written now; it is crawled again when it can");
            }
        }
        if (!stopping) {
            next = thread.schedule(this::crawlAndReschedule, plan.interval().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** One full crawl into the index. */
    void crawlOnce() throws IOException, InterruptedException {
        CrawlPlan plan = this.plan;
        boolean full = fullAsked;
        CrawlStats stats = new CrawlStats();
        Instant started = Instant.now();
        running = stats;
        ScheduledFuture<?> progress = logProgressEvery(stats);
        PathIndex.CrawlSession session = null;
        boolean complete = false;
        try {
            index.retainOnlyRoots(plan.roots().stream().map(PathBytes::of).toList());
            session = index.startCrawl(plan.rules(), full);
            runningEstimate = session.intoEmptyIndex() ? firstCrawlEstimate(plan.roots()) : 0;
            if (watcher != null && session.intoEmptyIndex()) {
                // The first crawl adds entries without comparing; changes seen meanwhile wait
                // for it, then are applied by comparing.
                watcher.pause();
            }
            ListingSink sink = watcher == null ? session.sink() : new WatchingSink(session.sink(), watcher);
            // a crawl into a writer that failed (disk full) is lost anyway: stop, and crawl
            // again when the index is writable
            complete = plan.crawler().crawl(plan.roots(), sink, stats, () -> stopping || superseded || !index.writable());
        } finally {
            if (watcher != null) {
                watcher.resume();
            }
            progress.cancel(false);
            try {
                if (session != null) {
                    index.finishCrawl(session, started, complete);
                }
            } finally {
                last = stats.snapshot();
                running = null;
            }
        }
        if (full && complete) {
            fullAsked = false;
        }
        CrawlStats.Snapshot s = last;
        Duration took = Duration.between(started, Instant.now());
        observer.crawlEnded(s, took, complete && index.writable());
        if (!index.writable()) {
            System.err.println("jfindd: crawl stopped: the index cannot be written now; it is crawled again when it can");
            return;
        }
        System.err.printf("jfindd: %scrawl %s in %.1f s: %,d directories listed, %,d unchanged reused, %,d entries,"
                + " %,d unreadable, %,d excluded; index: %s%n", full ? "full " : "", complete ? "done" : "stopped",
                took.toMillis() / 1e3, s.directories(), s.reused(), s.entries(),
                s.unreadable(), s.excluded(), session.summary());
        if (watcher != null) {
            // the crawl registered watches in the order it met directories: give them to those
            // that change when the budget is short
            int moved = watcher.rebalance();
            if (moved > 0) {
                System.err.printf("jfindd: moved %,d watches to more recently changed directories%n", moved);
            }
        }
    }

    /**
     * The used inodes of the roots' file systems, when every root is a mount point (else the
     * count would include much that is not crawled). Only for a first crawl: a re-crawl
     * reuses unchanged directories without counting their entries, so it has no comparable total.
     */
    private static long firstCrawlEstimate(List<Path> roots) {
        MountTable mounts = MountTable.current();
        long total = 0;
        for (Path root : roots) {
            long used = mounts.typeAt(PathBytes.of(root)) == null ? -1 : InodeCount.used(root);
            if (used < 0) {
                return 0;
            }
            total += used;
        }
        return total;
    }

    private ScheduledFuture<?> logProgressEvery(CrawlStats stats) {
        return progressLog.scheduleAtFixedRate(() -> {
            CrawlStats.Snapshot s = stats.snapshot();
            double secs = Math.max(1e-3, Duration.between(s.started(), Instant.now()).toMillis() / 1e3);
            System.err.printf("jfindd: crawling: %,d entries in %,d directories (%,.0f/s)%n",
                    s.entries(), s.directories(), s.entries() / secs);
        }, PROGRESS_LOG_SECONDS, PROGRESS_LOG_SECONDS, TimeUnit.SECONDS);
    }

    /** The figures of the index, the crawls and live updates now. Thread-safe. */
    public DaemonStatus status() throws IOException {
        CrawlStats r = running; // read once: the crawl may end between two reads
        long estimate = runningEstimate;
        return new DaemonStatus(plan.roots().stream().map(PathBytes::of).toList(), stateDir,
                StatusRecords.index(index.facts()), r == null ? null : StatusRecords.crawl(r.snapshot()),
                r == null ? 0 : estimate, StatusRecords.crawl(last),
                watcher == null ? null : StatusRecords.watch(watcher.stats()));
    }

    /** The last finished crawl's counters, or null before the first. */
    public CrawlStats.Snapshot lastCrawl() {
        return last;
    }
}
