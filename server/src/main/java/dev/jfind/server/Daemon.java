package dev.jfind.server;

import dev.jfind.server.access.Visibility;
import dev.jfind.server.concurrent.NamedThreads;
import dev.jfind.server.config.ConfigChange;
import dev.jfind.server.config.DaemonConfig;
import dev.jfind.server.crawl.CrawlObserver;
import dev.jfind.server.crawl.CrawlStats;
import dev.jfind.server.fs.StateDirectory;
import dev.jfind.server.index.PathIndex;
import dev.jfind.server.metrics.DaemonMetrics;
import dev.jfind.server.rpc.AdminService;
import dev.jfind.server.rpc.Administration;
import dev.jfind.server.rpc.JfindService;
import dev.jfind.server.rpc.RpcServer;
import dev.jfind.server.rpc.ServerFactory;
import dev.jfind.server.rpc.StandardServices;
import dev.jfind.server.update.CrawlPlan;
import dev.jfind.server.update.CrawlScheduler;
import dev.jfind.server.update.LiveUpdates;
import dev.jfind.server.update.WatchSetup;
import dev.jfind.server.watch.DirectoryWatcher;
import dev.jfind.server.watch.InotifyLimits;
import dev.jfind.server.watch.WatchStats;
import io.grpc.BindableService;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The running daemon, in the shape of grpc-java's RouteGuideServer: constructed from its
 * configuration and the factory of the servers it serves through (Netty on the Unix socket and
 * TCP in production, {@link dev.jfind.server.rpc.NettyServers}; in-process in tests), then {@link #start},
 * {@link #stop}, {@link #awaitTermination}. Starts in the order that serves soonest (open the
 * index, serve it, then crawl) and stops in reverse, committing the index last.
 *
 * <p>The threads it runs, all daemon threads:
 * <ul>
 * <li>gRPC: the servers' event loops (Netty: two epoll threads) and gRPC's executor, which runs
 *     calls' callbacks and the status and admin RPCs;
 * <li>{@code jfind-search-N}: searches, at most {@value #MAX_CONCURRENT_SEARCHES} at once (more
 *     get RESOURCE_EXHAUSTED); {@code jfind-follow}: Follow calls, for as long as clients stay;
 * <li>{@code jfind-crawl-loop}: each crawl's coordinator, at start and every rescan interval;
 *     {@code jfind-crawl-progress}: its progress lines; {@code jfind-crawl-N}: the crawler's one
 *     pool of workers, which crawls and live updates share;
 * <li>{@code jfind-watch}: reads inotify events and applies them ({@link LiveUpdates}), when live
 *     updates are on;
 * <li>{@code jfind-index-maintenance}: the index's commit cadence and write retries;
 * <li>the metrics endpoint's HTTP threads, when metrics are on.
 * </ul>
 * The launcher ({@link Jfindd}) adds {@code jfind-reload} (SIGHUP), {@code jfind-state-guard}
 * and the shutdown hook {@code jfind-shutdown}.
 *
 * <p>Thread-safe: start and stop once each; reloads are serialized.
 */
public final class Daemon implements Administration {
    /** Searches at once; more get RESOURCE_EXHAUSTED rather than queueing without bound. */
    private static final int MAX_CONCURRENT_SEARCHES = 64;

    private final ServerFactory servers;
    private final Supplier<InotifyLimits> inotify;
    /** Null when this daemon has no configuration it can read again. */
    private final ConfigReload reloads;
    private final StandardServices standard = new StandardServices();
    /** Null when the metrics endpoint is off. */
    private final DaemonMetrics metrics;
    private final ExecutorService searches = new ThreadPoolExecutor(0, MAX_CONCURRENT_SEARCHES, 60, TimeUnit.SECONDS,
            new SynchronousQueue<>(), NamedThreads.numbered("jfind-search"));

    /** The configuration in force: what started, plus what reloads have applied since. */
    private DaemonConfig applied;
    // Set by start(); read after it returned.
    private volatile PathIndex index;
    private volatile CrawlScheduler crawls;
    private volatile DirectoryWatcher watcher;
    private volatile RpcServer rpc;

    /**
     * A daemon for {@code config}, served through {@code servers}, whose watch budget is computed
     * from {@code inotify} (the kernel's limits for this user, in production) and that reads its
     * configuration again through {@code reloads} (null: it cannot be reloaded). Starts nothing.
     */
    Daemon(DaemonConfig config, ServerFactory servers, Supplier<InotifyLimits> inotify, ConfigReload reloads) {
        this.applied = config;
        this.servers = servers;
        this.inotify = inotify;
        this.reloads = reloads;
        this.metrics = config.metrics() != null ? new DaemonMetrics() : null;
    }

    /** A daemon for {@code config} with the kernel's inotify limits and no reloads. */
    public Daemon(DaemonConfig config, ServerFactory servers) {
        this(config, servers, InotifyLimits::ofThisUser, null);
    }

    /**
     * Opens the index, starts serving it, and starts the first crawl in the background (one
     * that lists every directory again when the config asks for a full first crawl).
     *
     * @throws IOException if the index cannot be opened or an address cannot be bound; nothing
     *     is left running then
     */
    public synchronized void start() throws IOException {
        if (index != null) {
            throw new IllegalStateException("already started");
        }
        DaemonConfig config = applied;
        StateDirectory.prepare(config.stateDir());
        PathIndex index = PathIndex.open(config.indexDir());
        DirectoryWatcher watcher = null;
        try {
            watcher = WatchSetup.open(config, inotify);
            CrawlScheduler crawls = new CrawlScheduler(index, CrawlPlan.of(config), config.stateDir(), watcher,
                    metrics != null ? metrics.crawlObserver() : CrawlObserver.NONE);
            index.onRecovered(crawls::crawlSoon);
            // The index is open and searchable from here on: healthy before the first call.
            standard.serving();
            List<BindableService> services = new ArrayList<>();
            JfindService jfind = new JfindService(index, crawls::status, searches);
            services.add(metrics != null ? metrics.instrument(jfind) : jfind);
            services.addAll(standard.services());
            Visibility visibility = Visibility.forThisProcess();
            services.add(new AdminService(() -> this, visibility.indexOwner(), config.adminGroup()));
            try {
                if (metrics != null) {
                    metrics.serve(config.metrics(), crawls::status);
                }
                rpc = servers.start(services, visibility);
            } catch (IOException | RuntimeException e) {
                crawls.stop(); // never started: closes the crawler's pool
                throw e;
            }
            if (watcher != null) {
                watcher.start(new LiveUpdates(index, watcher, crawls::plan));
            }
            if (config.fullFirstCrawl()) {
                crawls.askFullCrawl();
            }
            crawls.start();
            this.watcher = watcher;
            this.crawls = crawls;
            this.index = index;
        } catch (IOException | RuntimeException e) {
            if (metrics != null) {
                metrics.close();
            }
            searches.shutdownNow();
            if (watcher != null) {
                watcher.close(); // its inotify descriptor and poller thread
            }
            index.close();
            throw e;
        }
    }

    /**
     * Applies a configuration read again (SIGHUP): changed roots, exclusions, threads or
     * rescan interval take effect with a new crawl that starts at once; a changed setting that
     * only a restart can apply is left as it is and named in the result.
     *
     * @return one line per thing done or left undone, for the log
     */
    synchronized List<String> reload(DaemonConfig next) {
        ConfigChange change = ConfigChange.between(applied, next);
        List<String> report = new ArrayList<>();
        for (String key : change.needRestart()) {
            report.add(key + " changed: takes effect after a restart");
        }
        if (change.crawlChanged()) {
            applied = change.liveApplied();
            crawls.replan(crawls.plan().next(applied));
            report.add("crawling again with " + String.join(", ", change.crawlKeys()) + " changed; roots "
                    + applied.roots());
        } else if (change.needRestart().isEmpty()) {
            report.add("nothing changed");
        }
        return report;
    }

    @Override
    public void startCrawl(boolean full) {
        System.err.println("jfindd: a " + (full ? "full crawl (every directory listed again)" : "crawl")
                + " was asked for (admin RPC)");
        if (full) {
            crawls.askFullCrawl();
        }
        crawls.crawlSoon();
    }

    /** Reads the configuration again and applies it (SIGHUP and the admin RPC). */
    @Override
    public List<String> reloadConfig() {
        if (reloads == null) {
            throw new IllegalStateException("this daemon was not started with a configuration it can read again");
        }
        return reloads.readAndApply(this::reload);
    }

    /** The TCP port actually bound (useful with port 0), or -1 without TCP. */
    int tcpPort() {
        return rpc.tcpPort();
    }

    /** The port of the metrics endpoint (useful with port 0), or -1 when it is off. */
    int metricsPort() {
        return metrics == null ? -1 : metrics.port();
    }

    PathIndex index() {
        return index;
    }

    /** The last finished crawl's counters, or null before the first. */
    CrawlStats.Snapshot lastCrawl() {
        return crawls.lastCrawl();
    }

    /** Live update figures, or null when live updates are off. */
    WatchStats watchStats() {
        DirectoryWatcher w = watcher;
        return w == null ? null : w.stats();
    }

    /**
     * Stops serving (running calls get a short grace), stops watching, ends the crawl,
     * commits and closes the index. Does nothing before {@link #start} has succeeded.
     */
    public synchronized void stop() {
        if (index == null) {
            return;
        }
        standard.stopping();
        crawls.requestStop(); // the crawl winds down while the rest stops
        rpc.stop(2_000);
        if (metrics != null) {
            metrics.close(); // before the index closes under its gauges
        }
        if (watcher != null) {
            try {
                watcher.close();
            } catch (IOException e) {
                System.err.println("jfindd: closing the watcher failed: " + e.getMessage());
            }
        }
        crawls.stop(); // after the watcher: live updates use the crawler's pool
        searches.shutdownNow();
        try {
            index.close();
        } catch (IOException e) {
            System.err.println("jfindd: closing the index failed: " + e.getMessage());
        }
    }

    /** Blocks until the servers have stopped (after {@link #stop}, or a shutdown hook's). */
    public void awaitTermination() throws InterruptedException {
        rpc.awaitTermination();
    }
}
