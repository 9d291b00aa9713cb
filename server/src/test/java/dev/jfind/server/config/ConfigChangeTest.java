package dev.jfind.server.config;

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
        return DaemonConfig.builder().roots(roots).stateDir(Path.of("/state")).socket(socket).rescanInterval(rescan)
                .threads(2).excludeNames(names).watchLimit(Long.MAX_VALUE).build();
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
        DaemonConfig next = DaemonConfig.builder().roots(List.of(Path.of("/b"))).stateDir(Path.of("/other-state"))
                .socket(Path.of("/t")).listen(new InetSocketAddress("127.0.0.1", 1)).rescanInterval(Duration.ofMinutes(5))
                .threads(4).excludePaths(List.of(Path.of("/b/c"))).excludeNames(List.of("y")).excludeFsTypes(List.of("nfs"))
                .watch(false).watchLimit(10).unwatchedRescanInterval(Duration.ofHours(1))
                .socketMode(PosixFilePermissions.fromString("rw-rw-rw-")).metrics(new InetSocketAddress("127.0.0.1", 9464))
                .adminGroup(4242).build();
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
        return c.toBuilder().updatedb(UpdatedbConf.parse(Path.of("/etc/updatedb.conf"), text)).build();
    }
}
