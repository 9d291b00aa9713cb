package dev.jfind.server.config;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * The settings given on the command line, as parsed: null (or an empty list, or false) where
 * a flag was not given, so that {@link ConfigLayers} takes the file's value or the default.
 * Knows nothing of the parser that fills it. Immutable.
 *
 * @param adminGroup a group name or gid, looked up when the configuration is resolved
 */
public record DaemonFlags(
        Path configFile,
        List<Path> roots,
        Path stateDir,
        Path socket,
        Set<PosixFilePermission> socketMode,
        InetSocketAddress listen,
        Path tlsCert,
        Path tlsKey,
        Path tokenFile,
        String adminGroup,
        InetSocketAddress metrics,
        Duration rescanInterval,
        Integer threads,
        List<Path> excludePaths,
        List<String> excludeNames,
        List<String> excludeFs,
        boolean noWatch,
        Long watchLimit,
        Duration unwatchedRescanInterval,
        boolean fullCrawlOnStart) {

    /** No flag given. */
    public static final DaemonFlags NONE = new DaemonFlags(null, List.of(), null, null, null, null, null, null, null,
            null, null, null, null, List.of(), List.of(), List.of(), false, null, null, false);

    public DaemonFlags {
        roots = List.copyOf(roots);
        excludePaths = List.copyOf(excludePaths);
        excludeNames = List.copyOf(excludeNames);
        excludeFs = List.copyOf(excludeFs);
        socketMode = socketMode == null ? null : Set.copyOf(socketMode);
    }
}
