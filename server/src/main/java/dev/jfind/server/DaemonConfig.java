package dev.jfind.server;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Everything the daemon is started with, after defaults are applied. Immutable.
 *
 * @param listen optional TCP address; null when TCP is off (the default)
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
        List<String> excludeFsTypes) {

    DaemonConfig {
        roots = List.copyOf(roots);
        excludePaths = List.copyOf(excludePaths);
        excludeNames = List.copyOf(excludeNames);
        excludeFsTypes = List.copyOf(excludeFsTypes);
    }

    Path indexDir() {
        return stateDir.resolve("index");
    }

    /** $XDG_STATE_HOME/jfind, or ~/.local/state/jfind. */
    static Path defaultStateDir(java.util.Map<String, String> env) {
        String xdg = env.get("XDG_STATE_HOME");
        if (xdg != null && xdg.startsWith("/")) {
            return Path.of(xdg, "jfind");
        }
        return Path.of(System.getProperty("user.home"), ".local", "state", "jfind");
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
        // Listing is mostly waiting on the kernel: a few more workers than cores keeps them busy.
        return Math.max(2, Math.min(8, 2 * Runtime.getRuntime().availableProcessors()));
    }
}
