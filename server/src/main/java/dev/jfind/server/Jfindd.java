package dev.jfind.server;

import dev.jfind.server.config.ConfigException;
import dev.jfind.server.config.ConfigLayers;
import dev.jfind.server.config.DaemonConfig;
import dev.jfind.server.config.DaemonFlags;
import dev.jfind.server.rpc.NettyServers;
import dev.jfind.server.update.CrawlPlan;
import dev.jfind.server.watch.InotifyLimits;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code jfindd}: parses flags into {@link DaemonFlags}, starts the {@link Daemon}, stops it on SIGTERM. */
@Command(name = "jfindd", mixinStandardHelpOptions = true, version = "jfindd 0.1.0",
        sortOptions = false, usageHelpAutoWidth = true,
        description = {
            "The jfind daemon: crawls the roots in parallel, keeps a Lucene index of every path,"
                    + " and answers jfind-client over a Unix socket.",
            "",
            "With no flags it indexes your home directory, keeps its state in $XDG_STATE_HOME/jfind"
                    + " (~/.local/state/jfind) and listens on $XDG_RUNTIME_DIR/jfind/jfind.sock.",
            "",
            "Settings come from the configuration file (--config; keys named after the flags, e.g."
                    + " rescan_interval = 30m) unless given as flags. SIGHUP reads the file again."},
        footer = {"", "Example: jfindd --root ~/src --root /data --exclude-name node_modules"})
public final class Jfindd implements Callable<Integer> {

    @Option(names = "--config", paramLabel = "FILE",
            description = "Configuration file; it must exist when named. Default:"
                    + " $XDG_CONFIG_HOME/jfind/jfindd.conf or ~/.config/jfind/jfindd.conf, if it exists."
                    + " The system service uses /etc/jfind/jfindd.conf.")
    Path configFile;

    @Option(names = "--root", paramLabel = "DIR",
            description = "Directory to index (repeatable). The root itself is indexed too. Default: your home directory.")
    List<Path> roots = new ArrayList<>();

    @Option(names = "--state-dir", paramLabel = "DIR",
            description = "Where the index lives. Default: $XDG_STATE_HOME/jfind or ~/.local/state/jfind.")
    Path stateDir;

    @Option(names = "--socket", paramLabel = "PATH",
            description = "Unix socket to listen on. Default: $XDG_RUNTIME_DIR/jfind/jfind.sock, else STATE_DIR/jfind.sock.")
    Path socket;

    @Option(names = "--socket-mode", paramLabel = "MODE", converter = Conversions.SocketModeConverter.class,
            description = "Permission bits of the socket, in octal: who may connect. Default: 0600 (only you)."
                    + " A daemon that serves every user of the machine needs 0666: each caller then sees"
                    + " only the paths they could list themselves.")
    Set<PosixFilePermission> socketMode;

    @Option(names = "--listen", paramLabel = "HOST:PORT", converter = Conversions.HostPortConverter.class,
            description = "Also listen on TCP, on a loopback address only (off by default). TCP callers are"
                    + " anonymous: they see only paths that every user may see.")
    InetSocketAddress listen;

