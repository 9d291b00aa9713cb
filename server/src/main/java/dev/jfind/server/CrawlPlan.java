package dev.jfind.server;

import dev.jfind.server.config.DaemonConfig;
import dev.jfind.server.crawl.Crawler;
import dev.jfind.server.crawl.Exclusions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What the crawls and live updates work from: the roots, a crawler with the exclusion rules,
 * the rules' fingerprint (a change makes the next crawl list every directory), and the time
 * between crawls. Replaced as a whole when a reload changes any of them. Immutable.
 */
record CrawlPlan(List<Path> roots, Crawler crawler, String rules, Duration interval) {

    CrawlPlan {
        roots = List.copyOf(roots);
    }

    /** The plan for {@code config}, with a fresh crawler. */
    static CrawlPlan of(DaemonConfig config) {
        Exclusions rules = Daemon.exclusions(config);
        return new CrawlPlan(config.roots(), new Crawler(rules, config.threads()), rules.fingerprint(),
                config.rescanInterval());
    }

    /** The plan for {@code config} after a reload; its crawler shares this one's directory locks. */
    CrawlPlan next(DaemonConfig config) {
        Exclusions rules = Daemon.exclusions(config);
        return new CrawlPlan(config.roots(), crawler.withRules(rules, config.threads()), rules.fingerprint(),
                config.rescanInterval());
    }
}
