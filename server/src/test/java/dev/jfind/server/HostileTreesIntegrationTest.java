package dev.jfind.server;

import dev.jfind.server.rpc.NettyServers;
import dev.jfind.server.config.DaemonConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jfind.server.crawl.CrawlStats;
import dev.jfind.server.testing.Await;
import dev.jfind.server.testing.Filters;
import dev.jfind.server.testing.Inotify;
import dev.jfind.server.testing.Trees;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Trees that try to break a crawler, each indexed by the real daemon (live updates on) and
 * compared with find: depth 2,000 and paths beyond PATH_MAX, every byte value in names,
 * FIFOs, sockets and device nodes, entries vanishing and directories turning into files
 * mid-crawl, a bind-mount loop. Every test has a timeout: a crawl that opened a FIFO, or
 * went round a loop, would hang. Larger versions run in bench/reliability.sh.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class HostileTreesIntegrationTest {
    /** Linux's PATH_MAX counts the terminating NUL: the longest path a syscall takes is one less. */
    private static final int PATH_MAX = 4096;
    private static final long DEADLINE_SECONDS = 60;
    private static final boolean ROOT = "root".equals(System.getProperty("user.name"));

    @TempDir
    Path tmp;
    private Daemon daemon;
    private Path mounted;

    private void start(Path root) throws Exception {
        Inotify.requireWatch(tmp); // live updates are part of what is tested here
        DaemonConfig config = DaemonConfig.builder().roots(List.of(root)).stateDir(tmp.resolve("state"))
                .socket(tmp.resolve("jfind.sock")).threads(2).watch(true).watchLimit(Long.MAX_VALUE)
                .unwatchedRescanInterval(Duration.ofMinutes(15)).build();
        daemon = new Daemon(config, NettyServers.of(config));
        daemon.start();
        Await.upTo(Duration.ofSeconds(DEADLINE_SECONDS)).until("the first crawl to complete",
                () -> daemon.index().firstCrawlComplete());
    }

    @AfterEach
    void stop() throws Exception {
        if (daemon != null) {
            daemon.stop();
        }
        if (mounted != null) {
            run("umount", mounted.toString());
        }
        // rm(1) walks trees deeper than PATH_MAX, which JUnit's clean-up cannot
        run("rm", "-rf", tmp.resolve("tree").toString());
    }

    @Test
    void depthTwoThousandIsIndexedUpToPathMaxAndTheRestCounted() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("tree"));
        // 2,000 nested directories of two bytes each: about 6 KB, well past PATH_MAX
        assertEquals(0, run("python3", "-c", "import os\nos.chdir(" + pyString(root) + ")\n"
                + "for i in range(2000):\n    os.mkdir('dd'); os.chdir('dd')\nopen('bottom.txt', 'w').close()"));
        start(root);
        Set<ByteBuffer> find = Trees.find(root);
        assertEquals(2_002, find.size(), "find lists every level");
        int rootLength = dev.jfind.server.fs.PathBytes.of(root).length;
        Set<ByteBuffer> reachable = new HashSet<>();
        int beyond = 0;
        for (ByteBuffer p : find) {
            int parentLength = Trees.lastIndexOf(p.array(), (byte) '/');
            if (p.array().length == rootLength || parentLength < PATH_MAX) {
                reachable.add(p); // its directory can be opened, so it can be listed
            }
            if (p.array().length >= PATH_MAX && parentLength < PATH_MAX) {
                beyond++;
            }
        }
        assertEquals(1, beyond);
        assertEquals(reachable, indexed(), "every path whose directory Java can open, as find lists it");
        CrawlStats.Snapshot crawl = daemon.lastCrawl();
        assertEquals(beyond, crawl.unreadable(), "the first directory past PATH_MAX is counted unreadable");
    }

    @Test
    void namesWithEveryByteButSlashAndNul() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("tree"));
        Path dir = Files.createDirectories(root.resolve("bytes"));
        byte[] all = new byte[254]; // NAME_MAX is 255
        int n = 0;
        for (int b = 1; b < 256; b++) {
            if (b == '/') {
                continue;
            }
            if (b != '.') { // "." alone is the directory itself
                Files.createFile(Trees.child(dir, new byte[] {(byte) b}));
            }
            all[n++] = (byte) b;
        }
        Files.createFile(Trees.child(dir, all));
        Files.createDirectories(Trees.child(dir, new byte[] {'\n', '\\', '*', (byte) 0x80}));
        Files.createFile(Trees.child(Trees.child(dir, new byte[] {'\n', '\\', '*', (byte) 0x80}), all));
        start(root);
        assertEquals(Trees.find(root), indexed());
        for (byte[] pattern : List.of(new byte[] {(byte) 0xff}, new byte[] {'\n'}, new byte[] {'\\', '*'},
                new byte[] {1, 2, 3}, all)) {
            assertEquals(Trees.containing(Trees.find(root), pattern), indexed(pattern));
        }
    }

    @Test
    void fifosSocketsAndDeviceNodesAreIndexedNeverOpened() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("tree"));
        Path special = Files.createDirectories(root.resolve("special"));
        assertEquals(0, run("mkfifo", special.resolve("fifo").toString())); // opening it would block forever
        try (ServerSocketChannel socket = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            socket.bind(UnixDomainSocketAddress.of(special.resolve("socket")));
            if (ROOT) {
                assertEquals(0, run("mknod", special.resolve("null-device").toString(), "c", "1", "3"));
                assertEquals(0, run("mknod", special.resolve("loop-device").toString(), "b", "7", "200"));
            }
            start(root);
            assertEquals(Trees.find(root), indexed());
            assertEquals(ROOT ? 5 : 3, indexed(Trees.utf8("/special")).size(), "the directory and its special files");
        }
    }

    @Test
    void entriesVanishingAndDirectoriesBecomingFilesMidCrawl() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("tree"));
        for (int d = 0; d < 60; d++) {
            Path dir = Files.createDirectories(root.resolve("stable/d" + d));
            for (int f = 0; f < 100; f++) {
                Files.createFile(dir.resolve("f" + f));
            }
        }
        Path churn = Files.createDirectories(root.resolve("churn"));
        Path locked = Files.createDirectories(root.resolve("locked"));
        Files.createFile(locked.resolve("inside.txt"));
        AtomicBoolean stop = new AtomicBoolean();
        Thread churner = new Thread(() -> {
            int round = 0;
            try {
                while (!stop.get()) {
                    round++;
                    Path flip = churn.resolve("flip");
                    // a directory with entries, then a file under the same name, then gone
                    Files.createDirectories(flip.resolve("sub"));
                    Files.createFile(flip.resolve("sub/x"));
                    Trees.deleteRecursively(flip);
                    Files.createFile(flip);
                    Files.delete(flip);
                    Path file = churn.resolve("vanishing-" + (round % 50));
                    Files.deleteIfExists(file);
                    Files.createFile(file);
                    // readable, unreadable, readable (root reads it anyway)
                    Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString(round % 2 == 0 ? "---------" : "rwx------"));
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, "churn");
        churner.start();
        try {
            start(root);
        } finally {
            stop.set(true);
            churner.join();
        }
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwx------"));
        awaitConverged(root);
    }

    @Test
    void aBindMountLoopIsNotEnteredAgain() throws Exception {
        assumeTrue(ROOT, "bind mounts need root (skipped)");
        Path root = Files.createDirectories(tmp.resolve("tree"));
        Files.createFile(root.resolve("top.txt"));
        Path loop = Files.createDirectories(root.resolve("sub/loop"));
        assumeTrue(run("mount", "--bind", root.toString(), loop.toString()) == 0, "mount --bind not permitted (skipped)");
        mounted = loop;
        start(root);
        // find warns "File system loop detected" (exit 1) and leaves the loop out; the daemon
        // indexes the mount point as a path (it exists: ls shows it) and does not enter it
        Set<ByteBuffer> expected = new HashSet<>(Trees.findDespiteWarnings(root));
        assertTrue(expected.add(ByteBuffer.wrap(Trees.utf8(loop.toString()))));
        assertEquals(expected, indexed());
    }

    private void awaitConverged(Path root) throws Exception {
        Await.upTo(Duration.ofSeconds(DEADLINE_SECONDS)).every(Duration.ofMillis(50))
                .until("the index to converge to find", () -> List.of(Trees.find(root), indexed()),
                        now -> now.get(0).equals(now.get(1)), now -> Trees.differences(now.get(0), now.get(1)));
    }

    private Set<ByteBuffer> indexed(byte[]... patterns) throws IOException {
        Set<ByteBuffer> paths = new HashSet<>();
        daemon.index().search(Filters.substrings(List.of(patterns), false), hit -> {
            paths.add(ByteBuffer.wrap(hit.path()));
            return true;
        });
        return paths;
    }

    private static String pyString(Path p) {
        return "'" + p.toString().replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    private static int run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        return p.waitFor(60, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }
}
