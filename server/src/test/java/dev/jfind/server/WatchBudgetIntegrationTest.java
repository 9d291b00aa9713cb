package dev.jfind.server;

import dev.jfind.server.rpc.NettyServers;
import dev.jfind.server.config.DaemonConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jfind.server.testing.Await;
import dev.jfind.server.testing.Indexed;
import dev.jfind.server.testing.Inotify;
import dev.jfind.server.testing.Trees;
import dev.jfind.server.watch.InotifyLimits;
import dev.jfind.server.watch.WatchBudget;
import dev.jfind.server.watch.WatchStats;
import java.nio.ByteBuffer;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon as a good neighbour: it takes its share of the user's inotify watches and no
 * more, gives its watches to the directories that change, and keeps the rest current by
 * re-listing them. Real inotify; the kernel's limits are injected, so the test does not
 * depend on (or exhaust) the machine's.
 */
class WatchBudgetIntegrationTest {
    private static final long DEADLINE_SECONDS = 30;
    private static final FileTime LONG_AGO = FileTime.from(Instant.parse("2001-01-01T00:00:00Z"));

    @TempDir
    Path tmp;
    private Daemon daemon;

    @AfterEach
    void stop() {
        if (daemon != null) {
            daemon.stop();
        }
    }

    private void start(Path root, long watchLimit, Duration unwatchedRescan, InotifyLimits kernel) throws Exception {
        Inotify.requireWatch(tmp);
        DaemonConfig config = DaemonConfig.builder().roots(List.of(root)).stateDir(tmp.resolve("state"))
                .socket(tmp.resolve("jfind.sock")).threads(2).watch(true).watchLimit(watchLimit)
                .unwatchedRescanInterval(unwatchedRescan).build();
        daemon = new Daemon(config, NettyServers.of(config), () -> kernel, null);
        daemon.start();
        await(() -> daemon.index().firstCrawlComplete(), "first crawl");
        Inotify.requireNoKernelRefusal(daemon.watchStats());
    }

    private static Path directories(Path root, int n) throws Exception {
        for (int i = 0; i < n; i++) {
            Files.createDirectories(root.resolve(String.format("d%02d", i)));
        }
        return root;
    }

    /** What the kernel says this process holds: its own fdinfo, not the daemon's bookkeeping. */
    private long[] heldByThisProcess() throws Exception {
        Path proc = tmp.resolve("proc-" + System.nanoTime());
        Files.createDirectory(proc);
        long pid = ProcessHandle.current().pid();
        Files.createSymbolicLink(proc.resolve(Long.toString(pid)), Path.of("/proc/" + pid));
        int uid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        InotifyLimits mine = InotifyLimits.read(proc, uid);
        return new long[] {mine.watchesHeld(), mine.instancesHeld()};
    }

    @Test
    void anotherProgramStillGetsWatchesWhileTheDaemonWatchesATreeLargerThanItsBudget() throws Exception {
        Path root = directories(tmp.resolve("tree"), 60);
        long[] before = heldByThisProcess();
        // a user allowed 40 watches in all, none held: half, 20, is the daemon's; 61 directories
        Instant started = Instant.now();
        start(root, WatchBudget.AUTOMATIC, Duration.ofHours(1), new InotifyLimits(40, 128, 0, 0));

        WatchStats stats = daemon.watchStats();
        assertEquals(20, stats.budget().watches(), stats.toString());
        assertEquals(20, stats.watchedDirectories(), stats.toString());
        assertEquals(41, stats.unwatchedDirectories(), stats.toString());
        long[] during = heldByThisProcess();
        assertTrue(during[0] - before[0] <= 20, "the kernel counts " + (during[0] - before[0])
                + " watches taken by the daemon, more than its budget of 20");
        assertEquals(1, during[1] - before[1], "the daemon uses one inotify instance");
        try (WatchService other = FileSystems.getDefault().newWatchService()) {
            WatchKey key = tmp.register(other, StandardWatchEventKinds.ENTRY_CREATE);
            assertTrue(key.isValid(), "another program's watch");
        }
        // status says it plainly: the budget, what stays current, how to raise the limit
        assertNotNull(stats.degraded());
        assertTrue(stats.degraded().contains("watch budget is reached"), stats.degraded());
        assertTrue(stats.degraded().contains("listed again every 60 min"), stats.degraded());
        assertTrue(stats.degraded().contains("sysctl fs.inotify.max_user_watches="), stats.degraded());
        assertTrue(stats.degraded().contains("deploy/sysctl/60-jfind-inotify.conf"), stats.degraded());
        assertNotNull(stats.oldestUnwatchedListing());
        assertTrue(!stats.oldestUnwatchedListing().isBefore(started.minusSeconds(1)), stats.toString());
    }

    @Test
    void theWatchesGoToTheDirectoriesThatChange() throws Exception {
        Path root = directories(tmp.resolve("tree"), 20);
        Files.createDirectories(root.resolve("recent-a"));
        Files.createDirectories(root.resolve("recent-b"));
        for (int i = 0; i < 20; i++) {
            Files.setLastModifiedTime(root.resolve(String.format("d%02d", i)), LONG_AGO);
        }
        Files.setLastModifiedTime(root, LONG_AGO);
        // two watches, and a rescan far away: only watched directories show changes in time.
        // The crawl meets the root first, so without a choice at most one of the two gets a watch.
        start(root, 2, Duration.ofHours(1), new InotifyLimits(-1, -1, 0, 0));

        Files.createFile(root.resolve("recent-a/new-a"));
        Files.createFile(root.resolve("recent-b/new-b"));
        await(() -> indexed(root.resolve("recent-a/new-a")) && indexed(root.resolve("recent-b/new-b")),
                "changes in both recently modified directories (watched in place of old ones): "
                        + daemon.watchStats());
        assertEquals(2, daemon.watchStats().watchedDirectories());
    }

    @Test
    void unwatchedDirectoriesAreListedAgainAndStatusShowsHowFresh() throws Exception {
        Path root = directories(tmp.resolve("tree"), 5);
        start(root, 2, Duration.ofSeconds(1), new InotifyLimits(-1, -1, 0, 0));
        Instant first = daemon.watchStats().oldestUnwatchedListing();
        assertNotNull(first, daemon.watchStats().toString());
        await(() -> daemon.watchStats().oldestUnwatchedListing().isAfter(first),
                "every unwatched directory listed again after the first crawl: " + daemon.watchStats());
    }

    private boolean indexed(Path file) {
        try {
            return Indexed.all(daemon.index()).contains(ByteBuffer.wrap(Trees.utf8(file.toString())));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void await(BooleanSupplier condition, String what) throws Exception {
        Await.upTo(Duration.ofSeconds(DEADLINE_SECONDS)).until(what, condition::getAsBoolean);
    }
}
