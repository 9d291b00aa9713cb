package dev.jfind.client.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Finds the daemon's socket the way the daemon picks it: JFIND_SOCKET, then the per-user
 * runtime directory, then the per-user state directory, then the system service's.
 */
final class SocketLocator {
    static final Path SYSTEM_SOCKET = Path.of("/run/jfind/jfind.sock");

    private SocketLocator() {}

    static Path locate(Map<String, String> env) {
        String explicit = env.get("JFIND_SOCKET");
        if (explicit != null && !explicit.isEmpty()) {
            return Path.of(explicit);
        }
        List<Path> candidates = candidates(env);
        for (Path p : candidates) {
            if (Files.exists(p)) {
                return p;
            }
        }
        return candidates.get(0);
    }

    /** $HOME as the daemon and the XDG spec mean it (the JVM's user.home comes from passwd). */
    private static Path home(Map<String, String> env) {
        String home = env.get("HOME");
        return home != null && home.startsWith("/") ? Path.of(home) : Path.of(System.getProperty("user.home"));
    }

    static List<Path> candidates(Map<String, String> env) {
        List<Path> paths = new ArrayList<>();
        String runtime = env.get("XDG_RUNTIME_DIR");
        if (runtime != null && runtime.startsWith("/")) {
            paths.add(Path.of(runtime, "jfind", "jfind.sock"));
        }
        String state = env.get("XDG_STATE_HOME");
        Path stateDir = state != null && state.startsWith("/")
                ? Path.of(state, "jfind")
                : home(env).resolve(".local/state/jfind");
        paths.add(stateDir.resolve("jfind.sock"));
        paths.add(SYSTEM_SOCKET);
        return paths;
    }
}
