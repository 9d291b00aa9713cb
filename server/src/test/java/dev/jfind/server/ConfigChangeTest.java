package dev.jfind.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigChangeTest {
    private static DaemonConfig config(List<Path> roots, Path socket, List<String> names, Duration rescan) {
        return new DaemonConfig(roots, Path.of("/state"), socket, null, rescan, 2, List.of(), names, List.of(),
                true, Long.MAX_VALUE, Duration.ofMinutes(15), DaemonConfig.PRIVATE_SOCKET, null, null, null);
    }

    @Test
    void nothingChanged() {
        DaemonConfig c = config(List.of(Path.of("/a")), Path.of("/s"), List.of("x"), Duration.ofHours(1));
        ConfigChange change = ConfigChange.between(c, config(List.of(Path.of("/a")), Path.of("/s"), List.of("x"),
                Duration.ofHours(1)));
        assertFalse(change.crawlChanged());
        assertEquals(List.of(), change.needRestart());
    }

    @Test
    void crawlSettingsApplyLiveAndTheRestWaitsForARestart() {
        DaemonConfig now = config(List.of(Path.of("/a")), Path.of("/s"), List.of("x"), Duration.ofHours(1));
        DaemonConfig next = new DaemonConfig(List.of(Path.of("/b")), Path.of("/other-state"), Path.of("/t"),
                new InetSocketAddress("127.0.0.1", 1), Duration.ofMinutes(5), 4, List.of(Path.of("/b/c")), List.of("y"),
                List.of("nfs"), false, 10, Duration.ofHours(1), PosixFilePermissions.fromString("rw-rw-rw-"),
                new InetSocketAddress("127.0.0.1", 9464), 4242, null);
        ConfigChange change = ConfigChange.between(now, next);
        assertEquals(List.of("root", "exclude_path", "exclude_name", "exclude_fs", "threads", "rescan_interval"),
                change.crawlKeys());
        assertEquals(List.of("state_dir", "socket", "socket_mode", "listen", "metrics", "admin_group", "watch", "watch_limit",
                "unwatched_rescan_interval"), change.needRestart());
        DaemonConfig live = change.liveApplied();
        assertEquals(next.roots(), live.roots());
        assertEquals(next.excludeNames(), live.excludeNames());
        assertEquals(next.rescanInterval(), live.rescanInterval());
        assertEquals(now.socket(), live.socket(), "the socket in use stays");
        assertEquals(now.stateDir(), live.stateDir());
        assertEquals(now.watch(), live.watch());
        assertEquals(now.socketMode(), live.socketMode());
        assertEquals(null, live.metrics(), "the metrics endpoint in use stays (off)");
    }

    @Test
    void anEditedUpdatedbConfAppliesWithANewCrawl() throws Exception {
        DaemonConfig c = config(List.of(Path.of("/")), Path.of("/s"), List.of(), Duration.ofHours(1));
        DaemonConfig before = withUpdatedb(c, "PRUNENAMES=\".git\"");
        DaemonConfig after = withUpdatedb(c, "# PRUNENAMES=\".git\"");
        ConfigChange change = ConfigChange.between(before, after);
        assertEquals(List.of("updatedb.conf"), change.crawlKeys());
        assertEquals(after.updatedb(), change.liveApplied().updatedb());
        assertFalse(ConfigChange.between(before, withUpdatedb(c, "PRUNENAMES=\".git\"")).crawlChanged());
    }

    private static DaemonConfig withUpdatedb(DaemonConfig c, String text) throws Exception {
        return new DaemonConfig(c.roots(), c.stateDir(), c.socket(), c.listen(), c.rescanInterval(), c.threads(),
                c.excludePaths(), c.excludeNames(), c.excludeFsTypes(), c.watch(), c.watchLimit(),
                c.unwatchedRescanInterval(), c.socketMode(), c.metrics(), c.adminGroup(), c.tcpSecurity(),
                dev.jfind.server.config.UpdatedbConf.parse(Path.of("/etc/updatedb.conf"), text));
    }
}
