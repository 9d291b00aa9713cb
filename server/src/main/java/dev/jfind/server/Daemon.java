package dev.jfind.server;

import dev.jfind.server.config.ConfigChange;
import dev.jfind.server.config.DaemonConfig;
import dev.jfind.server.access.Visibility;
import dev.jfind.server.crawl.CrawlObserver;
import dev.jfind.server.crawl.Crawler;
import dev.jfind.server.crawl.Exclusions;
import dev.jfind.server.fs.PathBytes;
import dev.jfind.server.index.PathIndex;
import dev.jfind.server.metrics.DaemonMetrics;
import dev.jfind.server.rpc.JfindService;
import dev.jfind.server.rpc.RpcServer;
import dev.jfind.server.rpc.Administration;
import dev.jfind.server.rpc.AdminService;
import dev.jfind.server.rpc.StandardServices;
import dev.jfind.server.watch.DirectoryWatcher;
import io.grpc.BindableService;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The running daemon: builds the object graph and owns its life. Starts in the order that
 * serves soonest (open the index, serve it, then crawl) and stops in reverse, committing the
 * index last.
 */
public final class Daemon implements Administration {
    /** Searches at once; more get RESOURCE_EXHAUSTED rather than queueing without bound. */
    private static final int MAX_CONCURRENT_SEARCHES = 64;

    private final PathIndex index;
    private final CrawlLoop crawls;
    private final DirectoryWatcher watcher;
    private final RpcServer rpc;
    private final ExecutorService searches;
    private final StandardServices standard;
    /** Null when the metrics endpoint is off. */
    private final DaemonMetrics metrics;
    /** The configuration in force: what started, plus what reloads have applied since. */
    private DaemonConfig applied;

    private Daemon(DaemonConfig config, PathIndex index, CrawlLoop crawls, DirectoryWatcher watcher, RpcServer rpc,
            ExecutorService searches, StandardServices standard, DaemonMetrics metrics) {
        this.applied = config;
        this.index = index;
        this.crawls = crawls;
        this.watcher = watcher;
        this.rpc = rpc;
        this.searches = searches;
        this.standard = standard;
        this.metrics = metrics;
    }

    /** Opens the index, starts serving it, and starts the first crawl in the background. */
    static Daemon start(DaemonConfig config) throws IOException {
        return start(config, /* fullFirstCrawl= */ false);
    }

    /** {@link #start(DaemonConfig)}; with {@code fullFirstCrawl}, the first crawl lists every directory again. */
    static Daemon start(DaemonConfig config, boolean fullFirstCrawl) throws IOException {
        return start(config.toBuilder().fullFirstCrawl(fullFirstCrawl).build(), dev.jfind.server.watch.InotifyLimits::ofThisUser, fullFirstCrawl);
    }

    /** As {@link #start(DaemonConfig)}, with the inotify limits the watch budget is computed from. */
    static Daemon start(DaemonConfig config, Supplier<dev.jfind.server.watch.InotifyLimits> inotify) throws IOException {
        return start(config, inotify, /* fullFirstCrawl= */ false);
    }

