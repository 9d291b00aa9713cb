package dev.jfind.server.config;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Builds the {@link DaemonConfig} from three layers: command-line flags over the configuration
 * file over the built-in defaults. A flag that is given replaces the file's value for that key
 * (for a repeatable key, the whole list). Reading again (on reload) keeps the same flags, so
 * they still win. Immutable; thread-safe.
 */
public final class ConfigLayers {
    /** The file's keys, each named after its flag. */
    public static final Set<String> SINGLE_KEYS = Set.of("state_dir", "socket", "socket_mode", "listen", "rescan_interval",
            "threads", "watch", "watch_limit", "unwatched_rescan_interval", "metrics",
            "admin_group", "tls_cert", "tls_key", "token_file", "use_updatedb_conf", "updatedb_conf");
    public static final Set<String> LIST_KEYS = Set.of("root", "exclude_path", "exclude_name", "exclude_fs");
    public static final Set<String> KEYS = union(SINGLE_KEYS, LIST_KEYS);

    private final DaemonFlags flags;
    private final Map<String, String> env;
    private final Path file;
    private final boolean fileRequired;

    /**
     * @param flags the parsed command line
     * @param env the environment, for the XDG defaults
     */
    public ConfigLayers(DaemonFlags flags, Map<String, String> env) {
        this.flags = flags;
        this.env = Map.copyOf(env);
        this.file = flags.configFile() != null ? DaemonConfig.absolute(flags.configFile())
                : DaemonConfig.defaultConfigFile(env);
        this.fileRequired = flags.configFile() != null;
    }

    public Path file() {
        return file;
    }

    /**
     * Reads the file (again) and resolves every setting.
     *
     * @throws ConfigException if the file has an error, or was named with --config and is missing
     */
    public DaemonConfig resolve() throws ConfigException, IOException {
        return resolve(readFile());
    }

    private ConfigFile readFile() throws ConfigException, IOException {
        try {
            return ConfigFile.read(file, SINGLE_KEYS, LIST_KEYS);
        } catch (NoSuchFileException e) {
            if (fileRequired) {
                throw new ConfigException(file + ": no such configuration file");
            }
            return ConfigFile.empty(file); // the default file is optional
        }
    }

