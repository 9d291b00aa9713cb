package dev.jfind.server;

import dev.jfind.server.rpc.NettyServers;
import dev.jfind.server.config.ConfigLayers;
import dev.jfind.server.config.DaemonConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** A real daemon whose state directory (index lock and socket inside) is deleted under it. */
class StateGuardTest {
    @TempDir
    Path tmp;

    @Test
    void deletingTheStateDirectoryIsNoticedAndSaysWhy() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("root"));
        Path state = tmp.resolve("state");
        Jfindd flags = new Jfindd(Map.of(), new PrintWriter(new StringWriter()));
        new CommandLine(flags).parseArgs("--root", root.toString(), "--state-dir", state.toString(),
                "--socket", state.resolve("jfind.sock").toString(), "--no-watch");
        DaemonConfig config = new ConfigLayers(flags.flags(), Map.of("HOME", tmp.toString())).resolve();
        Daemon daemon = new Daemon(config, NettyServers.of(config));
        daemon.start();
        StringWriter log = new StringWriter();
        AtomicInteger lost = new AtomicInteger();
        StateGuard guard = StateGuard.start(config, new PrintWriter(log, true), lost::incrementAndGet, 3_600_000);
        try {
            guard.check();
            assertEquals(0, lost.get(), "all in place: " + log);
            try (Stream<Path> files = Files.walk(state)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
            guard.check();
            assertEquals(1, lost.get(), "the deletion is noticed");
            assertTrue(log.toString().startsWith("jfindd: the index lock " + state.resolve("index/write.lock")
                    + " was removed or replaced under the running daemon (state directory " + state
                    + " deleted?): stopping"), log.toString());
        } finally {
            guard.close();
            daemon.stop();
        }
    }
}
