package dev.jfind.server;

import dev.jfind.server.rpc.NettyServers;
import dev.jfind.server.config.DaemonConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jfind.client.cli.JfindCli;
import dev.jfind.server.crawl.CrawlStats;
import dev.jfind.server.testing.Await;
import dev.jfind.server.testing.Indexed;
import dev.jfind.server.testing.Trees;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The user's escape hatch: {@code jfind-client admin crawl --full} and {@code jfindd
 * --full-crawl-on-start} make a crawl list every directory again, where a normal crawl reuses
 * the listings of directories whose mtime has not changed.
 */
class FullCrawlIntegrationTest {
    /** tree, tree/share, tree/share/doc, tree/share/man, tree/zz. */
    private static final int DIRECTORIES = 5;

    @TempDir
    Path tmp;
    private Daemon daemon;

    @AfterEach
    void stop() {
        if (daemon != null) {
            daemon.stop();
        }
    }

    private Path tree() throws Exception {
        Path root = tmp.resolve("tree");
        Files.createDirectories(root.resolve("share/doc"));
        Files.createDirectories(root.resolve("share/man"));
        Files.createDirectories(root.resolve("zz"));
        Files.createFile(root.resolve("share/doc/copyright"));
        // unchanged for an hour: listings taken now may be reused at once
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.toList()) {
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    Files.setLastModifiedTime(p, FileTime.fromMillis(System.currentTimeMillis() - 3_600_000));
                }
            }
        }
        return root;
    }

    private DaemonConfig config(Path root) {
        return DaemonConfig.builder().roots(List.of(root)).stateDir(tmp.resolve("state"))
                .socket(tmp.resolve("jfind.sock")).threads(2).watch(false).watchLimit(Long.MAX_VALUE)
                .unwatchedRescanInterval(Duration.ofMinutes(15)).build();
    }

    /** Waits for a crawl that ends after {@code before} (null: any), and returns its figures. */
    private CrawlStats.Snapshot nextCrawl(CrawlStats.Snapshot before) throws Exception {
        return Await.upTo(Duration.ofSeconds(30)).until("a crawl that ends after " + before, daemon::lastCrawl,
                last -> last != null && last != before);
    }

    private String client(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        String[] all = Stream.concat(Stream.of("--socket", tmp.resolve("jfind.sock").toString()), Stream.of(args))
                .toArray(String[]::new);
        int code = JfindCli.run(all, Map.of("HOME", tmp.toString()), out, new PrintWriter(err, true));
        assertEquals(0, code, err.toString());
        return out.toString(StandardCharsets.UTF_8);
    }

    private static Daemon started(DaemonConfig config) throws Exception {
        Daemon d = new Daemon(config, NettyServers.of(config));
        d.start();
        return d;
    }

    @Test
    void adminCrawlFullListsEveryDirectoryAgain() throws Exception {
        Path root = tree();
        daemon = started(config(root));
        CrawlStats.Snapshot first = nextCrawl(null);
        assertEquals(DIRECTORIES, first.directories(), "the first crawl lists everything");

        client("admin", "crawl");
        CrawlStats.Snapshot normal = nextCrawl(first);
        assertEquals(DIRECTORIES, normal.reused(), "a normal crawl reuses every unchanged listing");
        assertEquals(0, normal.directories());

        String said = client("admin", "crawl", "--full");
        assertTrue(said.contains("listing every directory again"), said);
        CrawlStats.Snapshot full = nextCrawl(normal);
        assertEquals(0, full.reused(), "a full crawl reuses nothing");
        assertEquals(DIRECTORIES, full.directories());
        assertEquals(Trees.find(root), Indexed.all(daemon.index()));
    }

    @Test
    void fullCrawlOnStartListsEveryDirectoryAgain() throws Exception {
        Path root = tree();
        daemon = started(config(root));
        nextCrawl(null);
        daemon.stop();

        daemon = started(config(root));
        assertEquals(DIRECTORIES, nextCrawl(null).reused(), "a restart reuses unchanged listings");
        daemon.stop();

        Jfindd flags = new Jfindd(Map.of("HOME", tmp.toString()), new PrintWriter(new StringWriter()));
        new CommandLine(flags).parseArgs("--full-crawl-on-start");
        daemon = started(config(root).toBuilder().fullFirstCrawl(flags.flags().fullCrawlOnStart()).build());
        CrawlStats.Snapshot first = nextCrawl(null);
        assertEquals(0, first.reused(), "--full-crawl-on-start: nothing reused");
        assertEquals(DIRECTORIES, first.directories());
        assertEquals(Trees.find(root), Indexed.all(daemon.index()));
    }
}