    @Option(names = "--tls-cert", paramLabel = "FILE",
            description = "TLS certificate (PEM) for the TCP listener; with --tls-key and --token-file, --listen may"
                    + " use a non-loopback address.")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE", description = "The certificate's private key (PEM, PKCS#8).")
    Path tlsKey;

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "Access tokens for TCP callers, lines of 'TOKEN USER' (mode 0600): a caller presenting a"
                    + " token sees what that user may see.")
    Path tokenFile;

    @Option(names = "--admin-group", paramLabel = "GROUP",
            description = "Members of this group (a name or gid) may use the administrative RPCs (start a crawl,"
                    + " reload the configuration), as root and the daemon's own user may. Default: none.")
    String adminGroup;

    @Option(names = "--metrics", paramLabel = "HOST:PORT", converter = Conversions.MetricsAddressConverter.class,
            description = "Serve Prometheus metrics over HTTP at http://HOST:PORT/metrics (off by default)."
                    + " A port alone or :PORT listens on loopback; another host only when named.")
    InetSocketAddress metrics;

    @Option(names = "--rescan-interval", paramLabel = "DURATION", converter = Conversions.DurationConverter.class,
            description = "Time between the end of one crawl and the start of the next (e.g. 30m, 1h, 1d). Default: 1h.")
    Duration rescanInterval;

    @Option(names = "--threads", paramLabel = "N",
            description = "Crawl worker threads. Default: one per core, between 2 and 8.")
    Integer threads;

    @Option(names = "--exclude-path", paramLabel = "P",
            description = "Leave out this path and everything below it (repeatable).")
    List<Path> excludePaths = new ArrayList<>();

    @Option(names = "--exclude-name", paramLabel = "NAME",
            description = "Leave out every entry with this exact name, and what is below it (repeatable), e.g. node_modules.")
    List<String> excludeNames = new ArrayList<>();

    @Option(names = "--exclude-fs", paramLabel = "TYPE",
            description = "Do not enter mount points of this file system type (repeatable), e.g. nfs4."
                    + " proc, sysfs and other virtual file systems are never entered.")
    List<String> excludeFs = new ArrayList<>();

    @Option(names = "--no-watch",
            description = "Do not keep the index current between crawls with inotify; changes then show at the next crawl.")
    boolean noWatch;

    @Option(names = "--watch-limit", paramLabel = "N",
            description = "Watch at most N directories (default: half of the inotify watches free for this user"
                    + " at start, fs.inotify.max_user_watches less what other programs hold, so they keep theirs)."
                    + " Directories beyond get no live updates; they are re-listed every --unwatched-rescan-interval,"
                    + " and the watches go to the directories changed most recently.")
    Long watchLimit;

    @Option(names = "--unwatched-rescan-interval", paramLabel = "DURATION", converter = Conversions.DurationConverter.class,
            description = "How often directories without a watch are listed again. Default: 15m.")
    Duration unwatchedRescanInterval;

    @Option(names = "--print-excludes",
            description = "Print the exclusion rules in force for this configuration, each with where it came from"
                    + " (a config key, a line of /etc/updatedb.conf, a built-in list), and exit.")
    boolean printExcludes;

    @Option(names = "--full-crawl-on-start",
            description = "Make the first crawl list every directory again instead of reusing the listings of"
                    + " directories whose mtime has not changed (as jfind-client admin crawl --full does): for an"
                    + " index that misses paths a normal crawl does not find again.")
    boolean fullCrawlOnStart;

    private final Map<String, String> env;
    private final PrintWriter err;

    private PrintWriter out;

    Jfindd(Map<String, String> env, PrintWriter err) {
        this.env = env;
        this.err = err;
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the daemon until it is stopped; returns the exit code (2 for usage errors). */
    static int run(String[] args, Map<String, String> env, PrintWriter out, PrintWriter err) {
        Jfindd command = new Jfindd(env, err);
        command.out = out;
        CommandLine cli = new CommandLine(command);
        cli.setOut(out);
        cli.setErr(err);
        return cli.execute(args);
    }

    /** The settings given as flags, as parsed (after {@link CommandLine#parseArgs} or during {@link #call}). */
    DaemonFlags flags() {
        return new DaemonFlags(configFile, roots, stateDir, socket, socketMode, listen, tlsCert, tlsKey, tokenFile,
                adminGroup, metrics, rescanInterval, threads, excludePaths, excludeNames, excludeFs, noWatch, watchLimit,
                unwatchedRescanInterval, fullCrawlOnStart);
    }

    /** http://HOST:PORT/metrics with the port actually bound (the flag may say 0). */
    static String metricsUrl(InetSocketAddress address, int port) {
        String host = address.getAddress() != null ? address.getAddress().getHostAddress() : address.getHostString();
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + "/metrics";
    }

    @Override
    public Integer call() throws Exception {
        if (watchLimit != null && watchLimit < 0) {
            throw new CommandLine.ParameterException(new CommandLine(this),
                    "--watch-limit must be 0 or more, not " + watchLimit);
        }
        if (threads != null && threads < 1) {
            throw new CommandLine.ParameterException(new CommandLine(this),
                    "--threads must be at least 1, not " + threads);
        }
        for (Path root : roots) {
            if (!root.isAbsolute()) {
                err.println("jfindd: root " + root + " is relative: indexing " + DaemonConfig.absolute(root));
            }
        }
        ConfigLayers layers = new ConfigLayers(flags(), env);
        DaemonConfig config;
        Daemon daemon;
        try {
            config = layers.resolve();
            if (printExcludes) {
                out.println("Roots: " + config.roots());
                CrawlPlan.exclusions(config).rules().forEach(out::println);
                out.flush();
                return 0;
            }
            String tcpRefusal = config.tcpRefusal();
            if (tcpRefusal != null) {
                err.println("jfindd: " + tcpRefusal);
                return 2;
            }
            // after the usage checks: a mistyped flag is reported as such whatever the roots
            String badRoot = RootCheck.problem(config.roots());
            if (badRoot != null) {
                err.println("jfindd: " + badRoot);
                return 2;
            }
            daemon = new Daemon(config, NettyServers.of(config), InotifyLimits::ofThisUser, new ConfigReload(layers, err));
            daemon.start();
        } catch (ConfigException | java.io.IOException e) {
            err.println("jfindd: " + e.getMessage());
            return 1;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            daemon.stop();
            err.println("jfindd: stopped");
        }, "jfind-shutdown"));
        StopSignals.install(err);
        StateGuard.start(config, err, () -> System.exit(1), StateGuard.CHECK_MILLIS);
        Reloader.onHangup(daemon, err);
        err.println("jfindd: serving " + config.socket() + (config.listen() != null ? " and tcp " + config.listen() : "")
                + (config.metrics() != null ? "; metrics on " + metricsUrl(config.metrics(), daemon.metricsPort()) : "")
                + "; indexing " + config.roots() + " into " + config.indexDir());
        if (!dev.jfind.server.fs.ExtendedAttributes.available()) {
            err.println("jfindd: this JVM does not let jfindd read POSIX ACLs (it needs"
                    + " --add-opens=java.base/sun.nio.fs=ALL-UNNAMED, which deploy/bin/jfindd gives):"
                    + " directories are judged by their mode bits alone");
        }
        if (config.updatedb() != null) {
            err.println("jfindd: following " + config.updatedb().file()
                    + (config.updatedb().present() ? "" : " (absent: plocate's defaults, nothing pruned)")
                    + " on top of jfind's own exclusions; jfindd --print-excludes lists every rule");
        }
        daemon.awaitTermination();
        return 0;
    }
}
