package dev.jfind.server.metrics;

import dev.jfind.server.status.DaemonStatus;
import dev.jfind.server.status.StatusSupplier;
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
    private final StatusSupplier daemon;
    private final PrometheusRegistry registry;

    private DaemonGauges(StatusSupplier daemon, PrometheusRegistry registry) {
        this.daemon = daemon;
        this.registry = registry;
    }

    static void register(StatusSupplier daemon, PrometheusRegistry registry) {
        new DaemonGauges(daemon, registry).registerAll();
    }

    private void registerAll() {
        gauge("jfind_index_paths", "Paths in the index", null, fromFacts(DaemonStatus.Index::paths));
        gauge("jfind_index_size_bytes", "Size of the index files on disk", Unit.BYTES, fromFacts(DaemonStatus.Index::indexBytes));
        gauge("jfind_index_ready", "1 once a full crawl has completed into this index (status says ready), else 0",
                null, fromFacts(f -> f.firstCrawlComplete() ? 1 : 0));
        gauge("jfind_last_crawl_duration_seconds", "How long the last complete crawl took (kept across restarts)",
                Unit.SECONDS, sample -> {
                    DaemonStatus.Index f = facts();
                    if (f.lastCrawlDuration() != null) {
                        sample.accept(f.lastCrawlDuration().toNanos() / 1e9);
                    }
                });
        gauge("jfind_last_crawl_end_timestamp_seconds", "When the last complete crawl ended, Unix time",
                Unit.SECONDS, sample -> {
                    DaemonStatus.Index f = facts();
                    if (f.lastCrawlEnd() != null) {
                        sample.accept(f.lastCrawlEnd().toEpochMilli() / 1e3);
                    }
                });

        gauge("jfind_crawl_running", "1 while a crawl runs, else 0", null,
                sample -> sample.accept(status().runningCrawl() != null ? 1 : 0));
        gauge("jfind_crawl_entries", "Entries seen by the running crawl, or by the last one", null,
                fromCrawl(DaemonStatus.Crawl::entries));
        gauge("jfind_crawl_directories", "Directories listed by the running crawl, or by the last one", null,
                fromCrawl(DaemonStatus.Crawl::directories));
        gauge("jfind_crawl_unreadable_directories",
                "Directories the running crawl, or the last one, could not list (skipped and counted)", null,
                fromCrawl(DaemonStatus.Crawl::unreadable));

        gauge("jfind_watched_directories", "Directories with an inotify watch", null,
                fromWatch(DaemonStatus.Watch::watchedDirectories));
        gauge("jfind_unwatched_directories", "Directories past the watch limit, re-listed on a timer instead",
                null, fromWatch(DaemonStatus.Watch::unwatchedDirectories));
        gauge("jfind_pending_events", "Directories waiting to be listed again after file system events", null,
                fromWatch(DaemonStatus.Watch::pendingDirectories));
        gauge("jfind_degraded", "1 when answers may be stale (watch limit reached, lost events being repaired), else 0",
                null, fromWatch(w -> w.degraded() != null ? 1 : 0));
        CounterWithCallback.builder().name("jfind_events_applied")
                .help("File system events taken into the index since the daemon started")
                .callback(callback -> fromWatch(DaemonStatus.Watch::eventsApplied).accept(value -> callback.call(value)))
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

    private Consumer<Sample> fromFacts(ToDoubleFunction<DaemonStatus.Index> figure) {
        return sample -> sample.accept(figure.applyAsDouble(facts()));
    }

    private Consumer<Sample> fromCrawl(ToDoubleFunction<DaemonStatus.Crawl> figure) {
        return sample -> {
            DaemonStatus.Crawl crawl = status().crawl();
            if (crawl != null) {
                sample.accept(figure.applyAsDouble(crawl));
            }
        };
    }

    private Consumer<Sample> fromWatch(ToDoubleFunction<DaemonStatus.Watch> figure) {
        return sample -> {
            DaemonStatus.Watch watch = status().watch();
            if (watch != null) {
                sample.accept(figure.applyAsDouble(watch));
            }
        };
    }

    private DaemonStatus.Index facts() {
        return status().index();
    }

    private DaemonStatus status() {
        try {
            return daemon.get();
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
