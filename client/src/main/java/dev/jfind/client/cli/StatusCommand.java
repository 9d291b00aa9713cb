package dev.jfind.client.cli;

import dev.jfind.api.v1.GetStatusResponse;
import dev.jfind.api.v1.IndexState;
import dev.jfind.api.v1.WatchStatus;
import dev.jfind.client.JfindClient;
import io.grpc.StatusRuntimeException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code jfind-client status}: the index's state, for a person or (--json) for a program. */
@Command(name = "status", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Show the state of the daemon's index: ready or still crawling, paths, size, last crawl.")
final class StatusCommand implements Callable<Integer> {
    private static final long TIMEOUT_MILLIS = 10_000;

    @ParentCommand
    JfindCli parent;

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--json", description = "Print one JSON object (keys: state, paths, index_bytes,"
            + " last_crawl_seconds, last_crawl_end, crawl_running, crawl_directories, crawl_entries,"
            + " unreadable_directories, watched_directories, unwatched_directories, events_applied,"
            + " last_event_time, pending_events, degraded, watch_budget, watch_budget_source,"
            + " unwatched_rescan_seconds, oldest_unwatched_listing_time, index_write_error, index_write_error_since, roots,"
            + " daemon_version, crawl_estimated_entries; figures_withheld when counts are hidden from you).")
    boolean json;

    @Option(names = "--progress", description = "While a crawl runs, show its progress bar and keep it current"
            + " (redrawn in place on a terminal) until the crawl ends; then print the status.")
    boolean progress;

    @Override
    public Integer call() {
        PrintWriter out = new PrintWriter(new java.io.OutputStreamWriter(parent.out, StandardCharsets.UTF_8));
        try (JfindClient client = connection.connect(parent.connection, parent.env)) {
            GetStatusResponse status;
            try {
                status = client.status(TIMEOUT_MILLIS);
                if (progress && !json) {
                    status = followProgress(client, status, out);
                }
            } catch (StatusRuntimeException e) {
                return Failures.report(e, client.target(), parent.err);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Exit.ERROR;
            }
            out.print(json ? json(status) : human(status, client.target()));
            out.flush();
            return Exit.FOUND;
        }
    }

    /** Redraws the progress line until no crawl runs; returns the last status. */
    private GetStatusResponse followProgress(JfindClient client, GetStatusResponse status, PrintWriter out)
            throws InterruptedException {
        boolean terminal = TerminalQuoting.stdoutIsTerminal();
        long every = terminal ? 500 : 5_000;
        boolean drew = false;
        while (status.getCrawlRunning()) {
            String line = "crawling: " + progressLine(status, Instant.now());
            out.print(terminal ? "\r" + line + "\033[K" : line + "\n");
            out.flush();
            drew = true;
            Thread.sleep(every);
            status = client.status(TIMEOUT_MILLIS);
        }
        if (drew && terminal) {
            out.print("\r\033[K");
        }
        return status;
    }

    /**
     * One line for a running crawl: a bar and percentage when the daemon has an estimate of
     * the total, the count and rate always, and the time left at that rate.
     */
    static String progressLine(GetStatusResponse s, Instant now) {
        if (s.getFiguresWithheld()) {
            return "crawling (how far is shown only to those who see every path)";
        }
        long entries = s.getCrawl().getEntries();
        double secs = Math.max(0.001, (now.toEpochMilli() - s.getCrawl().getStartTime().getSeconds() * 1000
                - s.getCrawl().getStartTime().getNanos() / 1_000_000) / 1000.0);
        double rate = entries / secs;
        long estimate = s.getCrawl().getEstimatedEntries();
        if (estimate <= 0) {
            return String.format("%,d entries in %,d directories so far, %,.0f/s", entries,
                    s.getCrawl().getDirectories(), rate);
        }
        double done = Math.min(1.0, (double) entries / estimate);
        int width = 24;
        int filled = (int) Math.round(done * width);
        String left = rate > 0 && entries < estimate
                ? String.format(", about %s left", duration((estimate - entries) / rate)) : "";
        return String.format("[%s%s] %3.0f%% %,d of ~%,d entries, %,.0f/s%s", "#".repeat(filled),
                ".".repeat(width - filled), done * 100, entries, estimate, rate, left);
    }

    private static String duration(double seconds) {
        if (seconds < 90) {
            return String.format("%.0f s", Math.ceil(seconds));
        }
        if (seconds < 5400) {
            return String.format("%.0f min", Math.ceil(seconds / 60));
        }
        return String.format("%.1f h", seconds / 3600);
    }

    static String state(GetStatusResponse s) {
        return s.getState() == IndexState.INDEX_STATE_READY ? "ready" : "crawling";
    }

    static double lastCrawlSeconds(GetStatusResponse s) {
        return s.getLastCrawlDuration().getSeconds() + s.getLastCrawlDuration().getNanos() / 1e9;
    }

    static String json(GetStatusResponse s) {
        Json j = new Json();
        j.field("state", state(s));
        if (s.getFiguresWithheld()) {
            // counts of paths would tell a caller how many are hidden from them
            j.nullField("paths");
            j.nullField("index_bytes");
            j.field("figures_withheld", true);
        } else {
            j.field("paths", s.getPaths());
            j.field("index_bytes", s.getIndexBytes());
        }
        if (s.hasLastCrawlDuration()) {
            j.field("last_crawl_seconds", lastCrawlSeconds(s));
            j.field("last_crawl_end", Instant.ofEpochSecond(s.getLastCrawlEndTime().getSeconds()).toString());
        } else {
            j.nullField("last_crawl_seconds");
            j.nullField("last_crawl_end");
        }
        j.field("crawl_running", s.getCrawlRunning());
        count(j, s, "crawl_directories", s.getCrawl().getDirectories());
        count(j, s, "crawl_entries", s.getCrawl().getEntries());
        count(j, s, "unreadable_directories", s.getCrawl().getUnreadableDirectories());
        count(j, s, "crawl_estimated_entries", s.getCrawl().getEstimatedEntries());
        if (s.hasWatch()) {
            WatchStatus w = s.getWatch();
            count(j, s, "watched_directories", w.getWatchedDirectories());
            count(j, s, "unwatched_directories", w.getUnwatchedDirectories());
            count(j, s, "events_applied", w.getEventsApplied());
            if (w.hasLastEventTime()) {
                j.field("last_event_time", Instant.ofEpochSecond(w.getLastEventTime().getSeconds(),
                        w.getLastEventTime().getNanos()).toString());
            } else {
                j.nullField("last_event_time");
            }
            count(j, s, "pending_events", w.getPendingDirectories());
            count(j, s, "watch_budget", w.getWatchBudget());
            if (s.getFiguresWithheld()) {
                j.nullField("watch_budget_source");
            } else {
                j.field("watch_budget_source", w.getWatchBudgetSource());
            }
            j.field("unwatched_rescan_seconds", w.getUnwatchedRescanInterval().getSeconds());
            if (w.hasOldestUnwatchedListingTime()) {
                j.field("oldest_unwatched_listing_time", Instant.ofEpochSecond(
                        w.getOldestUnwatchedListingTime().getSeconds()).toString());
            } else {
                j.nullField("oldest_unwatched_listing_time");
            }
            j.field("degraded", w.getDegraded());
            if (w.getDegraded()) {
                j.field("degraded_reason", w.getDegradedReason());
            }
        }
        if (s.getIndexWriteError().isEmpty()) {
            j.nullField("index_write_error");
            j.nullField("index_write_error_since");
        } else {
            j.field("index_write_error", s.getIndexWriteError());
            j.field("index_write_error_since", Instant.ofEpochSecond(s.getIndexWriteErrorSince().getSeconds()).toString());
        }
        j.stringArray("roots", s.getRootsList().stream().map(r -> r.toString(StandardCharsets.UTF_8)).toList());
        j.field("daemon_version", s.getDaemonVersion());
        return j.end() + "\n";
    }

    /** A count, or null when the daemon withholds counts from this caller. */
    private static void count(Json j, GetStatusResponse s, String key, long value) {
        if (s.getFiguresWithheld()) {
            j.nullField(key);
        } else {
            j.field(key, value);
        }
    }

    static String human(GetStatusResponse s, String target) {
        StringBuilder b = new StringBuilder();
        line(b, "state", s.getState() == IndexState.INDEX_STATE_READY
                ? "ready" : "crawling (first crawl not complete: answers may be incomplete)");
        if (s.getFiguresWithheld()) {
            line(b, "paths", "not shown: you do not see every indexed path (root does)");
        } else {
            line(b, "paths", String.format("%,d", s.getPaths()));
            line(b, "index size", String.format("%s (%s bytes per path)", bytes(s.getIndexBytes()),
                    s.getPaths() == 0 ? "-" : Long.toString(s.getIndexBytes() / s.getPaths())));
        }
        if (s.hasLastCrawlDuration()) {
            String end = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault())
                    .format(Instant.ofEpochSecond(s.getLastCrawlEndTime().getSeconds()));
            line(b, "last crawl", String.format("%s, took %.1f s", end, lastCrawlSeconds(s)));
        } else {
            line(b, "last crawl", "none complete yet");
        }
        if (s.getCrawlRunning()) {
            line(b, "crawling now", progressLine(s, Instant.now()));
        }
        if (s.getCrawl().getUnreadableDirectories() > 0) {
            line(b, "unreadable", String.format("%,d directories skipped (no permission or gone)",
                    s.getCrawl().getUnreadableDirectories()));
        }
        if (s.hasWatch()) {
            WatchStatus w = s.getWatch();
            String last = w.hasLastEventTime()
                    ? ", last " + DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault())
                            .format(Instant.ofEpochSecond(w.getLastEventTime().getSeconds()))
                    : "";
            if (s.getFiguresWithheld()) {
                line(b, "live updates", "on" + last);
            } else {
                line(b, "live updates", String.format("%,d directories watched, %,d events applied%s%s",
                        w.getWatchedDirectories(), w.getEventsApplied(), last,
                        w.getPendingDirectories() > 0 ? String.format(", %,d pending", w.getPendingDirectories()) : ""));
            }
            if (w.hasOldestUnwatchedListingTime()) {
                line(b, "unwatched", unwatched(s, Instant.now()));
            }
            if (w.getDegraded()) {
                line(b, "degraded", w.getDegradedReason());
            }
        } else {
            line(b, "live updates", "off (changes show at the next crawl)");
        }
        if (!s.getIndexWriteError().isEmpty()) {
            String since = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault())
                    .format(Instant.ofEpochSecond(s.getIndexWriteErrorSince().getSeconds()));
            line(b, "write error", s.getIndexWriteError() + " (since " + since
                    + "; serving the index as last written, retrying)");
        }
        line(b, "roots", String.join(" ", s.getRootsList().stream().map(r -> r.toString(StandardCharsets.UTF_8)).toList()));
        line(b, "daemon", "jfindd " + s.getDaemonVersion() + " at " + target);
        return b.toString();
    }

    /**
     * Directories past the watch budget: how many, the budget, and how fresh their listings
     * are (they are listed again on a timer, not watched).
     */
    static String unwatched(GetStatusResponse s, Instant now) {
        WatchStatus w = s.getWatch();
        double age = Math.max(0, now.getEpochSecond() - w.getOldestUnwatchedListingTime().getSeconds());
        String fresh = String.format("listed again every %s, the oldest listing %s old",
                duration(w.getUnwatchedRescanInterval().getSeconds()), duration(age));
        if (s.getFiguresWithheld()) {
            return "some directories have no watch (budget reached): " + fresh;
        }
        return String.format("%,d directories have no watch (watch budget %,d: %s): %s",
                w.getUnwatchedDirectories(), w.getWatchBudget(), w.getWatchBudgetSource(), fresh);
    }

    private static void line(StringBuilder b, String key, String value) {
        b.append(String.format("%-13s %s%n", key + ":", value));
    }

    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format("%.1f %s", v, units[u]);
    }
}
