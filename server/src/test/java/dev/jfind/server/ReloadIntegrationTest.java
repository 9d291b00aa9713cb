package dev.jfind.server;

import dev.jfind.server.rpc.NettyServers;
import dev.jfind.server.config.DaemonConfig;
import dev.jfind.server.watch.InotifyLimits;
import dev.jfind.server.config.ConfigLayers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jfind.server.testing.Await;
import dev.jfind.server.testing.Indexed;
import dev.jfind.server.testing.Trees;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The configuration file at start and on reload, with a real daemon on temporary trees: new
 * roots and exclusions take effect with a new crawl, live updates follow the new rules, what
 * needs a restart is reported, and a broken file changes nothing.
 */
class ReloadIntegrationTest {
    private static final long DEADLINE_SECONDS = 30;

    @TempDir
    Path tmp;
    private Daemon daemon;
    private Path conf;
    private final StringWriter log = new StringWriter();

    @AfterEach
    void stop() {
        if (daemon != null) {
            daemon.stop();
        }
    }

    private void start(String config) throws Exception {
        conf = tmp.resolve("jfindd.conf");
        Files.writeString(conf, config);
        Map<String, String> env = Map.of("HOME", tmp.toString());
        Jfindd flags = new Jfindd(env, new PrintWriter(log, true));
        new CommandLine(flags).parseArgs("--config", conf.toString());
        ConfigLayers layers = new ConfigLayers(flags.flags(), env);
        DaemonConfig resolved = layers.resolve();
        daemon = new Daemon(resolved, NettyServers.of(resolved), InotifyLimits::ofThisUser,
                new ConfigReload(layers, new PrintWriter(log, true)));
        daemon.start();
    }

