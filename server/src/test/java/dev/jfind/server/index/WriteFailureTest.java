package dev.jfind.server.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jfind.server.crawl.CrawlStats;
import dev.jfind.server.crawl.Crawler;
import dev.jfind.server.crawl.Exclusions;
import dev.jfind.server.testing.Await;
import dev.jfind.server.testing.Trees;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The index's file system fills up, or its directory turns read-only, under it: searches
 * keep answering from the last good index, the failure is reported, writes are retried
 * with backoff, and the index recovers (and asks for a crawl) when the file system does.
 * The full disk is a small tmpfs (needs root for mount(8); skipped otherwise). Read-only
 * is chmod for other users; root ignores permissions, so for root the directory is made
 * immutable (chattr +i) instead, which even root cannot write into (skipped where the file
 * system does not support it). A read-only remount cannot stand in: the kernel refuses it
 * while the index's lock file is open for writing.
 */
class WriteFailureTest {
    private static final long DEADLINE_SECONDS = 90;

    private static final boolean ROOT = "root".equals(System.getProperty("user.name"));

    @TempDir
    Path tmp;
    private Path mount;
    private Path root;

    @BeforeEach
    void tree() throws Exception {
        root = Files.createDirectories(tmp.resolve("tree"));
        Trees.awkward(root, 500, 20);
    }

    @AfterEach
    void unmount() throws Exception {
        if (mount != null) {
            run("umount", "-l", mount.toString());
        }
    }

    @Test
    void aFullDiskKeepsServingReportsAndRecovers() throws Exception {
        Path state = Files.createDirectories(tmp.resolve("state"));
        assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", state.toString()) == 0,
                "mounting a tmpfs needs root (skipped)");
        mount = state;
        check(state.resolve("index"), () -> fill(state.resolve("filler")), () -> Files.delete(state.resolve("filler")),
                "No space left");
    }

    @Test
    void aReadOnlyStateDirectoryKeepsServingReportsAndRecovers() throws Exception {
        Path index = tmp.resolve("state/index");
        if (ROOT) {
            Files.createDirectories(index);
            assumeTrue(run("chattr", "+i", index.toString()) == 0 && run("chattr", "-i", index.toString()) == 0,
                    "chattr +i is not supported here (skipped)");
            check(index, () -> assertEquals(0, run("chattr", "+i", index.toString())),
                    () -> assertEquals(0, run("chattr", "-i", index.toString())), "not permitted");
        } else {
            check(index, () -> Files.setPosixFilePermissions(index, java.nio.file.attribute.PosixFilePermissions.fromString("r-x------")),
                    () -> Files.setPosixFilePermissions(index, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")),
                    "ermission denied");
        }
    }

    private void check(Path dir, Step breakIt, Step repairIt, String reason) throws Exception {
        boolean broken = false;
        AtomicInteger recovered = new AtomicInteger();
        try (PathIndex index = PathIndex.open(dir)) {
            index.onRecovered(recovered::incrementAndGet);
            assertTrue(crawl(index));
            Set<ByteBuffer> before = Trees.find(root);
            assertEquals(before, PathIndexTest.search(index, false, new byte[0]));

            // A merge still running after the crawl's commit, or an old reader closed later,
            // would free space on the filled disk and let the next crawl's writes succeed.
            index.settle();
            breakIt.run();
            broken = true;
            for (int i = 0; i < 3_000; i++) {
                Files.createFile(root.resolve("big/new-" + i + ".txt"));
            }
            try {
                crawl(index);
            } catch (IOException | RuntimeException expected) {
                // the crawl's own commit fails: reported below, retried in the background
            }
            WriteFailure failure = index.writeFailure();
            assertNotNull(failure, "the failure is reported");
            assertTrue(failure.message().contains(reason), failure.message());
            assertEquals(failure, index.facts().writeFailure(), "status shows it");
            Set<ByteBuffer> served = PathIndexTest.search(index, false, new byte[0]);
            assertTrue(served.containsAll(before), "the last good index is still served");
            // until the background retry has failed again
            WriteFailure again = Await.upTo(Duration.ofSeconds(DEADLINE_SECONDS)).every(Duration.ofMillis(100))
                    .until("the background retry", index::writeFailure,
                            f -> f == null || !f.nextAttempt().equals(failure.nextAttempt()));
            assertNotNull(again, "still failing while the file system is");
            assertEquals(failure.since(), again.since());
            assertTrue(again.nextAttempt().isAfter(failure.nextAttempt().plus(WriteHealth.FIRST_RETRY)),
                    "retries back off: " + failure + " then " + again);

            recovered.set(0); // a new writer on the broken file system asked already: not the point here
            repairIt.run();
            broken = false;
            // the retry is due after the backoff
            Await.upTo(Duration.ofSeconds(DEADLINE_SECONDS)).every(Duration.ofMillis(100))
                    .until("a retry that finds the file system writable again and asks for a crawl",
                            () -> recovered.get() > 0 && index.writeFailure() == null);
            assertEquals(null, index.writeFailure(), "a retry found the file system writable again");
            assertTrue(recovered.get() > 0, "the index asks for a crawl once writes work again");
            assertTrue(crawl(index), "the catch-up crawl completes");
            assertEquals(null, index.writeFailure(), "healthy again");
            assertEquals(Trees.find(root), PathIndexTest.search(index, false, new byte[0]));
        } finally {
            if (broken) {
                repairIt.run(); // so that the temporary directory can be deleted
            }
        }
        try (PathIndex reopened = PathIndex.open(dir)) {
            assertEquals(Trees.find(root).size(), reopened.facts().paths(), "what recovered was committed");
        }
    }

    private boolean crawl(PathIndex index) throws Exception {
        PathIndex.CrawlSession session = index.startCrawl();
        boolean complete = new Crawler(Exclusions.virtualOnly(), 2)
                .crawl(List.of(root), session.sink(), new CrawlStats(), () -> !index.writable());
        index.finishCrawl(session, Instant.now(), complete);
        return complete && index.writable();
    }

    private static void fill(Path file) throws IOException {
        byte[] chunk = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(file)) {
            while (true) {
                out.write(chunk);
            }
        } catch (IOException full) {
            assertTrue(String.valueOf(full.getMessage()).contains("No space left"), String.valueOf(full.getMessage()));
        }
    }

    private static int run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }

    @FunctionalInterface
    private interface Step {
        void run() throws Exception;
    }
}
