package dev.jfind.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jfind.server.testing.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher with --config, and SIGHUP as systemctl reload sends it: the daemon reads the
 * file again and crawls its new roots, and keeps running (the JVM's own SIGHUP handling
 * would have shut it down).
 */
class ReloadSignalIT {
    @TempDir
    Path tmp;
    private Process daemon;

    @AfterEach
    void stop() {
        if (daemon != null) {
            daemon.destroyForcibly();
        }
    }

    private String config(Path root) {
        return "root = " + root + "\nstate_dir = " + tmp.resolve("state") + "\nsocket = " + tmp.resolve("run/jfind.sock")
                + "\nsocket_mode = 0660\n";
    }

    /** Polls the client until {@code pattern} matches exactly {@code expected} (one path per line). */
    private void awaitSearch(Map<String, String> env, String pattern, String expected) throws Exception {
        Await.upTo(Duration.ofSeconds(60)).every(Duration.ofMillis(100)).until("searching " + pattern + " to give " + expected,
                () -> {
                    Launched.Result r = Launched.client(env, pattern);
                    if (!r.out().equals(expected) && !daemon.isAlive()) {
                        throw new AssertionError("jfindd ended; searching " + pattern + " gave " + r.out() + r.stderr()
                                + "; daemon log: " + Files.readString(tmp.resolve("jfindd.log")));
                    }
                    return r;
                }, r -> r.out().equals(expected), r -> r.out() + r.stderr() + "; daemon log: " + log());
    }

    private String log() {
        try {
            return Files.readString(tmp.resolve("jfindd.log"));
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }

    @Test
    void sighupReadsTheFileAgainAndTheDaemonGoesOn() throws Exception {
        Path first = Files.createDirectories(tmp.resolve("first/sub"));
        Files.createFile(first.resolve("alpha-file"));
        Path second = Files.createDirectories(tmp.resolve("second/sub"));
        Files.createFile(second.resolve("beta-file"));
        Path conf = tmp.resolve("jfindd.conf");
        Files.writeString(conf, config(tmp.resolve("first")));
        daemon = Launched.daemon(tmp.resolve("jfindd.log"), "--config", conf.toString());
        Map<String, String> env = Map.of("JFIND_SOCKET", tmp.resolve("run/jfind.sock").toString());

        awaitSearch(env, "alpha-file", first.resolve("alpha-file") + "\n");
        assertEquals(PosixFilePermissions.fromString("rw-rw----"),
                Files.getPosixFilePermissions(tmp.resolve("run/jfind.sock")), "socket_mode from the file");

        Files.writeString(conf, config(tmp.resolve("second")));
        Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(daemon.pid())).start();
        assertEquals(0, kill.waitFor());
        awaitSearch(env, "beta-file", second.resolve("beta-file") + "\n");
        awaitSearch(env, "alpha-file", "");
        assertTrue(daemon.isAlive(), "SIGHUP reloads; it does not stop the daemon");
        String log = Files.readString(tmp.resolve("jfindd.log"));
        assertTrue(log.contains("jfindd: reload: crawling again with root changed"), log);

        daemon.destroy(); // SIGTERM: a clean stop
        assertTrue(daemon.waitFor(30, TimeUnit.SECONDS));
        assertEquals(143, daemon.exitValue());
    }

    @Test
    void theAdminCommandsReloadAndCrawlOnRequest() throws Exception {
        Path first = Files.createDirectories(tmp.resolve("first"));
        Files.createFile(first.resolve("alpha-file"));
        Path second = Files.createDirectories(tmp.resolve("second"));
        Files.createFile(second.resolve("beta-file"));
        Path conf = tmp.resolve("jfindd.conf");
        Files.writeString(conf, config(first));
        daemon = Launched.daemon(tmp.resolve("jfindd.log"), "--config", conf.toString());
        Map<String, String> env = Map.of("JFIND_SOCKET", tmp.resolve("run/jfind.sock").toString());
        awaitSearch(env, "alpha-file", first.resolve("alpha-file") + "\n");

        Files.writeString(conf, config(second));
        Launched.Result reload = Launched.client(env, "admin", "reload");
        assertEquals(0, reload.exit(), reload.stderr());
        assertTrue(reload.out().contains("crawling again with root changed"), reload.out());
        awaitSearch(env, "beta-file", second.resolve("beta-file") + "\n");

        Files.writeString(conf, config(second) + "rooot = /x\n");
        Launched.Result broken = Launched.client(env, "admin", "reload");
        assertEquals(2, broken.exit());
        assertTrue(broken.stderr().contains("rooot"), broken.stderr());

        Files.createFile(second.resolve("gamma-file")); // no live update needed: the asked-for crawl finds it
        Launched.Result crawl = Launched.client(env, "admin", "crawl");
        assertEquals(0, crawl.exit(), crawl.stderr());
        awaitSearch(env, "gamma-file", second.resolve("gamma-file") + "\n");
        assertTrue(Files.readString(tmp.resolve("jfindd.log")).contains("a crawl was asked for"));
    }

    /**
     * Started under nohup, as deploy/quickstart.sh starts it: SIGHUP arrives ignored, and the
     * JVM would install no handler for it. The launcher resets it, so HUP still reloads; SIGTERM
     * then says it stops, and the end of the clean stop is logged.
     */
    @Test
    void sighupReloadsEvenUnderNohupAndTheStopIsLogged() throws Exception {
        Path first = Files.createDirectories(tmp.resolve("first"));
        Files.createFile(first.resolve("alpha-file"));
        Path second = Files.createDirectories(tmp.resolve("second"));
        Files.createFile(second.resolve("beta-file"));
        Path conf = tmp.resolve("jfindd.conf");
        Files.writeString(conf, config(first));
        Path log = tmp.resolve("jfindd.log");
        daemon = new ProcessBuilder("nohup", Launched.JFINDD.toString(), "--config", conf.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Map<String, String> env = Map.of("JFIND_SOCKET", tmp.resolve("run/jfind.sock").toString());
        awaitSearch(env, "alpha-file", first.resolve("alpha-file") + "\n");

        Files.writeString(conf, config(second));
        assertEquals(0, new ProcessBuilder("kill", "-HUP", Long.toString(daemon.pid())).start().waitFor());
        awaitSearch(env, "beta-file", second.resolve("beta-file") + "\n");
        String reloaded = Files.readString(log);
        assertTrue(reloaded.contains("jfindd: reload: crawling again with root changed"), reloaded);
        assertTrue(!reloaded.contains("SIGHUP was ignored"), reloaded);

        daemon.destroy(); // SIGTERM
        assertTrue(daemon.waitFor(30, TimeUnit.SECONDS));
        assertEquals(143, daemon.exitValue());
        String stopped = Files.readString(log);
        assertTrue(stopped.contains("jfindd: SIGTERM received: stopping"), stopped);
        assertTrue(stopped.contains("jfindd: stopped\n"), stopped);
    }
}
