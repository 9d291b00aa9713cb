package dev.jfind.server;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Everything the daemon is started with, after defaults are applied. Immutable.
 *
 * @param listen optional TCP address; null when TCP is off (the default)
 * @param socketMode permissions of the Unix socket: who may connect (0600 by default: only
 *     the daemon's user; a daemon serving every user needs 0666)
 * @param metrics address of the Prometheus endpoint; null when it is off (the default)
 * @param adminGroup gid whose members may use the administrative RPCs; null for none
 * @param tcpSecurity TLS and tokens for the TCP listener; null for neither
 * @param updatedb the machine's updatedb.conf rules, followed on top of jfind's own; null when
 *     not followed (see use_updatedb_conf)
 */
record DaemonConfig(
        List<Path> roots,
        Path stateDir,
        Path socket,
        InetSocketAddress listen,
        Duration rescanInterval,
        int threads,
        List<Path> excludePaths,
        List<String> excludeNames,
        List<String> excludeFsTypes,
        boolean watch,
        long watchLimit,
        Duration unwatchedRescanInterval,
        Set<PosixFilePermission> socketMode,
        InetSocketAddress metrics,
        Integer adminGroup,
        dev.jfind.server.rpc.TcpSecurity tcpSecurity,
        dev.jfind.server.config.UpdatedbConf updatedb) {

    /** Only the daemon's own user (and root) may connect: the default when run by hand. */
    static final Set<PosixFilePermission> PRIVATE_SOCKET = PosixFilePermissions.fromString("rw-------");

    /** A configuration that does not follow updatedb.conf. */
    DaemonConfig(List<Path> roots, Path stateDir, Path socket, InetSocketAddress listen, Duration rescanInterval,
            int threads, List<Path> excludePaths, List<String> excludeNames, List<String> excludeFsTypes,
            boolean watch, long watchLimit, Duration unwatchedRescanInterval, Set<PosixFilePermission> socketMode,
            InetSocketAddress metrics, Integer adminGroup, dev.jfind.server.rpc.TcpSecurity tcpSecurity) {
        this(roots, stateDir, socket, listen, rescanInterval, threads, excludePaths, excludeNames, excludeFsTypes,
                watch, watchLimit, unwatchedRescanInterval, socketMode, metrics, adminGroup, tcpSecurity, null);
    }

    DaemonConfig {
        socketMode = Set.copyOf(socketMode);
        roots = List.copyOf(roots);
        excludePaths = List.copyOf(excludePaths);
        excludeNames = List.copyOf(excludeNames);
        excludeFsTypes = List.copyOf(excludeFsTypes);
    }

    /**
     * The roots without duplicates and without any that lies inside another: a nested root
     * would be crawled twice and its paths indexed twice.
     */
    static List<Path> outermost(List<Path> roots) {
        List<Path> sorted = roots.stream().map(p -> p.toAbsolutePath().normalize()).distinct().sorted().toList();
        List<Path> kept = new java.util.ArrayList<>();
        for (Path root : sorted) {
            if (kept.stream().noneMatch(root::startsWith)) {
                kept.add(root);
            }
        }
        return kept;
    }

    Path indexDir() {
        return stateDir.resolve("index");
    }

    /**
     * $XDG_CONFIG_HOME/jfind/jfindd.conf, or ~/.config/jfind/jfindd.conf: the file a daemon run
     * by hand reads unless given --config. The system service is given /etc/jfind/jfindd.conf
     * explicitly, so a user's own daemon never picks up the system-wide paths.
     */
    static Path defaultConfigFile(java.util.Map<String, String> env) {
        String xdg = env.get("XDG_CONFIG_HOME");
        if (xdg != null && xdg.startsWith("/")) {
            return Path.of(xdg, "jfind", "jfindd.conf");
        }
        return home(env).resolve(".config/jfind/jfindd.conf");
    }

    /** $XDG_STATE_HOME/jfind, or ~/.local/state/jfind. */
    static Path defaultStateDir(java.util.Map<String, String> env) {
        String xdg = env.get("XDG_STATE_HOME");
        if (xdg != null && xdg.startsWith("/")) {
            return Path.of(xdg, "jfind");
        }
        return home(env).resolve(".local/state/jfind");
    }

    /**
     * $HOME, as the XDG directories and the shell mean it; the JVM's user.home comes from the
     * password database instead, which differs when a user or a test sets HOME.
     */
    static Path home(java.util.Map<String, String> env) {
        String home = env.get("HOME");
        return home != null && home.startsWith("/") ? Path.of(home) : Path.of(System.getProperty("user.home"));
    }

    /** $XDG_RUNTIME_DIR/jfind/jfind.sock, or the state directory's jfind.sock without one. */
    static Path defaultSocket(java.util.Map<String, String> env, Path stateDir) {
        String runtime = env.get("XDG_RUNTIME_DIR");
        if (runtime != null && runtime.startsWith("/") && java.nio.file.Files.isDirectory(Path.of(runtime))) {
            return Path.of(runtime, "jfind", "jfind.sock");
        }
        return stateDir.resolve("jfind.sock");
    }

    static int defaultThreads() {
        // One worker per core: measured on 2 cores (1M files, warm cache), 2 workers crawled
        // and indexed in 8-10 s, 4 in 10.5-12 s: the index's own threads need the rest.
        return Math.max(2, Math.min(8, Runtime.getRuntime().availableProcessors()));
    }
}
