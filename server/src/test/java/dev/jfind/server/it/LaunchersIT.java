package dev.jfind.server.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jfind.server.testing.Await;
import dev.jfind.server.testing.Trees;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end: the real daemon on a real socket over a tree with every awkward name, driven
 * by the real client through the committed launchers, checked against find(1).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LaunchersIT {
    private Path tmp;
    private Path root;
    private Path socket;
    private Path state;
    private Map<String, String> env;
    private final List<Process> daemons = new ArrayList<>();
    private Set<ByteBuffer> all;

    @BeforeAll
    void startDaemon(@TempDir Path dir) throws Exception {
        tmp = dir;
        root = Files.createDirectories(tmp.resolve("tree with space"));
        Trees.awkward(root, 20_000, 200);
        state = tmp.resolve("state");
        socket = tmp.resolve("run/jfind.sock");
        env = Map.of("JFIND_SOCKET", socket.toString());
        start();
        awaitReady();
        all = Trees.find(root);
    }

    @AfterAll
    void stopDaemons() {
        daemons.forEach(Process::destroyForcibly);
    }

    private Process start() throws IOException {
        Process p = Launched.daemon(tmp.resolve("jfindd-" + daemons.size() + ".log"),
                "--root", root.toString(), "--state-dir", state.toString(), "--socket", socket.toString());
        daemons.add(p);
        return p;
    }

    private String awaitReady() throws Exception {
        return Launched.awaitReady(env);
    }

    private Set<ByteBuffer> search(String... args) throws Exception {
        List<String> full = new ArrayList<>(List.of("-0"));
        full.addAll(List.of(args));
        Launched.Result r = Launched.client(env, full.toArray(new String[0]));
        assertTrue(r.exit() == 0 || r.exit() == 1, r.stderr());
        return Trees.splitNul(r.stdout());
    }

    @Test
    @Order(1)
    void everyPatternGivesExactlyWhatFindGives() throws Exception {
        for (String p : List.of("Report", ".txt", "file-1234", "d199/bottom", "caf\u00e9", "e\u0301-nfd",
                "\n", "links/", "a-fifo", "tree with space/big", "o", "no-such-thing")) {
            assertEquals(Trees.containing(all, Trees.utf8(p)), search(p), () -> "pattern " + p.replace("\n", "\\n"));
        }
        // glob characters escaped, as locate takes them: a plain substring
        for (String p : List.of("star*", "what?", "[bracket]")) {
            String escaped = p.replaceAll("([*?\\[])", "\\\\$1");
            assertEquals(Trees.containing(all, Trees.utf8(p)), search(escaped), () -> "pattern " + escaped);
        }
        for (String p : List.of("report", "\u00c9COLE", "KELVIN", "FILE-0001")) {
            assertEquals(Trees.containingIgnoreCase(all, p), search("-i", p), () -> "-i pattern " + p);
        }
        assertEquals(all, search(""), "an empty pattern lists everything find lists");
        assertEquals(Trees.containing(Trees.containing(all, Trees.utf8("big")), Trees.utf8("-0042")),
                search("big", "--", "-0042"), "all patterns must match; -- ends the options");
    }

    @Test
    @Order(1)
    void aClosedPipeEndsTheClientQuietlyAtOnce() throws Exception {
        Path err = tmp.resolve("head.err");
        long start = System.nanoTime();
        Launched.Result r = Launched.shell(env, "'" + Launched.CLIENT + "' '' 2>'" + err + "' | head -1");
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(0, r.exit(), r.stderr());
        assertEquals(1, r.out().lines().count(), r.out());
        assertEquals("", Files.readString(err), "no stack trace, no message: the reader just went away");
        assertTrue(millis < 20_000, "ends at once, not after printing all " + all.size() + " paths: " + millis + " ms");
    }

    @Test
    @Order(2)
    void aNameThatIsNotUtf8IsMatchedAndPrintedByteForByte() throws Exception {
        Launched.Result r = Launched.shell(env, "'" + Launched.CLIENT + "' \"$(printf 'bad\\377\\376')\"");
        assertEquals(0, r.exit(), r.stderr());
        byte[] expected = (root + "/").getBytes(StandardCharsets.UTF_8);
        byte[] line = new byte[expected.length + Trees.INVALID_UTF8_NAME.length + 1];
        System.arraycopy(expected, 0, line, 0, expected.length);
        System.arraycopy(Trees.INVALID_UTF8_NAME, 0, line, expected.length, Trees.INVALID_UTF8_NAME.length);
        line[line.length - 1] = '\n';
        assertArrayEquals(line, r.stdout());
        // and the locale of the caller does not matter
        Launched.Result c = Launched.shell(Map.of("JFIND_SOCKET", socket.toString(), "LANG", "C", "LC_ALL", "C"),
                "'" + Launched.CLIENT + "' -c \"$(printf '\\303\\251cole')\" -i");
        assertEquals("1\n", c.out(), c.stderr());
    }

    @Test
    @Order(3)
    void exitCodesCountAndLimit() throws Exception {
        assertEquals(1, Launched.client(env, "no-such-name-anywhere").exit());
        Launched.Result count = Launched.client(env, "-c", "file-");
        assertEquals(0, count.exit());
        assertEquals("20000\n", count.out());
        Launched.Result limited = Launched.client(env, "-l", "3", "file-");
        assertEquals(3, limited.out().split("\n").length);
        Launched.Result usage = Launched.client(env, "--no-such-flag", "x");
        assertEquals(2, usage.exit());
        assertTrue(usage.stderr().contains("--help"), usage.stderr());
        Launched.Result help = Launched.client(env, "--help");
        assertEquals(0, help.exit());
        assertTrue(help.out().contains("--ignore-case"));
        assertEquals(0, Launched.client(env, "status", "--help").exit());
    }

    @Test
    @Order(4)
    void anUnreachableDaemonIsOneLineThatSaysWhatToDo() throws Exception {
        Launched.Result r = Launched.client(Map.of("JFIND_SOCKET", tmp.resolve("nobody.sock").toString()), "x");
        assertEquals(2, r.exit());
        assertEquals(1, r.stderr().strip().split("\n").length, r.stderr());
        assertTrue(r.stderr().contains("cannot reach jfindd") && r.stderr().contains("jfindd"), r.stderr());
    }

    @Test
    @Order(5)
    void statusJsonHasTheDocumentedKeys() throws Exception {
        String json = Launched.client(env, "status", "--json").out();
        for (String key : List.of("\"state\":\"ready\"", "\"paths\":" + all.size(), "\"last_crawl_seconds\":",
                "\"index_bytes\":")) {
            assertTrue(json.contains(key), key + " in " + json);
        }
        String human = Launched.client(env, "status").out();
        assertTrue(human.contains("ready") && human.contains("paths"), human);
    }

    @Test
    @Order(6)
    void theClientFindsTheDaemonsDefaultSocketByItself() throws Exception {
        Path runtime = Files.createDirectories(tmp.resolve("xdg-runtime"));
        Path xdgState = tmp.resolve("xdg-state");
        Path small = Files.createDirectories(tmp.resolve("small"));
        Files.createFile(small.resolve("only-here.txt"));
        Map<String, String> xdg = Map.of("XDG_RUNTIME_DIR", runtime.toString(), "XDG_STATE_HOME", xdgState.toString());
        ProcessBuilder pb = new ProcessBuilder(Launched.JFINDD.toString(), "--root", small.toString())
                .redirectErrorStream(true).redirectOutput(tmp.resolve("xdg.log").toFile());
        pb.environment().putAll(xdg);
        Process p = pb.start();
        daemons.add(p);
        Launched.Result r = Await.upTo(Duration.ofSeconds(60)).every(Duration.ofMillis(100)).until("the daemon to answer",
                () -> Launched.client(xdg, "only-here"), found -> found.exit() == 0, found -> "exit " + found.exit() + ", " + found.out() + found.stderr());
        assertEquals(small.resolve("only-here.txt") + "\n", r.out(), r.stderr());
        assertTrue(Files.exists(runtime.resolve("jfind/jfind.sock")));
        assertTrue(Files.isDirectory(xdgState.resolve("jfind/index")));
        p.destroy(); // SIGTERM
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(143, p.exitValue(), "stopped by SIGTERM");
        assertFalse(Files.exists(runtime.resolve("jfind/jfind.sock")), "socket removed on SIGTERM");
    }

    @Test
    @Order(7)
    void optionalTcpListenerServesTheSameApi() throws Exception {
        int port;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        // TCP callers are anonymous: they see what every user may see, so the tree must be open to all
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path small = Files.createDirectories(tmp.resolve("tcp-tree"));
        Files.createFile(small.resolve("over-tcp.txt"));
        Path closed = Files.createDirectories(small.resolve("closed"), java.nio.file.attribute.PosixFilePermissions
                .asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Files.createFile(closed.resolve("over-tcp-hidden.txt"));
        Process p = Launched.daemon(tmp.resolve("tcp.log"), "--root", small.toString(),
                "--state-dir", tmp.resolve("tcp-state").toString(), "--socket", tmp.resolve("tcp.sock").toString(),
                "--listen", "127.0.0.1:" + port);
        daemons.add(p);
        Launched.Result r = Await.upTo(Duration.ofSeconds(60)).every(Duration.ofMillis(100)).until("the daemon to answer over TCP",
                () -> Launched.client(Map.of(), "--server", "127.0.0.1:" + port, "over-tcp"), found -> found.exit() == 0,
                found -> "exit " + found.exit() + ", " + found.out() + found.stderr());
        assertEquals(small.resolve("over-tcp.txt") + "\n", r.out(), r.stderr());
        Launched.Result hidden = Launched.client(Map.of(), "--server", "127.0.0.1:" + port, "-c", "over-tcp-hidden");
        assertEquals("0\n", hidden.out(), "a file in a 0700 directory is not shown to an anonymous caller");
        Launched.Result local = Launched.client(Map.of("JFIND_SOCKET", tmp.resolve("tcp.sock").toString()),
                "-c", "over-tcp-hidden");
        assertEquals("1\n", local.out(), "the daemon's own user sees it on the socket");
        // a TCP address beyond this machine is refused at start, a usage error (exit 2)
        Process refused = Launched.daemon(tmp.resolve("refused.log"), "--root", small.toString(),
                "--state-dir", tmp.resolve("refused-state").toString(), "--socket", tmp.resolve("refused.sock").toString(),
                "--listen", "0.0.0.0:" + port);
        assertTrue(refused.waitFor(60, TimeUnit.SECONDS));
        assertEquals(2, refused.exitValue());
        assertTrue(Files.readString(tmp.resolve("refused.log")).contains("not a loopback address"));
        p.destroy();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    }

    @Test
    @Order(7)
    void aSecondDaemonOnTheSameStateDirectoryOrSocketRefusesAndTheFirstKeepsServing() throws Exception {
        Process sameState = Launched.daemon(tmp.resolve("second-state.log"), "--root", root.toString(),
                "--state-dir", state.toString(), "--socket", tmp.resolve("second.sock").toString());
        assertTrue(sameState.waitFor(60, TimeUnit.SECONDS), "refuses, rather than waiting for the lock");
        assertEquals(1, sameState.exitValue());
        String log = Files.readString(tmp.resolve("second-state.log"));
        assertTrue(log.contains("is in use by another jfindd; stop that one first, or give this one another --state-dir"),
                log);
        Process sameSocket = Launched.daemon(tmp.resolve("second-socket.log"), "--root", root.toString(),
                "--state-dir", tmp.resolve("second-state").toString(), "--socket", socket.toString());
        assertTrue(sameSocket.waitFor(60, TimeUnit.SECONDS));
        assertEquals(1, sameSocket.exitValue());
        log = Files.readString(tmp.resolve("second-socket.log"));
        assertTrue(log.contains("another jfindd already listens on " + socket), log);
        assertTrue(Files.exists(socket), "the first daemon's socket is left alone");
        assertEquals(all, search(""), "the first daemon keeps its lock and serves on");
    }

    @Test
    @Order(8)
    void periodicRescansPickUpChanges() throws Exception {
        Path tree = Files.createDirectories(tmp.resolve("rescan-tree"));
        Files.createFile(tree.resolve("before.txt"));
        Path sock = tmp.resolve("rescan.sock");
        Process p = Launched.daemon(tmp.resolve("rescan.log"), "--root", tree.toString(),
                "--state-dir", tmp.resolve("rescan-state").toString(), "--socket", sock.toString(),
                "--rescan-interval", "1s");
        daemons.add(p);
        Map<String, String> here = Map.of("JFIND_SOCKET", sock.toString());
        awaitFound(here, "before.txt");
        Files.createFile(tree.resolve("after.txt"));
        Files.delete(tree.resolve("before.txt"));
        awaitFound(here, "after.txt");
        assertEquals(1, Launched.client(here, "before.txt").exit(), "a deleted file disappears");
        p.destroy();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    }

    private static void awaitFound(Map<String, String> env, String pattern) throws Exception {
        Await.upTo(Duration.ofSeconds(60)).every(Duration.ofMillis(100)).until(pattern + " to show up",
                () -> Launched.client(env, pattern), r -> r.exit() == 0, r -> "exit " + r.exit() + ", " + r.out() + r.stderr());
    }

    @Test
    @Order(9)
    void afterKillDashNineTheIndexIsServedAtOnceAndCatchesUp() throws Exception {
        Process first = daemons.get(0);
        Files.createFile(root.resolve("created-while-down.txt"));
        Runtime.getRuntime().exec(new String[] {"kill", "-9", Long.toString(first.pid())}).waitFor();
        assertTrue(first.waitFor(30, TimeUnit.SECONDS));
        start();
        // served from the old index at once: ready before any crawl has finished
        String status = awaitReady();
        assertTrue(status.contains("\"state\":\"ready\""), status);
        Await.upTo(Duration.ofSeconds(120)).every(Duration.ofMillis(200)).until("the catch-up crawl to find created-while-down",
                () -> !search("created-while-down").isEmpty());
        assertEquals(Trees.find(root), search(""), "the catch-up crawl converges to find");
    }
}
