package dev.jfind.server;

import dev.jfind.server.config.ConfigLayers;
import dev.jfind.server.config.DaemonConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jfind.server.config.ConfigException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ConfigLayersTest {
    @TempDir
    Path tmp;

    private Map<String, String> env() {
        return Map.of("HOME", tmp.resolve("home").toString(), "XDG_CONFIG_HOME", tmp.resolve("xdg").toString());
    }

    private ConfigLayers layers(String... args) {
        Jfindd flags = new Jfindd(env(), new PrintWriter(new StringWriter()));
        new CommandLine(flags).parseArgs(args);
        return new ConfigLayers(flags.flags(), env());
    }

    private Path write(String name, String text) throws Exception {
        Path file = tmp.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        return file;
    }

    @Test
    void withoutAFileTheDefaultsAreThoseOfADaemonRunByHand() throws Exception {
        ConfigLayers layers = layers();
        assertEquals(tmp.resolve("xdg/jfind/jfindd.conf"), layers.file());
        DaemonConfig c = layers.resolve();
        assertEquals(List.of(tmp.resolve("home")), c.roots());
        assertEquals(tmp.resolve("home/.local/state/jfind"), c.stateDir());
        assertEquals(Duration.ofHours(1), c.rescanInterval());
        assertEquals(Duration.ofMinutes(15), c.unwatchedRescanInterval());
        assertTrue(c.watch());
        assertEquals(DaemonConfig.AUTOMATIC_WATCH_LIMIT, c.watchLimit());
        assertNull(c.listen());
        assertNull(c.metrics(), "no metrics endpoint unless asked");
        assertEquals(DaemonConfig.PRIVATE_SOCKET, c.socketMode());
        assertEquals(DaemonConfig.defaultThreads(), c.threads());
    }

    @Test
    void everyKeyOfTheFileIsApplied() throws Exception {
        Path file = write("etc/jfindd.conf", String.join("\n",
                "root = /srv", "root = /data/my files", "state_dir = /var/lib/jfind", "socket = /run/jfind/jfind.sock",
                "socket_mode = 0666", "listen = 127.0.0.1:7543", "rescan_interval = 30m", "threads = 3",
                "exclude_path = /srv/cache", "exclude_name = node_modules", "exclude_name = .cache", "exclude_fs = nfs4",
                "watch = no", "watch_limit = 1000", "unwatched_rescan_interval = 2h", "metrics = 9464", ""));
        DaemonConfig c = layers("--config", file.toString()).resolve();
        assertEquals(List.of(Path.of("/data/my files"), Path.of("/srv")), c.roots());
        assertEquals(Path.of("/var/lib/jfind"), c.stateDir());
        assertEquals(Path.of("/run/jfind/jfind.sock"), c.socket());
        assertEquals(PosixFilePermissions.fromString("rw-rw-rw-"), c.socketMode());
        assertEquals(new InetSocketAddress("127.0.0.1", 7543), c.listen());
        assertEquals(Duration.ofMinutes(30), c.rescanInterval());
        assertEquals(3, c.threads());
        assertEquals(List.of(Path.of("/srv/cache")), c.excludePaths());
        assertEquals(List.of("node_modules", ".cache"), c.excludeNames());
        assertEquals(List.of("nfs4"), c.excludeFsTypes());
        assertFalse(c.watch());
        assertEquals(1000, c.watchLimit());
        assertEquals(Duration.ofHours(2), c.unwatchedRescanInterval());
        assertEquals(new InetSocketAddress("127.0.0.1", 9464), c.metrics(), "a port alone: loopback");
    }

    @Test
    void theShippedFileSetsTheSystemPathsAndDocumentsEveryKey() throws Exception {
        Path shipped = Path.of("").toAbsolutePath().getParent().resolve("deploy/jfindd.conf");
        DaemonConfig c = layers("--config", shipped.toString()).resolve();
        assertEquals(List.of(Path.of("/")), c.roots());
        assertEquals(Path.of("/var/lib/jfind"), c.stateDir());
        assertEquals(Path.of("/run/jfind/jfind.sock"), c.socket());
        assertEquals(PosixFilePermissions.fromString("rw-rw-rw-"), c.socketMode(), "every user; each sees their own view");
        assertEquals(Duration.ofHours(1), c.rescanInterval());
        assertTrue(c.watch());
        assertNull(c.listen(), "TCP stays off");
        assertNull(c.metrics(), "metrics stay off");
        String text = Files.readString(shipped);
        for (String key : ConfigLayers.KEYS) {
            assertTrue(text.contains("\n" + key + " = ") || text.contains("\n#" + key + " = "), "documents " + key);
        }
    }

    @Test
    void flagsOverrideTheFileAndAGivenListReplacesTheFilesList() throws Exception {
        Path file = write("etc/jfindd.conf", "root = /srv\nexclude_name = a\nthreads = 3\nstate_dir = /var/lib/jfind\n"
                + "socket_mode = 0666\nrescan_interval = 30m\nmetrics = 9464\n");
        DaemonConfig c = layers("--config", file.toString(), "--root", "/opt", "--exclude-name", "b",
                "--state-dir", tmp.resolve("s").toString(), "--socket-mode", "600", "--rescan-interval", "5m",
                "--metrics", "0.0.0.0:9100").resolve();
        assertEquals(List.of(Path.of("/opt")), c.roots());
        assertEquals(List.of("b"), c.excludeNames());
        assertEquals(tmp.resolve("s"), c.stateDir());
        assertEquals(tmp.resolve("s/jfind.sock"), c.socket(), "the default socket follows the state directory given");
        assertEquals(DaemonConfig.PRIVATE_SOCKET, c.socketMode());
        assertEquals(Duration.ofMinutes(5), c.rescanInterval());
        assertEquals(new InetSocketAddress("0.0.0.0", 9100), c.metrics(), "a host other than loopback when named");
        assertEquals(3, c.threads(), "what no flag sets still comes from the file");
    }

    @Test
    void theDefaultFileIsReadWhenPresentAndMayBeMissing() throws Exception {
        write("xdg/jfind/jfindd.conf", "rescan_interval = 2d\n");
        assertEquals(Duration.ofDays(2), layers().resolve().rescanInterval());
    }

    @Test
    void aNamedFileMustExist() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> layers("--config", tmp.resolve("none.conf").toString()).resolve());
        assertEquals(tmp.resolve("none.conf") + ": no such configuration file", e.getMessage());
    }

    @Test
    void aBadValueNamesTheKeyAndLine() throws Exception {
        Map<String, String> cases = Map.of(
                "rescan_interval = soon", "rescan_interval: 'soon' is not a duration",
                "root = relative/dir", "root: 'relative/dir' is not an absolute path",
                "threads = 0", "threads: must be at least 1, not 0",
                "watch_limit = lots", "watch_limit: 'lots' is not a whole number",
                "watch = maybe", "watch: 'maybe' is not yes or no",
                "socket_mode = 0999", "socket_mode: '0999' is not an octal mode",
                "exclude_name = a/b", "exclude_name: 'a/b' is a name, it cannot contain '/'",
                "listen = nowhere", "listen: 'nowhere' is not HOST:PORT",
                "metrics = nowhere", "metrics: 'nowhere' is not HOST:PORT");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            Path file = write("bad.conf", "# line 1\n" + c.getKey() + "\n");
            ConfigException e = assertThrows(ConfigException.class,
                    () -> layers("--config", file.toString()).resolve(), c.getKey());
            assertTrue(e.getMessage().startsWith(file + ":2: " + c.getValue()), e.getMessage());
        }
    }

    @Test
    void jfinddReportsABadFileAndExitsWithOne() throws Exception {
        Path file = write("bad.conf", "rescan_intervall = 1h\n");
        StringWriter err = new StringWriter();
        int code = Jfindd.run(new String[] {"--config", file.toString()}, env(),
                new PrintWriter(new StringWriter()), new PrintWriter(err, true));
        assertEquals(1, code);
        assertTrue(err.toString().contains(file + ":1: unknown key 'rescan_intervall'"), err.toString());
    }

    @Test
    void updatedbConfIsFollowedForTheWholeMachineOrWhenAsked() throws Exception {
        Path conf = write("etc/updatedb.conf", "PRUNENAMES=\".git\"\nPRUNE_BIND_MOUNTS=\"1\"\n");
        DaemonConfig system = layers("--config", write("a.conf", "root = /\nupdatedb_conf = " + conf + "\n").toString())
                .resolve();
        assertEquals(conf, system.updatedb().file());
        assertEquals(".git", system.updatedb().pruneNames().get(0).text());
        assertTrue(system.updatedb().pruneBindMounts());
        assertNull(layers("--root", tmp.toString()).resolve().updatedb(), "a home directory: not unless asked");
        assertNull(layers("--config", write("b.conf", "root = /\nuse_updatedb_conf = false\n").toString())
                .resolve().updatedb(), "switched off");
        DaemonConfig asked = layers("--config", write("c.conf", "root = /srv\nuse_updatedb_conf = yes\n"
                + "updatedb_conf = " + tmp.resolve("absent.conf") + "\n").toString()).resolve();
        assertFalse(asked.updatedb().present(), "a missing file: plocate's defaults");
        Path bad = write("etc/bad.conf", "PRUNENAMES=.git\n");
        ConfigException e = assertThrows(ConfigException.class, () -> layers("--config",
                write("d.conf", "root = /\nupdatedb_conf = " + bad + "\n").toString()).resolve());
        assertEquals(bad + ":1: value in quotes expected after 'PRUNENAMES ='", e.getMessage());
    }

    @Test
    void printExcludesShowsEachRuleWithItsSource() throws Exception {
        Path conf = write("etc/updatedb.conf", "PRUNEPATHS=\"/tmp /media\"\n");
        Path file = write("p.conf", "root = /\nupdatedb_conf = " + conf + "\nexclude_name = node_modules\n"
                + "state_dir = " + tmp.resolve("state") + "\n");
        StringWriter out = new StringWriter();
        int code = Jfindd.run(new String[] {"--config", file.toString(), "--print-excludes"}, env(),
                new PrintWriter(out), new PrintWriter(new StringWriter()));
        assertEquals(0, code);
        String text = out.toString();
        assertTrue(text.lines().anyMatch(l -> l.contains("/media") && l.contains(conf + ":1 PRUNEPATHS")
                && l.contains("index, do not enter")), text);
        assertTrue(text.lines().anyMatch(l -> l.contains("node_modules") && l.contains("exclude_name")), text);
        assertTrue(text.lines().anyMatch(l -> l.contains(tmp.resolve("state").toString())
                && l.contains("the state directory")), text);
        assertTrue(text.lines().anyMatch(l -> l.contains("proc") && l.contains("virtual file systems")), text);
        assertTrue(text.lines().anyMatch(l -> l.contains("bind mounts") && l.contains("plocate's default")), text);
        assertFalse(text.contains(".git"), "no hard-coded PRUNENAMES");
    }
}
