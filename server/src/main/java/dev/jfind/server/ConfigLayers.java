package dev.jfind.server;

import dev.jfind.server.config.ConfigException;
import dev.jfind.server.config.ConfigFile;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
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
final class ConfigLayers {
    /** The file's keys, each named after its flag. */
    static final Set<String> SINGLE_KEYS = Set.of("state_dir", "socket", "socket_mode", "listen", "rescan_interval",
            "threads", "watch", "watch_limit", "unwatched_rescan_interval", "metrics",
            "admin_group", "tls_cert", "tls_key", "token_file", "use_updatedb_conf", "updatedb_conf");
    static final Set<String> LIST_KEYS = Set.of("root", "exclude_path", "exclude_name", "exclude_fs");
    static final Set<String> KEYS = union(SINGLE_KEYS, LIST_KEYS);

    private static final Duration DEFAULT_RESCAN = Duration.ofHours(1);
    private static final Duration DEFAULT_UNWATCHED_RESCAN = Duration.ofMinutes(15);

    private final Jfindd flags;
    private final Map<String, String> env;
    private final Path file;
    private final boolean fileRequired;

    /**
     * @param flags the parsed command line
     * @param env the environment, for the XDG defaults
     */
    ConfigLayers(Jfindd flags, Map<String, String> env) {
        this.flags = flags;
        this.env = env;
        this.file = flags.configFile != null ? Daemon.absolute(flags.configFile) : DaemonConfig.defaultConfigFile(env);
        this.fileRequired = flags.configFile != null;
    }

    Path file() {
        return file;
    }

    /**
     * Reads the file (again) and resolves every setting.
     *
     * @throws ConfigException if the file has an error, or was named with --config and is missing
     */
    DaemonConfig resolve() throws ConfigException, IOException {
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
        Path stateDir = Daemon.absolute(flags.stateDir != null ? flags.stateDir
                : conf.get("state_dir", ConfigLayers::absolutePath).orElseGet(() -> DaemonConfig.defaultStateDir(env)));
        List<Path> roots = !flags.roots.isEmpty() ? flags.roots
                : orDefault(conf.getAll("root", ConfigLayers::absolutePath), List.of(DaemonConfig.home(env)));
        Path socket = flags.socket != null ? flags.socket
                : conf.get("socket", ConfigLayers::absolutePath).orElseGet(() -> DaemonConfig.defaultSocket(env, stateDir));
        List<Path> outermost = DaemonConfig.outermost(roots);
        return new DaemonConfig(
                outermost,
                stateDir,
                Daemon.absolute(socket),
                flags.listen != null ? flags.listen : conf.get("listen", Conversions::parseHostPort).orElse(null),
                flags.rescanInterval != null ? flags.rescanInterval
                        : conf.get("rescan_interval", Conversions::parseDuration).orElse(DEFAULT_RESCAN),
                flags.threads != null ? flags.threads
                        : conf.get("threads", v -> atLeast(v, 1)).map(Long::intValue).orElseGet(DaemonConfig::defaultThreads),
                !flags.excludePaths.isEmpty() ? flags.excludePaths : conf.getAll("exclude_path", ConfigLayers::absolutePath),
                !flags.excludeNames.isEmpty() ? flags.excludeNames : conf.getAll("exclude_name", ConfigLayers::name),
                !flags.excludeFs.isEmpty() ? flags.excludeFs : conf.getAll("exclude_fs", ConfigLayers::name),
                !flags.noWatch && conf.get("watch", ConfigLayers::yesNo).orElse(true),
                flags.watchLimit != null ? flags.watchLimit
                        : conf.get("watch_limit", v -> atLeast(v, 0)).orElse(dev.jfind.server.watch.WatchBudget.AUTOMATIC),
                flags.unwatchedRescanInterval != null ? flags.unwatchedRescanInterval
                        : conf.get("unwatched_rescan_interval", Conversions::parseDuration).orElse(DEFAULT_UNWATCHED_RESCAN),
                flags.socketMode != null ? flags.socketMode
                        : conf.get("socket_mode", Conversions::parseSocketMode).orElse(DaemonConfig.PRIVATE_SOCKET),
                flags.metrics != null ? flags.metrics
                        : conf.get("metrics", Conversions::parseMetricsAddress).orElse(null),
                flags.adminGroup != null ? adminGroupFlag()
                        : conf.get("admin_group", Conversions::parseGroup).orElse(null),
                new dev.jfind.server.rpc.TcpSecurity(
                        flags.tlsCert != null ? flags.tlsCert : conf.get("tls_cert", ConfigLayers::absolutePath).orElse(null),
                        flags.tlsKey != null ? flags.tlsKey : conf.get("tls_key", ConfigLayers::absolutePath).orElse(null),
                        flags.tokenFile != null ? flags.tokenFile
                                : conf.get("token_file", ConfigLayers::absolutePath).orElse(null)),
                updatedb(conf, outermost));
    }

    /**
     * The machine's updatedb.conf when it is to be followed: use_updatedb_conf says, or by
     * default when "/" is a root (the whole machine, as updatedb indexes it). It is read on
     * every reload, so an edit to it applies at the next SIGHUP.
     */
    private static dev.jfind.server.config.UpdatedbConf updatedb(ConfigFile conf, List<Path> roots)
            throws ConfigException, IOException {
        boolean systemWide = roots.stream().anyMatch(r -> r.getNameCount() == 0);
        if (!conf.get("use_updatedb_conf", ConfigLayers::yesNo).orElse(systemWide)) {
            return null;
        }
        Path file = conf.get("updatedb_conf", ConfigLayers::absolutePath)
                .orElse(dev.jfind.server.config.UpdatedbConf.DEFAULT_FILE);
        return dev.jfind.server.config.UpdatedbConf.read(file);
    }

    private Integer adminGroupFlag() throws ConfigException {
        try {
            return Conversions.parseGroup(flags.adminGroup);
        } catch (picocli.CommandLine.TypeConversionException e) {
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
