package dev.jfind.server.update;

import dev.jfind.server.config.DaemonConfig;
import dev.jfind.server.crawl.Crawler;
import dev.jfind.server.crawl.Exclusions;
import dev.jfind.server.fs.PathBytes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What the crawls and live updates work from: the roots, a crawler with the exclusion rules,
 * the rules' fingerprint (a change makes the next crawl list every directory), and the time
 * between crawls. Replaced as a whole when a reload changes any of them. Immutable.
 */
public record CrawlPlan(List<Path> roots, Crawler crawler, String rules, Duration interval) {

    public CrawlPlan {
        roots = List.copyOf(roots);
    }

    /** The plan for {@code config}, with a fresh crawler. */
    public static CrawlPlan of(DaemonConfig config) {
        Exclusions rules = exclusions(config);
        return new CrawlPlan(config.roots(), new Crawler(rules, config.threads()), rules.fingerprint(),
                config.rescanInterval());
    }

    /** The plan for {@code config} after a reload; its crawler shares this one's directory locks. */
    public CrawlPlan next(DaemonConfig config) {
        Exclusions rules = exclusions(config);
        return new CrawlPlan(config.roots(), crawler.withRules(rules, config.threads()), rules.fingerprint(),
                config.rescanInterval());
    }

    /**
     * The crawl rules: the config's own, the state directory (whose churn is no one's
     * business), and the machine's updatedb.conf when the config follows it.
     */
    public static Exclusions exclusions(DaemonConfig config) {
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
}