    private static Daemon start(DaemonConfig config, Supplier<dev.jfind.server.watch.InotifyLimits> inotify,
            boolean fullFirstCrawl) throws IOException {
        StateDirectory.prepare(config.stateDir());
        PathIndex index = PathIndex.open(config.indexDir());
        try {
            DirectoryWatcher watcher = WatchSetup.open(config, inotify);
            DaemonMetrics metrics = config.metrics() != null ? new DaemonMetrics() : null;
            CrawlLoop crawls = new CrawlLoop(index, CrawlPlan.of(config), config.stateDir(), watcher,
                    metrics != null ? metrics.crawlObserver() : CrawlObserver.NONE);
            index.onRecovered(crawls::crawlSoon);
            ExecutorService searches = new ThreadPoolExecutor(0, MAX_CONCURRENT_SEARCHES, 60, TimeUnit.SECONDS,
                    new SynchronousQueue<>(), new Named("jfind-search"));
            // The index is open and searchable from here on: healthy before the first call.
            StandardServices standard = new StandardServices();
            standard.serving();
            List<BindableService> services = new ArrayList<>();
            JfindService jfind = new JfindService(index, crawls, searches);
            services.add(metrics != null ? metrics.instrument(jfind) : jfind);
            services.addAll(standard.services());
            Visibility visibility = Visibility.forThisProcess();
            Daemon[] self = new Daemon[1]; // the admin RPCs reach the daemon once it exists
            services.add(new AdminService(() -> self[0], visibility.indexOwner(), config.adminGroup()));
            RpcServer rpc;
            try {
                if (metrics != null) {
                    metrics.serve(config.metrics(), crawls);
                }
                rpc = RpcServer.start(config.socket(), config.socketMode(), config.listen(),
                        config.tcpSecurity(),
                        services, visibility);
            } catch (IOException | RuntimeException e) {
                if (metrics != null) {
                    metrics.close();
                }
                searches.shutdownNow();
                if (watcher != null) {
                    watcher.close(); // its inotify descriptor and poller thread
                }
                throw e;
            }
            if (watcher != null) {
                watcher.start(new LiveUpdates(index, watcher, crawls::plan));
            }
            if (fullFirstCrawl) {
                crawls.askFullCrawl();
            }
            crawls.start();
            self[0] = new Daemon(config, index, crawls, watcher, rpc, searches, standard, metrics);
            return self[0];
        } catch (IOException | RuntimeException e) {
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

    /** Where reloads read the configuration again; null until the launcher sets it. */
    private volatile Supplier<List<String>> reloader;

    /** Lets {@link #reloadConfig()} (the admin RPC) read the configuration as SIGHUP does. */
    void reloadWith(Supplier<List<String>> reloader) {
        this.reloader = reloader;
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

    @Override
    public List<String> reloadConfig() {
        Supplier<List<String>> r = reloader;
        if (r == null) {
            throw new IllegalStateException("this daemon was not started with a configuration it can read again");
        }
        return r.get();
    }


    /**
     * The crawl rules: the config's own, the state directory (whose churn is no one's
     * business), and the machine's updatedb.conf when the config follows it.
     */
    static Exclusions exclusions(DaemonConfig config) {
        Exclusions.Builder rules = Exclusions.builder(
                config.roots().stream().map(r -> PathBytes.of(r.toAbsolutePath().normalize())).toList());
        config.excludePaths().forEach(p -> rules.leaveOutPath(PathBytes.of(p.toAbsolutePath().normalize()),
                "exclude_path (--exclude-path)"));
        rules.leaveOutPath(PathBytes.of(config.stateDir().toAbsolutePath().normalize()), "the state directory");
        config.excludeNames().forEach(n -> rules.leaveOutName(n.getBytes(StandardCharsets.UTF_8),
                "exclude_name (--exclude-name)"));
        config.excludeFsTypes().forEach(t -> rules.skipFsType(t, "exclude_fs (--exclude-fs)"));
        if (config.updatedb() != null) {
            rules.updatedb(config.updatedb());
        }
        return rules.build();
    }

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
    dev.jfind.server.crawl.CrawlStats.Snapshot lastCrawl() {
        return crawls.lastCrawl();
    }

    /** Live update figures, or null when live updates are off. */
    dev.jfind.server.watch.WatchStats watchStats() {
        return watcher == null ? null : watcher.stats();
    }

    /**
     * Stops serving (running calls get a short grace), stops watching, ends the crawl,
     * commits and closes the index.
     */
    void stop() {
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
        crawls.stop();
        searches.shutdownNow();
        try {
            index.close();
        } catch (IOException e) {
            System.err.println("jfindd: closing the index failed: " + e.getMessage());
        }
    }

    void awaitTermination() throws InterruptedException {
        rpc.awaitTermination();
    }

    private static final class Named implements java.util.concurrent.ThreadFactory {
        private final String prefix;
        private final AtomicInteger next = new AtomicInteger();

        Named(String prefix) {
            this.prefix = prefix;
        }

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, prefix + "-" + next.incrementAndGet());
            t.setDaemon(true);
            return t;
        }
    }
}
