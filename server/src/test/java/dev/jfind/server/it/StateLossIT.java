package dev.jfind.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's daemon when its state directory (index and socket) is deleted under it:
 * it stops with a line saying why and status 1 (systemd's Restart=on-failure then starts a
 * fresh one), rather than going on unreachable beside a second daemon.
 */
class StateLossIT {
    @TempDir
    Path tmp;
    private Process daemon;

    @AfterEach
    void stop() {
        if (daemon != null) {
            daemon.destroyForcibly();
        }
    }

    @Test
    void deletingTheStateDirectoryStopsTheDaemonWithAReason() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("root"));
        Files.createFile(root.resolve("a-file"));
        Path state = tmp.resolve("state");
        Path log = tmp.resolve("jfindd.log");
        daemon = Launched.daemon(log, "--root", root.toString(), "--state-dir", state.toString(),
                "--socket", state.resolve("jfind.sock").toString());
        Launched.awaitReady(Map.of("JFIND_SOCKET", state.resolve("jfind.sock").toString()));

        try (Stream<Path> files = Files.walk(state)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        assertTrue(daemon.waitFor(60, TimeUnit.SECONDS), "the daemon stops: " + Files.readString(log));
        assertEquals(1, daemon.exitValue(), Files.readString(log));
        String said = Files.readString(log);
        assertTrue(said.contains("was removed or replaced under the running daemon (state directory " + state
                + " deleted?): stopping"), said);
    }
}
