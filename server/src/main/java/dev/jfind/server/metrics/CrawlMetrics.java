package dev.jfind.server.metrics;

import dev.jfind.server.crawl.CrawlObserver;
import dev.jfind.server.crawl.CrawlStats;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.time.Duration;

/**
 * How long crawls take: the one crawl figure that no status counter keeps, since the daemon
 * remembers only its last crawl.
 */
final class CrawlMetrics implements CrawlObserver {
    /** Seconds: a small tree crawls in a fraction of a second, a million unchanged files in a few, a large disk in minutes. */
    private static final double[] DURATION_BOUNDS = {0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600};

    private final Histogram durations;

    CrawlMetrics(PrometheusRegistry registry) {
        durations = Histogram.builder().name("jfind_crawl_duration_seconds").unit(Unit.SECONDS)
                .help("Crawls since the daemon started, by how long they took; outcome is complete, or stopped"
                        + " when one was ended early (the daemon stopping, or a reload)")
                .labelNames("outcome")
                .classicOnly().classicUpperBounds(DURATION_BOUNDS)
                .register(registry);
    }

    @Override
    public void crawlEnded(CrawlStats.Snapshot counters, Duration took, boolean complete) {
        durations.labelValues(complete ? "complete" : "stopped").observe(took.toNanos() / 1e9);
    }
}
