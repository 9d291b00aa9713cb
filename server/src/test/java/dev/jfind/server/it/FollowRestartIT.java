package dev.jfind.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jfind.server.testing.Await;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * jfind-client --follow across a daemon restart, with the launchers on the built jars: it
 * says once that the daemon went away and once that it is back, prints no line twice, and
 * reports what changed while the daemon was down; --no-reconnect ends instead.
 */
class FollowRestartIT {
    @TempDir
    Path tmp;

    private Process daemon;
    private final List<Process> followers = new ArrayList<>();

    @AfterEach
    void stop() throws InterruptedException {
        for (Process p : followers) {
            p.destroy();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        stopDaemon();
    }

    @Test
    void followingResumesAfterARestartWithoutRepeatingALine() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("tree"));
        Path a1 = Files.writeString(root.resolve("kept-1.txt"), "1");
        Path a2 = Files.writeString(root.resolve("kept-2.txt"), "2");
        startDaemon(root);
        Path events = tmp.resolve("events.out");
        Path plain = tmp.resolve("plain.out");
        follow(events, "--follow", "--events", "kept-");
        follow(plain, "--follow", "kept-");
        await(events, s -> s.contains("= " + a1 + "\n") && s.contains("= " + a2 + "\n"));
        await(plain, s -> s.contains(a1 + "\n") && s.contains(a2 + "\n"));

        stopDaemon();
        await(err(events), s -> s.contains("went away"));
        await(err(plain), s -> s.contains("went away"));
        Files.delete(a2); // while nobody watches
        Path a3 = Files.writeString(root.resolve("kept-3.txt"), "3");
        startDaemon(root);
        await(err(events), s -> s.contains("is back"));
        await(err(plain), s -> s.contains("is back"));
        Path a4 = Files.writeString(root.resolve("kept-4.txt"), "4"); // live again
        await(events, s -> s.contains("+ " + a4 + "\n") && s.contains("+ " + a3 + "\n") && s.contains("- " + a2 + "\n"));
        await(plain, s -> s.contains(a4 + "\n") && s.contains(a3 + "\n"));

        assertEquals(sorted("= " + a1, "= " + a2, "- " + a2, "+ " + a3, "+ " + a4), sorted(Files.readString(events)),
                "each line once; stderr: " + Files.readString(err(events)));
        assertEquals(sorted(a1.toString(), a2.toString(), a3.toString(), a4.toString()), sorted(Files.readString(plain)),
                "each path once; stderr: " + Files.readString(err(plain)));
        for (Path out : List.of(events, plain)) {
            String said = Files.readString(err(out));
            assertEquals(1, count(said, "went away"), said);
            assertEquals(1, count(said, "is back"), said);
        }
    }

    @Test
    void noReconnectEndsWithStatusTwoWhenTheDaemonGoesAway() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("tree"));
        Path a1 = Files.writeString(root.resolve("kept-1.txt"), "1");
        startDaemon(root);
        Path out = tmp.resolve("follow.out");
        Process follower = follow(out, "--follow", "--no-reconnect", "kept-");
        await(out, s -> s.contains(a1 + "\n"));
        stopDaemon();
        assertTrue(follower.waitFor(30, TimeUnit.SECONDS), "still following: " + Files.readString(err(out)));
        assertEquals(2, follower.exitValue(), Files.readString(err(out)));
        assertTrue(Files.readString(err(out)).contains("went away"), Files.readString(err(out)));
        assertEquals(a1 + "\n", Files.readString(out));
    }

    private void startDaemon(Path root) throws Exception {
        daemon = Launched.daemon(tmp.resolve("jfindd.log"), "--root", root.toString(),
                "--state-dir", tmp.resolve("state").toString(), "--socket", socket().toString());
        Launched.awaitReady(Map.of("JFIND_SOCKET", socket().toString()));
    }

    private void stopDaemon() throws InterruptedException {
        if (daemon != null) {
            daemon.destroy();
            assertTrue(daemon.waitFor(60, TimeUnit.SECONDS), "jfindd did not stop");
            daemon = null;
        }
    }

    private Path socket() {
        return tmp.resolve("run/jfind.sock");
    }

    private Process follow(Path out, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Launched.CLIENT.toString(), "--socket", socket().toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err(out).toFile());
        pb.environment().put("XDG_CACHE_HOME", tmp.resolve("cache").toString());
        Process p = pb.start();
        followers.add(p);
        return p;
    }

    private static Path err(Path out) {
        return out.resolveSibling(out.getFileName() + ".err");
    }

    private static void await(Path file, Predicate<String> done) throws Exception {
        Await.upTo(Duration.ofSeconds(90)).every(Duration.ofMillis(50)).until("what " + file.getFileName() + " should hold",
                () -> Files.exists(file) ? Files.readString(file) : "", done,
                text -> file.getFileName() + " holds: " + text + (file.toString().endsWith(".err") ? "" : "\nstderr: "
                        + readQuietly(err(file))));
    }

    private static String readQuietly(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static List<String> sorted(String... lines) {
        return List.of(lines).stream().sorted().toList();
    }

    private static List<String> sorted(String text) {
        return text.lines().sorted().toList();
    }

    private static int count(String text, String word) {
        return text.split(java.util.regex.Pattern.quote(word), -1).length - 1;
    }
}
