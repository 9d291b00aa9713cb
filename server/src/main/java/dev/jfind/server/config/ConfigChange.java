package dev.jfind.server.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What differs between the configuration in force and one read again, by config-file key:
 * what a new crawl can apply live, and what only a restart can (the socket and state directory
 * are held open; the watcher is built once). Immutable.
 *
 * @param crawlKeys changed keys that a new crawl applies
 * @param needRestart changed keys that need a restart
 * @param liveApplied the configuration in force with the crawl keys' new values
 */
public record ConfigChange(List<String> crawlKeys, List<String> needRestart, DaemonConfig liveApplied) {

    public static ConfigChange between(DaemonConfig now, DaemonConfig next) {
        List<String> crawl = new ArrayList<>();
        changed(crawl, "root", Set.copyOf(now.roots()), Set.copyOf(next.roots()));
        changed(crawl, "exclude_path", Set.copyOf(now.excludePaths()), Set.copyOf(next.excludePaths()));
        changed(crawl, "exclude_name", Set.copyOf(now.excludeNames()), Set.copyOf(next.excludeNames()));
        changed(crawl, "exclude_fs", Set.copyOf(now.excludeFsTypes()), Set.copyOf(next.excludeFsTypes()));
        changed(crawl, "updatedb.conf", now.updatedb(), next.updatedb());
        changed(crawl, "threads", now.threads(), next.threads());
        changed(crawl, "rescan_interval", now.rescanInterval(), next.rescanInterval());
        List<String> restart = new ArrayList<>();
        changed(restart, "state_dir", now.stateDir(), next.stateDir());
        changed(restart, "socket", now.socket(), next.socket());
        changed(restart, "socket_mode", now.socketMode(), next.socketMode());
        changed(restart, "listen", now.listen(), next.listen());
        changed(restart, "metrics", now.metrics(), next.metrics());
        changed(restart, "admin_group", now.adminGroup(), next.adminGroup());
        changed(restart, "tls_cert, tls_key, token_file", now.tcpSecurity(), next.tcpSecurity());
        changed(restart, "watch", now.watch(), next.watch());
        changed(restart, "watch_limit", now.watchLimit(), next.watchLimit());
        changed(restart, "unwatched_rescan_interval", now.unwatchedRescanInterval(), next.unwatchedRescanInterval());
        DaemonConfig live = now.toBuilder().roots(next.roots()).rescanInterval(next.rescanInterval())
                .threads(next.threads()).excludePaths(next.excludePaths()).excludeNames(next.excludeNames())
                .excludeFsTypes(next.excludeFsTypes()).updatedb(next.updatedb()).build();
        return new ConfigChange(List.copyOf(crawl), List.copyOf(restart), live);
    }

    public boolean crawlChanged() {
        return !crawlKeys.isEmpty();
    }

    private static void changed(List<String> into, String key, Object before, Object after) {
        if (!Objects.equals(before, after)) {
            into.add(key);
        }
    }
}