    /** Reads the file again and applies it, as SIGHUP does; whether the file could be used. */
    private boolean reload() {
        try {
            daemon.reloadConfig();
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    private String common() {
        return "state_dir = " + tmp.resolve("state") + "\nsocket = " + tmp.resolve("run/jfind.sock") + "\n";
    }

    private static Path tree(Path root) throws IOException {
        Files.createDirectories(root.resolve("docs/cache/deep"));
        Files.createFile(root.resolve("docs/cache/deep/cached.bin"));
        Files.createFile(root.resolve("docs/readme.txt"));
        return root;
    }

    private Set<ByteBuffer> indexed() throws IOException {
        return Indexed.all(daemon.index());
    }

    private static Set<ByteBuffer> without(Set<ByteBuffer> paths, String part) {
        byte[] p = Trees.utf8(part);
        return paths.stream().filter(b -> Trees.indexOf(b.array(), p) < 0).collect(Collectors.toSet());
    }

    /** Waits until the index holds exactly what {@code expected} computes (find, re-run each time). */
    private void awaitIndex(IoSupplier<Set<ByteBuffer>> expected, String what) throws Exception {
        Await.upTo(Duration.ofSeconds(DEADLINE_SECONDS)).until(what, () -> List.of(expected.get(), indexed()),
                now -> now.get(0).equals(now.get(1)),
                now -> "expected " + Trees.readable(now.get(0)) + " but indexed " + Trees.readable(now.get(1)));
    }

    interface IoSupplier<T> {
        T get() throws IOException;
    }

    @Test
    void newRootsAndExclusionsAreCrawledAtOnceAndLiveUpdatesFollowThem() throws Exception {
        Path a = tree(tmp.resolve("a"));
        Path b = tree(tmp.resolve("b"));
        start(common() + "root = " + a + "\n");
        awaitIndex(() -> Trees.find(a), "first crawl of a");

        Files.writeString(conf, common() + "root = " + a + "\nroot = " + b + "\nexclude_name = cache\n");
        assertTrue(reload(), log.toString());
        assertTrue(log.toString().contains("reload: crawling again with root, exclude_name changed"), log.toString());
        awaitIndex(() -> {
            Set<ByteBuffer> both = new HashSet<>(Trees.find(a));
            both.addAll(Trees.find(b));
            return without(both, "/cache");
        }, "a and b without their cache directories");

        // a/docs/cache was watched under the old rules: what happens in it stays out now,
        // while the rest of the tree is still followed live
        Files.createFile(a.resolve("docs/cache/after-reload.bin"));
        Files.createFile(a.resolve("docs/after-reload.txt"));
        Files.createFile(b.resolve("docs/after-reload.txt"));
        awaitIndex(() -> {
            Set<ByteBuffer> both = new HashSet<>(Trees.find(a));
            both.addAll(Trees.find(b));
            return without(both, "/cache");
        }, "live updates under the new rules");

        Files.writeString(conf, common() + "root = " + b + "\n");
        assertTrue(reload(), log.toString());
        awaitIndex(() -> Trees.find(b), "only b, cache included again");
    }

    @Test
    void theStateDirectoryIsPrivateAndTheSocketHasTheConfiguredMode() throws Exception {
        Path a = tree(tmp.resolve("a"));
        Files.createDirectories(tmp.resolve("state"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxr-xr-x")));
        start(common() + "root = " + a + "\nsocket_mode = 0666\n");
        assertEquals(PosixFilePermissions.fromString("rwx------"), Files.getPosixFilePermissions(tmp.resolve("state")));
        assertEquals(PosixFilePermissions.fromString("rw-rw-rw-"),
                Files.getPosixFilePermissions(tmp.resolve("run/jfind.sock")));
        assertEquals(PosixFilePermissions.fromString("rwx--x--x"), Files.getPosixFilePermissions(tmp.resolve("run")),
                "a socket directory the daemon makes lets in those the socket admits, without listing it");
    }

    @Test
    void settingsThatNeedARestartAreReportedAndLeftAlone() throws Exception {
        Path a = tree(tmp.resolve("a"));
        start(common() + "root = " + a + "\n");
        awaitIndex(() -> Trees.find(a), "first crawl");
        Files.writeString(conf, "state_dir = " + tmp.resolve("elsewhere") + "\nsocket = " + tmp.resolve("other.sock")
                + "\nsocket_mode = 0666\nroot = " + a + "\n");
        assertTrue(reload());
        String out = log.toString();
        assertTrue(out.contains("reload: state_dir changed: takes effect after a restart"), out);
        assertTrue(out.contains("reload: socket changed: takes effect after a restart"), out);
        assertTrue(out.contains("reload: socket_mode changed: takes effect after a restart"), out);
        assertFalse(out.contains("crawling again"), out);
        assertTrue(Files.exists(tmp.resolve("run/jfind.sock")), "still serving where it started");
        assertFalse(Files.exists(tmp.resolve("other.sock")));
        assertEquals(PosixFilePermissions.fromString("rw-------"),
                Files.getPosixFilePermissions(tmp.resolve("run/jfind.sock")));
    }

    @Test
    void aBrokenFileOnReloadChangesNothing() throws Exception {
        Path a = tree(tmp.resolve("a"));
        start(common() + "root = " + a + "\n");
        awaitIndex(() -> Trees.find(a), "first crawl");
        Files.writeString(conf, common() + "root = " + a + "\nexclude_name = cache\nrescan_interval = often\n");
        assertFalse(reload());
        assertTrue(log.toString().contains("reload failed, keeping the configuration in force: " + conf
                + ":5: rescan_interval: 'often' is not a duration"), log.toString());
        Files.createFile(a.resolve("docs/cache/still-indexed.bin"));
        awaitIndex(() -> Trees.find(a), "the old rules still apply");
    }

    @Test
    void aReloadWithAMissingRootKeepsTheRootsInForceAndSaysWhy() throws Exception {
        Path a = tree(tmp.resolve("a"));
        start(common() + "root = " + a + "\n");
        awaitIndex(() -> Trees.find(a), "first crawl");
        Path gone = tmp.resolve("gone");
        Files.writeString(conf, common() + "root = " + gone + "\n");
        assertFalse(reload());
        assertTrue(log.toString().contains("reload failed, keeping the configuration in force: root " + gone
                + ": No such file or directory; the roots in force are kept"), log.toString());
        Files.createFile(a.resolve("docs/after-reload.txt"));
        awaitIndex(() -> Trees.find(a), "a is still the root and still watched");
    }

    @Test
    void aRuleAddedAndRemovedAgainAtOnceLosesNothing() throws Exception {
        // the issue's /usr: share/doc beside enough else that the crawl under the added rule
        // is still running when the rule is removed again
        Path usr = tmp.resolve("usr");
        Files.createDirectories(usr.resolve("share/doc/pkg"));
        Files.createFile(usr.resolve("share/doc/pkg/copyright"));
        for (int i = 0; i < 300; i++) {
            Path d = Files.createDirectories(usr.resolve("share/lib" + i + "/sub"));
            Files.createFile(d.resolve("file"));
        }
        // unchanged for an hour, so that listings are reused unless their rules say otherwise
        try (java.util.stream.Stream<Path> all = Files.walk(usr)) {
            for (Path p : all.toList()) {
                Files.setLastModifiedTime(p, java.nio.file.attribute.FileTime.fromMillis(
                        System.currentTimeMillis() - 3_600_000));
            }
        }
        start(common() + "root = " + usr + "\n");
        awaitIndex(() -> Trees.find(usr), "first crawl");
        Files.writeString(conf, common() + "root = " + usr + "\nexclude_name = doc\n");
        assertTrue(reload(), log.toString());
        // the crawl under the new rule has rewritten share without doc, and goes on below it
        ByteBuffer doc = ByteBuffer.wrap(dev.jfind.server.fs.PathBytes.of(usr.resolve("share/doc")));
        Await.upTo(Duration.ofSeconds(DEADLINE_SECONDS)).every(Duration.ofMillis(5))
                .until("share rewritten under the new rule", () -> !indexed().contains(doc));
        Files.writeString(conf, common() + "root = " + usr + "\n");
        assertTrue(reload(), log.toString());
        awaitIndex(() -> Trees.find(usr), "share/doc back after the rule was removed");
    }
}
