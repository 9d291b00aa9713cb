package dev.jfind.server.config;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Everything the daemon is started with, after defaults are applied. Immutable; built by name
 * with {@link #builder} (or {@link #toBuilder} to change a few settings of another).
 *
 * @param listen optional TCP address; null when TCP is off (the default)
 * @param socketMode permissions of the Unix socket: who may connect (0600 by default: only
 *     the daemon's user; a daemon serving every user needs 0666)
 * @param metrics address of the Prometheus endpoint; null when it is off (the default)
 * @param adminGroup gid whose members may use the administrative RPCs; null for none
 * @param tcpSecurity TLS and tokens for the TCP listener; {@link TcpSecurity#NONE} for neither
 * @param updatedb the machine's updatedb.conf rules, followed on top of jfind's own; null when
 *     not followed (see use_updatedb_conf)
 * @param fullFirstCrawl whether the first crawl lists every directory again
 *     (--full-crawl-on-start); a start-up choice, not a key of the file
 */
public record DaemonConfig(
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
        TcpSecurity tcpSecurity,
        UpdatedbConf updatedb,
        boolean fullFirstCrawl) {

    /** Only the daemon's own user (and root) may connect: the default when run by hand. */
    public static final Set<PosixFilePermission> PRIVATE_SOCKET = PosixFilePermissions.fromString("rw-------");
    public static final Duration DEFAULT_RESCAN = Duration.ofHours(1);
    public static final Duration DEFAULT_UNWATCHED_RESCAN = Duration.ofMinutes(15);
    /** {@code watch_limit} when it is not set: the share computed from the kernel's limits. */
    public static final long AUTOMATIC_WATCH_LIMIT = -1;

    public DaemonConfig {
        Objects.requireNonNull(stateDir, "stateDir");
        Objects.requireNonNull(socket, "socket");
        Objects.requireNonNull(tcpSecurity, "tcpSecurity");
        socketMode = Set.copyOf(socketMode);
        roots = List.copyOf(roots);
        excludePaths = List.copyOf(excludePaths);
        excludeNames = List.copyOf(excludeNames);
        excludeFsTypes = List.copyOf(excludeFsTypes);
    }

    /** A configuration with every setting at its default but the roots, state directory and socket. */
    public static Builder builder() {
        return new Builder();
    }

    /** This configuration's settings, to change some of them. */
    public Builder toBuilder() {
        return new Builder().roots(roots).stateDir(stateDir).socket(socket).listen(listen)
                .rescanInterval(rescanInterval).threads(threads).excludePaths(excludePaths).excludeNames(excludeNames)
                .excludeFsTypes(excludeFsTypes).watch(watch).watchLimit(watchLimit)
                .unwatchedRescanInterval(unwatchedRescanInterval).socketMode(socketMode).metrics(metrics)
                .adminGroup(adminGroup).tcpSecurity(tcpSecurity).updatedb(updatedb).fullFirstCrawl(fullFirstCrawl);
    }

    /**
     * Why this configuration may not be served, or null: TCP beyond loopback needs TLS and
     * tokens, since otherwise anyone who can reach it could listen or search unauthenticated.
     * The one place this rule is written; the launcher checks it before anything starts.
     */
    public String tcpRefusal() {
        return tcpSecurity.refusal(listen);
    }

    public Path indexDir() {
        return stateDir.resolve("index");
    }

    /**
     * The roots without duplicates and without any that lies inside another: a nested root
     * would be crawled twice and its paths indexed twice.
     */
    public static List<Path> outermost(List<Path> roots) {
        List<Path> sorted = roots.stream().map(DaemonConfig::absolute).distinct().sorted().toList();
        List<Path> kept = new ArrayList<>();
        for (Path root : sorted) {
            if (kept.stream().noneMatch(root::startsWith)) {
                kept.add(root);
            }
        }
        return kept;
    }

    /** {@code p} absolute (against the working directory) and normalized. */
    public static Path absolute(Path p) {
        return p.toAbsolutePath().normalize();
    }

    /**
     * $XDG_CONFIG_HOME/jfind/jfindd.conf, or ~/.config/jfind/jfindd.conf: the file a daemon run
     * by hand reads unless given --config. The system service is given /etc/jfind/jfindd.conf
     * explicitly, so a user's own daemon never picks up the system-wide paths.
     */
    public static Path defaultConfigFile(Map<String, String> env) {
        String xdg = env.get("XDG_CONFIG_HOME");
        if (xdg != null && xdg.startsWith("/")) {
            return Path.of(xdg, "jfind", "jfindd.conf");
        }
        return home(env).resolve(".config/jfind/jfindd.conf");
    }

    /** $XDG_STATE_HOME/jfind, or ~/.local/state/jfind. */
    public static Path defaultStateDir(Map<String, String> env) {
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
    public static Path home(Map<String, String> env) {
        String home = env.get("HOME");
        return home != null && home.startsWith("/") ? Path.of(home) : Path.of(System.getProperty("user.home"));
    }

    /** $XDG_RUNTIME_DIR/jfind/jfind.sock, or the state directory's jfind.sock without one. */
    public static Path defaultSocket(Map<String, String> env, Path stateDir) {
        String runtime = env.get("XDG_RUNTIME_DIR");
        if (runtime != null && runtime.startsWith("/") && java.nio.file.Files.isDirectory(Path.of(runtime))) {
            return Path.of(runtime, "jfind", "jfind.sock");
        }
        return stateDir.resolve("jfind.sock");
    }

    public static int defaultThreads() {
        // One worker per core: measured on 2 cores (1M files, warm cache), 2 workers crawled
        // and indexed in 8-10 s, 4 in 10.5-12 s: the index's own threads need the rest.
        return Math.max(2, Math.min(8, Runtime.getRuntime().availableProcessors()));
    }

    /** Settings by name; each starts at the daemon's default. Not thread-safe. */
    public static final class Builder {
        private List<Path> roots = List.of();
        private Path stateDir;
        private Path socket;
        private InetSocketAddress listen;
        private Duration rescanInterval = DEFAULT_RESCAN;
        private int threads = defaultThreads();
        private List<Path> excludePaths = List.of();
        private List<String> excludeNames = List.of();
        private List<String> excludeFsTypes = List.of();
        private boolean watch = true;
        private long watchLimit = AUTOMATIC_WATCH_LIMIT;
        private Duration unwatchedRescanInterval = DEFAULT_UNWATCHED_RESCAN;
        private Set<PosixFilePermission> socketMode = PRIVATE_SOCKET;
        private InetSocketAddress metrics;
        private Integer adminGroup;
        private TcpSecurity tcpSecurity = TcpSecurity.NONE;
        private UpdatedbConf updatedb;
        private boolean fullFirstCrawl;

        private Builder() {}

        public Builder roots(List<Path> v) { roots = v; return this; }
        public Builder stateDir(Path v) { stateDir = v; return this; }
        public Builder socket(Path v) { socket = v; return this; }
        public Builder listen(InetSocketAddress v) { listen = v; return this; }
        public Builder rescanInterval(Duration v) { rescanInterval = v; return this; }
        public Builder threads(int v) { threads = v; return this; }
        public Builder excludePaths(List<Path> v) { excludePaths = v; return this; }
        public Builder excludeNames(List<String> v) { excludeNames = v; return this; }
        public Builder excludeFsTypes(List<String> v) { excludeFsTypes = v; return this; }
        public Builder watch(boolean v) { watch = v; return this; }
        public Builder watchLimit(long v) { watchLimit = v; return this; }
        public Builder unwatchedRescanInterval(Duration v) { unwatchedRescanInterval = v; return this; }
        public Builder socketMode(Set<PosixFilePermission> v) { socketMode = v; return this; }
        public Builder metrics(InetSocketAddress v) { metrics = v; return this; }
        public Builder adminGroup(Integer v) { adminGroup = v; return this; }
        public Builder tcpSecurity(TcpSecurity v) { tcpSecurity = v; return this; }
        public Builder updatedb(UpdatedbConf v) { updatedb = v; return this; }
        public Builder fullFirstCrawl(boolean v) { fullFirstCrawl = v; return this; }

        public DaemonConfig build() {
            return new DaemonConfig(roots, stateDir, socket, listen, rescanInterval, threads, excludePaths,
                    excludeNames, excludeFsTypes, watch, watchLimit, unwatchedRescanInterval, socketMode, metrics,
                    adminGroup, tcpSecurity, updatedb, fullFirstCrawl);
        }
    }
}
