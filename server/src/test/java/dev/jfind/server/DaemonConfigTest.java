package dev.jfind.server;

import dev.jfind.server.config.DaemonConfig;
import dev.jfind.server.config.Parsers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class DaemonConfigTest {

    @Test
    void nestedAndRepeatedRootsAreCrawledOnce() {
        assertEquals(List.of(Path.of("/a"), Path.of("/ab")),
                DaemonConfig.outermost(List.of(Path.of("/a/b"), Path.of("/ab"), Path.of("/a"), Path.of("/a/"))));
        assertEquals(List.of(Path.of("/")), DaemonConfig.outermost(List.of(Path.of("/home"), Path.of("/"))));
    }

    @Test
    void defaultsFollowXdg() {
        Path state = DaemonConfig.defaultStateDir(Map.of("XDG_STATE_HOME", "/xdg/state"));
        assertEquals(Path.of("/xdg/state/jfind"), state);
        assertEquals(Path.of(System.getProperty("user.home"), ".local/state/jfind"), DaemonConfig.defaultStateDir(Map.of()));
        assertEquals(Path.of("/h/me/.local/state/jfind"), DaemonConfig.defaultStateDir(Map.of("HOME", "/h/me")),
                "$HOME wins over the password database, as for every XDG program");
        assertEquals(state.resolve("jfind.sock"), DaemonConfig.defaultSocket(Map.of("XDG_RUNTIME_DIR", "/no/such/dir"), state),
                "no runtime directory: the state directory holds the socket");
        assertEquals(Path.of("/tmp/jfind/jfind.sock"), DaemonConfig.defaultSocket(Map.of("XDG_RUNTIME_DIR", "/tmp"), state));
    }

    @Test
    void durationsReadLikePeopleWriteThem() {
        assertEquals(Duration.ofHours(1), Parsers.parseDuration("1h"));
        assertEquals(Duration.ofMinutes(90), Parsers.parseDuration("1h30m"));
        assertEquals(Duration.ofMillis(500), Parsers.parseDuration("500ms"));
        assertEquals(Duration.ofDays(2), Parsers.parseDuration("2d"));
        assertEquals(Duration.ofHours(1), Parsers.parseDuration("PT1H"));
        for (String bad : List.of("", "h", "1x", "0s", "-1h", "1h 30m", "PTX")) {
            assertThrows(IllegalArgumentException.class, () -> Parsers.parseDuration(bad), bad);
        }
    }

    @Test
    void hostPortAcceptsIpv4Ipv6AndBarePort() {
        assertEquals(new InetSocketAddress("127.0.0.1", 7543), Parsers.parseHostPort("127.0.0.1:7543"));
        assertEquals(new InetSocketAddress("::1", 80), Parsers.parseHostPort("[::1]:80"));
        assertEquals(new InetSocketAddress("127.0.0.1", 9), Parsers.parseHostPort(":9"));
        assertThrows(IllegalArgumentException.class, () -> Parsers.parseHostPort("localhost"));
        assertThrows(IllegalArgumentException.class, () -> Parsers.parseHostPort("h:99999"));
    }

    @Test
    void socketModesAreOctalAsChmodTakesThem() {
        assertEquals(java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw-rw-"), Parsers.parseSocketMode("0666"));
        assertEquals(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"), Parsers.parseSocketMode("600"));
        for (String bad : new String[] {"666x", "0888", "1666", "66", "rw-rw-rw-", ""}) {
            assertThrows(IllegalArgumentException.class, () -> Parsers.parseSocketMode(bad), bad);
        }
    }

    @Test
    void tcpBeyondLoopbackIsAUsageError() {
        StringWriter err = new StringWriter();
        int code = Jfindd.run(new String[] {"--listen", "0.0.0.0:7543"}, Map.of(),
                new PrintWriter(new StringWriter()), new PrintWriter(err, true));
        assertEquals(2, code);
        assertEquals(true, err.toString().contains("not a loopback address"), err.toString());
    }

    @Test
    void metricsListenOnLoopbackUnlessAnotherHostIsNamed() {
        InetSocketAddress loopback = new InetSocketAddress("127.0.0.1", 9464);
        assertEquals(loopback, Parsers.parseMetricsAddress("9464"));
        assertEquals(loopback, Parsers.parseMetricsAddress(":9464"));
        assertEquals(new InetSocketAddress("127.0.0.1", 0), Parsers.parseMetricsAddress("0"));
        assertEquals(new InetSocketAddress("0.0.0.0", 9464), Parsers.parseMetricsAddress("0.0.0.0:9464"));
        assertEquals(new InetSocketAddress("::1", 9464), Parsers.parseMetricsAddress("[::1]:9464"));
        for (String bad : List.of("", "metrics", "99999", ":-1", "h:x")) {
            assertThrows(IllegalArgumentException.class, () -> Parsers.parseMetricsAddress(bad), bad);
        }
        assertEquals("http://127.0.0.1:9464/metrics", Jfindd.metricsUrl(loopback, 9464));
        assertEquals("http://[0:0:0:0:0:0:0:1]:41000/metrics",
                Jfindd.metricsUrl(new InetSocketAddress("::1", 0), 41000), "the port bound, IPv6 in brackets");
    }

    @Test
    void badFlagsAreUsageErrorsThatNameTheFlag() {
        StringWriter err = new StringWriter();
        int code = Jfindd.run(new String[] {"--rescan-interval", "soon"}, Map.of(),
                new PrintWriter(new StringWriter()), new PrintWriter(err, true));
        assertEquals(2, code);
        assertEquals(true, err.toString().contains("--rescan-interval"), err.toString());
        StringWriter metricsErr = new StringWriter();
        assertEquals(2, Jfindd.run(new String[] {"--metrics", "localhost"}, Map.of(),
                new PrintWriter(new StringWriter()), new PrintWriter(metricsErr, true)));
        assertEquals(true, metricsErr.toString().contains("--metrics"), metricsErr.toString());
        StringWriter out = new StringWriter();
        assertEquals(0, Jfindd.run(new String[] {"--help"}, Map.of(), new PrintWriter(out, true), new PrintWriter(err)));
        assertEquals(true, out.toString().contains("--exclude-fs"), out.toString());
        assertEquals(true, out.toString().contains("--metrics"), out.toString());
    }

    @Test
    void aRootThatCannotBeListedIsRefusedAtStartWithTheReason(@org.junit.jupiter.api.io.TempDir Path tmp)
            throws Exception {
        Path file = java.nio.file.Files.createFile(tmp.resolve("a-file"));
        Map<Path, String> reasons = Map.of(
                tmp.resolve("missing"), "No such file or directory",
                file, "Not a directory");
        for (Map.Entry<Path, String> bad : reasons.entrySet()) {
            StringWriter err = new StringWriter();
            int code = Jfindd.run(new String[] {"--root", bad.getKey().toString(),
                    "--state-dir", tmp.resolve("state").toString(), "--socket", tmp.resolve("s.sock").toString()},
                    Map.of("HOME", tmp.toString()), new PrintWriter(new StringWriter()), new PrintWriter(err, true));
            assertEquals(2, code, err.toString());
            assertEquals("jfindd: root " + bad.getKey() + ": " + bad.getValue() + "\n", err.toString());
        }
        assertEquals("Permission denied", RootCheck.reason(new java.nio.file.AccessDeniedException("/x")));
    }
}