    private DaemonConfig resolve(ConfigFile conf) throws ConfigException, IOException {
        Path stateDir = DaemonConfig.absolute(flags.stateDir() != null ? flags.stateDir()
                : conf.get("state_dir", ConfigLayers::absolutePath).orElseGet(() -> DaemonConfig.defaultStateDir(env)));
        List<Path> roots = !flags.roots().isEmpty() ? flags.roots()
                : orDefault(conf.getAll("root", ConfigLayers::absolutePath), List.of(DaemonConfig.home(env)));
        Path socket = flags.socket() != null ? flags.socket()
                : conf.get("socket", ConfigLayers::absolutePath).orElseGet(() -> DaemonConfig.defaultSocket(env, stateDir));
        List<Path> outermost = DaemonConfig.outermost(roots);
        return DaemonConfig.builder()
                .roots(outermost)
                .stateDir(stateDir)
                .socket(DaemonConfig.absolute(socket))
                .listen(flags.listen() != null ? flags.listen() : conf.get("listen", Parsers::parseHostPort).orElse(null))
                .rescanInterval(flags.rescanInterval() != null ? flags.rescanInterval()
                        : conf.get("rescan_interval", Parsers::parseDuration).orElse(DaemonConfig.DEFAULT_RESCAN))
                .threads(flags.threads() != null ? flags.threads()
                        : conf.get("threads", v -> atLeast(v, 1)).map(Long::intValue).orElseGet(DaemonConfig::defaultThreads))
                .excludePaths(!flags.excludePaths().isEmpty() ? flags.excludePaths()
                        : conf.getAll("exclude_path", ConfigLayers::absolutePath))
                .excludeNames(!flags.excludeNames().isEmpty() ? flags.excludeNames()
                        : conf.getAll("exclude_name", ConfigLayers::name))
                .excludeFsTypes(!flags.excludeFs().isEmpty() ? flags.excludeFs() : conf.getAll("exclude_fs", ConfigLayers::name))
                .watch(!flags.noWatch() && conf.get("watch", ConfigLayers::yesNo).orElse(true))
                .watchLimit(flags.watchLimit() != null ? flags.watchLimit()
                        : conf.get("watch_limit", v -> atLeast(v, 0)).orElse(DaemonConfig.AUTOMATIC_WATCH_LIMIT))
                .unwatchedRescanInterval(flags.unwatchedRescanInterval() != null ? flags.unwatchedRescanInterval()
                        : conf.get("unwatched_rescan_interval", Parsers::parseDuration)
                                .orElse(DaemonConfig.DEFAULT_UNWATCHED_RESCAN))
                .socketMode(flags.socketMode() != null ? flags.socketMode()
                        : conf.get("socket_mode", Parsers::parseSocketMode).orElse(DaemonConfig.PRIVATE_SOCKET))
                .metrics(flags.metrics() != null ? flags.metrics()
                        : conf.get("metrics", Parsers::parseMetricsAddress).orElse(null))
                .adminGroup(flags.adminGroup() != null ? adminGroupFlag()
                        : conf.get("admin_group", Parsers::parseGroup).orElse(null))
                .tcpSecurity(new TcpSecurity(
                        flags.tlsCert() != null ? flags.tlsCert() : conf.get("tls_cert", ConfigLayers::absolutePath).orElse(null),
                        flags.tlsKey() != null ? flags.tlsKey() : conf.get("tls_key", ConfigLayers::absolutePath).orElse(null),
                        flags.tokenFile() != null ? flags.tokenFile()
                                : conf.get("token_file", ConfigLayers::absolutePath).orElse(null)))
                .updatedb(updatedb(conf, outermost))
                .fullFirstCrawl(flags.fullCrawlOnStart())
                .build();
    }

    /**
     * The machine's updatedb.conf when it is to be followed: use_updatedb_conf says, or by
     * default when "/" is a root (the whole machine, as updatedb indexes it). It is read on
     * every reload, so an edit to it applies at the next SIGHUP.
     */
    private static UpdatedbConf updatedb(ConfigFile conf, List<Path> roots)
            throws ConfigException, IOException {
        boolean systemWide = roots.stream().anyMatch(r -> r.getNameCount() == 0);
        if (!conf.get("use_updatedb_conf", ConfigLayers::yesNo).orElse(systemWide)) {
            return null;
        }
        Path file = conf.get("updatedb_conf", ConfigLayers::absolutePath)
                .orElse(UpdatedbConf.DEFAULT_FILE);
        return UpdatedbConf.read(file);
    }

    private Integer adminGroupFlag() throws ConfigException {
        try {
            return Parsers.parseGroup(flags.adminGroup());
        } catch (IllegalArgumentException e) {
            throw new ConfigException("--admin-group: " + e.getMessage());
        }
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new java.util.HashSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }

    private static <T> List<T> orDefault(List<T> values, List<T> fallback) {
        return values.isEmpty() ? fallback : values;
    }

    private static Path absolutePath(String value) {
        Path p = Path.of(value);
        if (!p.isAbsolute()) {
            throw new IllegalArgumentException("'" + value + "' is not an absolute path");
        }
        return p.normalize();
    }

    private static String name(String value) {
        if (value.contains("/")) {
            throw new IllegalArgumentException("'" + value + "' is a name, it cannot contain '/'");
        }
        return value;
    }

    private static boolean yesNo(String value) {
        switch (value.toLowerCase(Locale.ROOT)) {
            case "yes": case "true": case "on":
                return true;
            case "no": case "false": case "off":
                return false;
            default:
                throw new IllegalArgumentException("'" + value + "' is not yes or no");
        }
    }

    private static long atLeast(String value, long min) {
        long n;
        try {
            n = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + value + "' is not a whole number");
        }
        if (n < min) {
            throw new IllegalArgumentException("must be at least " + min + ", not " + n);
        }
        return n;
    }
}
