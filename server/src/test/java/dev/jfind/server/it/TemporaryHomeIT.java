package dev.jfind.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The suite runs with a home of its own (the parent pom sets HOME and the XDG directories for
 * surefire and failsafe): nothing a test starts reads or writes the real ~/.cache/jfind,
 * ~/.config/jfind or ~/.local/state/jfind.
 */
class TemporaryHomeIT {
    private static final List<String> XDG = List.of("XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME",
            "XDG_DATA_HOME", "XDG_RUNTIME_DIR");

    @Test
    void everyLaunchedProcessGetsTheBuildsHome() throws Exception {
        String real = System.getProperty("jfind.real.home");
        assertNotNull(real, "the pom passes the real home as jfind.real.home");
        Path build = Launched.REPO.resolve("server/target");
        Launched.Result r = Launched.run(List.of("sh", "-c",
                "echo \"$HOME\"; for v in " + String.join(" ", XDG) + "; do eval \"echo \\\"\\$$v\\\"\"; done"), Map.of());
        List<String> seen = r.out().lines().toList();
        assertEquals(1 + XDG.size(), seen.size(), r.out());
        for (int i = 0; i < seen.size(); i++) {
            String what = i == 0 ? "HOME" : XDG.get(i - 1);
            assertTrue(Path.of(seen.get(i)).startsWith(build), what + " of a launched process is under " + build + ": " + seen.get(i));
            assertNotEquals(real, seen.get(i), what);
        }
        assertEquals(build.resolve("test-home").toString(), System.getProperty("user.home"), "the JVM's own user.home");
    }

    @Test
    void aClientRunLeavesTheRealCacheAlone() throws Exception {
        Path realCache = Path.of(System.getProperty("jfind.real.home"), ".cache/jfind");
        Map<String, Object> before = snapshot(realCache);
        Launched.Result r = Launched.client(Map.of("JFIND_SOCKET", "/nonexistent/jfind.sock"), "-c", "x");
        assertEquals(2, r.exit(), r.stderr());
        assertEquals(before, snapshot(realCache), "the real " + realCache + " is untouched");
    }

    private static Map<String, Object> snapshot(Path dir) throws Exception {
        Map<String, Object> files = new TreeMap<>();
        if (Files.isDirectory(dir)) {
            try (Stream<Path> all = Files.walk(dir)) {
                for (Path p : all.toList()) {
                    files.put(p.toString(), Files.getLastModifiedTime(p));
                }
            }
        }
        return files;
    }
}
