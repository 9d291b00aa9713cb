package dev.jfind.client.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line without a daemon: usage errors, help, and where it looks for the daemon. */
class JfindCliTest {
    @TempDir
    Path tmp;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final StringWriter err = new StringWriter();

    private int run(Map<String, String> env, String... args) {
        return JfindCli.run(args, env, out, new PrintWriter(err, true));
    }

    @Test
    void usageErrorsExitTwoAndPointToHelp() {
        assertEquals(2, run(Map.of(), "--bogus", "x"));
        assertTrue(err.toString().contains("jfind-client --help"), err.toString());
        assertEquals(2, run(Map.of()), "no pattern");
        assertTrue(err.toString().contains("no PATTERN"), err.toString());
        assertEquals(2, run(Map.of(), "-l", "-1", "x"));
        assertEquals(2, run(Map.of(), "--server", "nonsense", "x"));
        assertTrue(err.toString().contains("HOST:PORT"), err.toString());
    }

    @Test
    void helpDescribesEveryOption() {
        assertEquals(0, run(Map.of(), "--help"));
        String help = out.toString(StandardCharsets.UTF_8);
        for (String flag : List.of("--socket", "--server", "-i", "-0", "-l", "-c", "status", "JFIND_SOCKET")) {
            assertTrue(help.contains(flag), flag);
        }
    }

    @Test
    void adminFullGoesWithCrawlOnly() {
        assertEquals(0, run(Map.of(), "admin", "--help"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("--full"), out.toString(StandardCharsets.UTF_8));
        assertEquals(2, run(Map.of("JFIND_SOCKET", tmp.resolve("no.sock").toString()), "admin", "reload", "--full"));
        assertTrue(err.toString().contains("--full goes with 'admin crawl' only"), err.toString());
    }

    @Test
    void unreachableDaemonIsExitTwoWithAHint() {
        Path nowhere = tmp.resolve("no.sock");
        assertEquals(2, run(Map.of("JFIND_SOCKET", nowhere.toString()), "x"));
        assertTrue(err.toString().contains("cannot reach jfindd at " + nowhere), err.toString());
        assertTrue(err.toString().contains("Start it with"), err.toString());
        assertEquals(2, run(Map.of("JFIND_SOCKET", nowhere.toString()), "status", "--json"));
    }

    @Test
    void socketLookupFollowsTheDaemonsDefaults() throws Exception {
        Path runtime = Files.createDirectories(tmp.resolve("run"));
        Path state = Files.createDirectories(tmp.resolve("state/jfind"));
        Map<String, String> env = Map.of("XDG_RUNTIME_DIR", runtime.toString(),
                "XDG_STATE_HOME", tmp.resolve("state").toString());
        assertEquals(runtime.resolve("jfind/jfind.sock"), SocketLocator.locate(env), "nothing exists: the first default");
        Files.createFile(state.resolve("jfind.sock"));
        assertEquals(state.resolve("jfind.sock"), SocketLocator.locate(env), "falls back to the state directory");
        Files.createDirectories(runtime.resolve("jfind"));
        Files.createFile(runtime.resolve("jfind/jfind.sock"));
        assertEquals(runtime.resolve("jfind/jfind.sock"), SocketLocator.locate(env));
        assertEquals(Path.of("/x.sock"), SocketLocator.locate(Map.of("JFIND_SOCKET", "/x.sock")), "JFIND_SOCKET wins");
        assertEquals(Path.of("/h/me/.local/state/jfind/jfind.sock"), SocketLocator.candidates(Map.of("HOME", "/h/me")).get(0),
                "the state directory follows $HOME");
    }

    @Test
    void rawArgumentBytesAreFoundByIdentity() {
        String[] args = {"-i", "caf\uFFFD"};
        RawArgs raw = RawArgs.utf8(args);
        assertArrayEquals("-i".getBytes(StandardCharsets.UTF_8), raw.bytesOf(args[0]));
        assertArrayEquals("other".getBytes(StandardCharsets.UTF_8), raw.bytesOf("other"));
    }

    @Test
    void jsonEscapesControlCharacters() {
        String json = new Json().field("a", "x\"y\n\u0001").field("n", 3L).nullField("z").end();
        assertEquals("{\"a\":\"x\\\"y\\n\\u0001\",\"n\":3,\"z\":null}", json);
    }
}
