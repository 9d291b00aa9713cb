package dev.jfind.server;

import dev.jfind.server.rpc.NettyServers;
import dev.jfind.server.config.DaemonConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.jfind.api.v1.SearchRequest;
import dev.jfind.client.JfindClient;
import dev.jfind.server.metrics.Scrape;
import dev.jfind.server.testing.Await;
import dev.jfind.server.testing.Trees;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon with {@code --metrics} on loopback port 0, scraped over HTTP as Prometheus
 * would: every documented metric is served, and the figures move with what the daemon does.
 */
class MetricsEndpointTest {
    /** Every metric README lists, with its type. */
    private static final Map<String, String> DOCUMENTED = Map.ofEntries(
            Map.entry("jfind_queries_total", "counter"),
            Map.entry("jfind_query_duration_seconds", "histogram"),
            Map.entry("jfind_results_streamed_total", "counter"),
            Map.entry("jfind_index_paths", "gauge"),
            Map.entry("jfind_index_size_bytes", "gauge"),
            Map.entry("jfind_index_ready", "gauge"),
            Map.entry("jfind_crawl_duration_seconds", "histogram"),
            Map.entry("jfind_last_crawl_duration_seconds", "gauge"),
            Map.entry("jfind_last_crawl_end_timestamp_seconds", "gauge"),
            Map.entry("jfind_crawl_running", "gauge"),
            Map.entry("jfind_crawl_entries", "gauge"),
            Map.entry("jfind_crawl_directories", "gauge"),
            Map.entry("jfind_crawl_unreadable_directories", "gauge"),
            Map.entry("jfind_watched_directories", "gauge"),
            Map.entry("jfind_unwatched_directories", "gauge"),
            Map.entry("jfind_pending_events", "gauge"),
            Map.entry("jfind_degraded", "gauge"),
            Map.entry("jfind_events_applied_total", "counter"));
    private static final String SEARCH_OK = "jfind_queries_total{code=\"OK\",rpc=\"Search\"}";

    @TempDir
    Path tmp;
    private Daemon daemon;
    private JfindClient client;

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        if (daemon != null) {
            daemon.stop();
        }
    }

    private Path start(boolean watch, InetSocketAddress metrics) throws Exception {
        Path root = Files.createDirectories(tmp.resolve("tree/docs/old"));
        Files.createFile(root.resolve("report-2024.txt"));
        Files.createFile(root.resolve("notes.txt"));
        Files.createDirectories(tmp.resolve("tree/src"));
        DaemonConfig config = DaemonConfig.builder().roots(List.of(tmp.resolve("tree"))).stateDir(tmp.resolve("state"))
                .socket(tmp.resolve("jfind.sock")).threads(2).watch(watch).watchLimit(Long.MAX_VALUE)
                .unwatchedRescanInterval(Duration.ofMinutes(15)).metrics(metrics).build();
        daemon = new Daemon(config, NettyServers.of(config));
        daemon.start();
        client = JfindClient.connect(tmp.resolve("jfind.sock"));
        Await.upTo(Duration.ofSeconds(30)).until("the first crawl", () -> daemon.index().firstCrawlComplete());
        return tmp.resolve("tree");
    }

    private String url() {
        return "http://127.0.0.1:" + daemon.metricsPort() + "/metrics";
    }

    /** Scrapes until {@code done} holds: the daemon counts a call's end just after the client sees it. */
    private Scrape scrapeUntil(Predicate<Scrape> done, String what) throws Exception {
        return Await.upTo(Duration.ofSeconds(30)).until(what, () -> Scrape.get(url()), done, s -> "scrape\n" + s);
    }

    private long search(String pattern) {
        long n = 0;
        try (JfindClient.Results results = client.search(SearchRequest.newBuilder()
                .addPatterns(ByteString.copyFromUtf8(pattern)).build())) {
            while (results.hasNext()) {
                results.next();
                n++;
            }
        }
        return n;
    }

    @Test
    void servesEveryDocumentedMetricAndTheyMove() throws Exception {
        Path root = start(true, new InetSocketAddress("127.0.0.1", 0));
        assertTrue(daemon.metricsPort() > 0, "port 0 picks a free port");
        Set<java.nio.ByteBuffer> found = Trees.find(root);
        client.status(5_000); // a call before the first scrape: every series with labels exists

        Scrape before = scrapeUntil(s -> s.value("jfind_queries_total{code=\"OK\",rpc=\"GetStatus\"}") == 1,
                "the status call counted");
        DOCUMENTED.forEach((name, type) -> assertEquals(type, before.type(name), name + " in:\n" + before));
        assertEquals(found.size(), before.value("jfind_index_paths"), "paths: what find lists");
        assertEquals(daemon.index().facts().paths(), before.value("jfind_index_paths"));
        assertTrue(before.value("jfind_index_size_bytes") > 0, before.toString());
        assertEquals(1, before.value("jfind_index_ready"));
        assertEquals(1, before.value("jfind_crawl_duration_seconds_count{outcome=\"complete\"}"), before.toString());
        assertEquals(found.size(), before.value("jfind_crawl_entries"), "the crawl saw every path");
        assertEquals(4, before.value("jfind_watched_directories"), "tree, docs, docs/old, src");
        assertEquals(0, before.value("jfind_unwatched_directories"));
        assertEquals(0, before.value(SEARCH_OK), "no search yet");

        assertEquals(1, search("report-2024"));
        assertEquals(found.size(), search(""), "the empty pattern matches every path");
        Scrape after = scrapeUntil(s -> s.value(SEARCH_OK) == 2, "two searches counted");
        assertEquals(1 + found.size(), after.value("jfind_results_streamed_total") - before.value("jfind_results_streamed_total"));
        assertEquals(2, after.value("jfind_query_duration_seconds_count{rpc=\"Search\"}"));

        assertThrows(RuntimeException.class, () -> {
            try (JfindClient.Results r = client.search(SearchRequest.newBuilder().setLimit(-1).build())) {
                r.hasNext();
            }
        });
        scrapeUntil(s -> s.value("jfind_queries_total{code=\"INVALID_ARGUMENT\",rpc=\"Search\"}") == 1,
                "a refused search counted by its status code");

        Files.createFile(root.resolve("docs/new-file.txt"));
        Scrape changed = scrapeUntil(s -> s.value("jfind_index_paths") == found.size() + 1, "the new file indexed");
        assertTrue(changed.value("jfind_events_applied_total") > before.value("jfind_events_applied_total"),
                changed.toString());
        assertEquals(daemon.index().facts().paths(), changed.value("jfind_index_paths"));
    }

    @Test
    void withoutLiveUpdatesTheWatchFiguresAreAbsentNotZero() throws Exception {
        start(false, new InetSocketAddress("127.0.0.1", 0));
        Scrape s = Scrape.get(url());
        assertFalse(s.has("jfind_watched_directories"), s.toString());
        assertFalse(s.has("jfind_events_applied_total"), s.toString());
        assertTrue(s.value("jfind_index_paths") > 0, s.toString());
    }

    @Test
    void withoutTheFlagNothingListens() throws Exception {
        start(true, null);
        assertEquals(-1, daemon.metricsPort());
    }

    @Test
    void aTakenPortIsAStartErrorThatNamesIt() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            IOException e = assertThrows(IOException.class,
                    () -> start(true, new InetSocketAddress("127.0.0.1", taken.getLocalPort())));
            assertTrue(e.getMessage().contains("metrics") && e.getMessage().contains(":" + taken.getLocalPort()),
                    e.getMessage());
        }
        assertFalse(Files.exists(tmp.resolve("jfind.sock")), "nothing left serving");
    }
}
