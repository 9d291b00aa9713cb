package dev.jfind.server;

import dev.jfind.server.rpc.NettyServers;
import dev.jfind.server.config.DaemonConfig;
import dev.jfind.server.testing.Await;
import dev.jfind.server.testing.Filters;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jfind.server.testing.Indexed;
import dev.jfind.server.testing.Inotify;
import dev.jfind.server.testing.Trees;
import dev.jfind.server.watch.WatchStats;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon keeps its index equal to what find lists while the tree changes: real inotify
 * on a temporary tree, waits with a deadline (the index is searched, never slept on).
 */
class LiveUpdatesIntegrationTest {
    private static final long DEADLINE_SECONDS = 30;

    @TempDir
    Path tmp;
    private Daemon daemon;

    private Path start(Path root, long watchLimit, Duration unwatchedRescan) throws Exception {
        Inotify.requireWatch(tmp);
        DaemonConfig config = DaemonConfig.builder().roots(List.of(root)).stateDir(tmp.resolve("state"))
                .socket(tmp.resolve("jfind.sock")).threads(2).watch(true).watchLimit(watchLimit)
                .unwatchedRescanInterval(unwatchedRescan).build();
        daemon = new Daemon(config, NettyServers.of(config));
        daemon.start();
        awaitTrue(() -> daemon.index().firstCrawlComplete(), "first crawl");
        Inotify.requireNoKernelRefusal(daemon.watchStats());
        return root;
    }

    @AfterEach
    void stop() {
        if (daemon != null) {
            daemon.stop();
        }
    }

    private Set<ByteBuffer> indexed() throws IOException {
        return Indexed.all(daemon.index());
    }

    /** Waits until the index lists exactly what find lists. */
    private void awaitConverged(Path root, String what) throws Exception {
        Await.upTo(Duration.ofSeconds(DEADLINE_SECONDS)).until(what + ": the index to converge to find",
                () -> List.of(Trees.find(root), indexed()),
                now -> now.get(0).equals(now.get(1)), now -> Trees.differences(now.get(0), now.get(1)));
    }

    private static void awaitTrue(Supplier<Boolean> condition, String what) throws Exception {
        Await.upTo(Duration.ofSeconds(DEADLINE_SECONDS)).until(what, condition::get);
    }

    private static Path tree(Path root) throws IOException {
        Files.createDirectories(root.resolve("docs/old"));
        Files.writeString(root.resolve("docs/readme.txt"), "hello");
        Files.createDirectories(root.resolve("src/main"));
        Files.createFile(root.resolve("src/main/app.c"));
        return root;
    }

