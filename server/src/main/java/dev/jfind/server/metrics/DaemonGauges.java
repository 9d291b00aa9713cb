package dev.jfind.server.metrics;

import dev.jfind.server.crawl.CrawlStats;
import dev.jfind.server.index.IndexFacts;
import dev.jfind.server.rpc.DaemonView;
import dev.jfind.server.watch.WatchStats;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Consumer;
import java.util.function.ToDoubleFunction;

/**
 * The figures that {@code jfind-client status} shows, as metrics: each is read from the
 * daemon when Prometheus scrapes, so nothing is counted twice. A figure the daemon does not
 * have (no crawl yet, live updates off) is left out of the scrape rather than reported as 0.
 */
final class DaemonGauges {
    private final DaemonView daemon;
    private final PrometheusRegistry registry;

    private DaemonGauges(DaemonView daemon, PrometheusRegistry registry) {
        this.daemon = daemon;
        this.registry = registry;
    }

    static void register(DaemonView daemon, PrometheusRegistry registry) {
        new DaemonGauges(daemon, registry).registerAll();
    }

    private void registerAll() {
        gauge("jfind_index_paths", "Paths in the index", null, fromFacts(IndexFacts::paths));
        gauge("jfind_index_size_bytes", "Size of the index files on disk", Unit.BYTES, fromFacts(IndexFacts::indexBytes));
        gauge("jfind_index_ready", "1 once a full crawl has completed into this index (status says ready), else 0",
                null, fromFacts(f -> f.firstCrawlComplete() ? 1 : 0));
        gauge("jfind_last_crawl_duration_seconds", "How long the last complete crawl took (kept across restarts)",
                Unit.SECONDS, sample -> {
                    IndexFacts f = facts();
                    if (f.lastCrawlDuration() != null) {
                        sample.accept(f.lastCrawlDuration().toNanos() / 1e9);
                    }
                });
        gauge("jfind_last_crawl_end_timestamp_seconds", "When the last complete crawl ended, Unix time",
                Unit.SECONDS, sample -> {
                    IndexFacts f = facts();
                    if (f.lastCrawlEnd() != null) {
                        sample.accept(f.lastCrawlEnd().toEpochMilli() / 1e3);
                    }
                });

        gauge("jfind_crawl_running", "1 while a crawl runs, else 0", null,
                sample -> sample.accept(daemon.runningCrawl() != null ? 1 : 0));
        gauge("jfind_crawl_entries", "Entries seen by the running crawl, or by the last one", null,
                fromCrawl(CrawlStats.Snapshot::entries));
        gauge("jfind_crawl_directories", "Directories listed by the running crawl, or by the last one", null,
                fromCrawl(CrawlStats.Snapshot::directories));
        gauge("jfind_crawl_unreadable_directories",
                "Directories the running crawl, or the last one, could not list (skipped and counted)", null,
                fromCrawl(CrawlStats.Snapshot::unreadable));

        gauge("jfind_watched_directories", "Directories with an inotify watch", null,
                fromWatch(WatchStats::watchedDirectories));
        gauge("jfind_unwatched_directories", "Directories past the watch limit, re-listed on a timer instead",
                null, fromWatch(WatchStats::unwatchedDirectories));
        gauge("jfind_pending_events", "Directories waiting to be listed again after file system events", null,
                fromWatch(WatchStats::pendingDirectories));
        gauge("jfind_degraded", "1 when answers may be stale (watch limit reached, lost events being repaired), else 0",
                null, fromWatch(w -> w.degraded() != null ? 1 : 0));
        CounterWithCallback.builder().name("jfind_events_applied")
                .help("File system events taken into the index since the daemon started")
                .callback(callback -> fromWatch(WatchStats::eventsApplied).accept(value -> callback.call(value)))
                .register(registry);
    }

    /** A gauge without labels whose sampler passes it at most one value per scrape. */
    private void gauge(String name, String help, Unit unit, Consumer<Sample> sampler) {
        GaugeWithCallback.Builder builder = GaugeWithCallback.builder().name(name).help(help)
                .callback(callback -> sampler.accept(value -> callback.call(value)));
        if (unit != null) {
            builder.unit(unit);
        }
        builder.register(registry);
    }

    private Consumer<Sample> fromFacts(ToDoubleFunction<IndexFacts> figure) {
        return sample -> sample.accept(figure.applyAsDouble(facts()));
    }

    private Consumer<Sample> fromCrawl(ToDoubleFunction<CrawlStats.Snapshot> figure) {
        return sample -> {
            CrawlStats.Snapshot crawl = daemon.runningCrawl();
            if (crawl == null) {
                crawl = daemon.lastCrawl();
            }
            if (crawl != null) {
                sample.accept(figure.applyAsDouble(crawl));
            }
        };
    }

    private Consumer<Sample> fromWatch(ToDoubleFunction<WatchStats> figure) {
        return sample -> {
            WatchStats watch = daemon.watch();
            if (watch != null) {
                sample.accept(figure.applyAsDouble(watch));
            }
        };
    }

    private IndexFacts facts() {
        try {
            return daemon.facts();
        } catch (IOException e) {
            // the scrape fails with this message rather than reporting a made-up figure
            throw new UncheckedIOException("cannot read the index's figures", e);
        }
    }

    /** Where a sampler puts its value. */
    private interface Sample {
        void accept(double value);
    }
}