    @Test
    void createDeleteAndModifyAreApplied() throws Exception {
        Path root = start(tree(tmp.resolve("tree")), Long.MAX_VALUE, Duration.ofMinutes(15));
        Files.createFile(root.resolve("docs/new-file.txt"));
        awaitConverged(root, "create");
        Files.delete(root.resolve("docs/readme.txt"));
        awaitConverged(root, "delete");
        Files.writeString(root.resolve("src/main/app.c"), "int main() { return 0; }");
        long[] size = {-1};
        awaitTrue(() -> {
            try {
                daemon.index().search(Filters.substrings(List.of(Trees.utf8("app.c")), false), hit -> {
                    size[0] = hit.size();
                    return false;
                });
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
            return size[0] == 24;
        }, "modified size");
        WatchStats stats = watchStats();
        assertTrue(stats.eventsApplied() > 0 && stats.lastEvent() != null, stats.toString());
        assertEquals(5, stats.watchedDirectories(), "root, docs, docs/old, src, src/main: " + stats);
    }

    private WatchStats watchStats() {
        return daemon.watchStats();
    }

    @Test
    void newDirectoriesAreWatchedAndTheirWholeSubtreeIndexed() throws Exception {
        Path root = start(tree(tmp.resolve("tree")), Long.MAX_VALUE, Duration.ofMinutes(15));
        Path deep = Files.createDirectories(root.resolve("new/a/b/c"));
        for (int i = 0; i < 50; i++) {
            Files.createFile(deep.resolve("f" + i));
        }
        awaitConverged(root, "new subtree");
        Files.createFile(root.resolve("new/a/b/later.txt"));
        awaitConverged(root, "a change inside the new subtree (it is watched)");
    }

    @Test
    void aDirectoryDeletedAndMadeAnewUnderTheSameNameIsFollowed() throws Exception {
        Path root = start(tree(tmp.resolve("tree")), Long.MAX_VALUE, Duration.ofMinutes(15));
        Path docs = root.resolve("docs");
        Trees.deleteRecursively(docs);
        Files.createDirectory(docs);
        Files.createFile(docs.resolve("new.txt"));
        awaitConverged(root, "directory made anew");
        Files.createFile(docs.resolve("later.txt"));
        awaitConverged(root, "a change in the new directory (it has its own watch)");
    }

    @Test
    void renamingADirectoryOfAThousandFilesMovesEveryPath() throws Exception {
        Path root = tree(tmp.resolve("tree"));
        Path photos = Files.createDirectories(root.resolve("photos/2024"));
        for (int i = 0; i < 1_000; i++) {
            Files.createFile(photos.resolve(String.format("IMG_%04d.jpg", i)));
        }
        start(root, Long.MAX_VALUE, Duration.ofMinutes(15));
        Files.move(root.resolve("photos"), root.resolve("pictures"));
        awaitConverged(root, "rename");
        // the renamed directory's watch now reports under its new name
        Files.createFile(root.resolve("pictures/2024/IMG_9999.jpg"));
        awaitConverged(root, "create inside the renamed directory");
    }

    @Test
    void movesOutOfAndIntoTheTree() throws Exception {
        Path root = start(tree(tmp.resolve("tree")), Long.MAX_VALUE, Duration.ofMinutes(15));
        Path outside = Files.createDirectories(tmp.resolve("outside/incoming/sub"));
        Files.createFile(outside.resolve("x.txt"));
        Files.move(root.resolve("src"), tmp.resolve("outside/src-moved-out"));
        Files.move(tmp.resolve("outside/incoming"), root.resolve("incoming"));
        awaitConverged(root, "move out and in");
        Files.createFile(tmp.resolve("outside/src-moved-out/main/not-indexed.c"));
        Files.createFile(root.resolve("incoming/sub/indexed.txt"));
        awaitConverged(root, "changes after the moves");
    }

    @Test
    void aBurstOfTwentyThousandCreatesThenDeletes() throws Exception {
        Path root = start(tree(tmp.resolve("tree")), Long.MAX_VALUE, Duration.ofMinutes(15));
        Path burst = Files.createDirectories(root.resolve("burst"));
        for (int d = 0; d < 20; d++) {
            Path dir = Files.createDirectories(burst.resolve("d" + d));
            for (int i = 0; i < 1_000; i++) {
                Files.createFile(dir.resolve("file-" + i));
            }
        }
        awaitConverged(root, "20,000 creates");
        Trees.deleteRecursively(burst);
        awaitConverged(root, "20,000 deletes");
    }

    @Test
    void anOverflowOfOneDirectoryIsRepairedByRelistingIt() throws Exception {
        Path root = start(tree(tmp.resolve("tree")), Long.MAX_VALUE, Duration.ofMinutes(15));
        Path busy = root.resolve("docs/old");
        // more than the JDK's 512 pending events per key: they collapse into one OVERFLOW
        for (int i = 0; i < 3_000; i++) {
            Files.createFile(busy.resolve("n" + i));
        }
        awaitConverged(root, "after an overflow");
    }

    @Test
    void directoriesBeyondTheWatchBudgetAreCoveredByRescans() throws Exception {
        Path root = tree(tmp.resolve("tree"));
        start(root, 2, Duration.ofSeconds(1));
        WatchStats stats = watchStats();
        assertEquals(2, stats.watchedDirectories());
        assertEquals(3, stats.unwatchedDirectories(), stats.toString());
        assertNotNull(stats.degraded());
        Files.createFile(root.resolve("src/main/unwatched-change.c")); // src/main is past the budget
        awaitConverged(root, "change in an unwatched directory");
    }
}
