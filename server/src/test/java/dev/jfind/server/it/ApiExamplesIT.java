package dev.jfind.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jfind.server.testing.Await;
import dev.jfind.server.testing.Trees;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The examples in client/examples, in Python and Node.js, run against the real daemon: their
 * stdout must be exactly the matching paths, byte for byte (a name that is not valid UTF-8
 * included), and their stderr the daemon's status. Their tool chains are installed by .ci/run.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiExamplesIT {
    private static final Path EXAMPLES = Launched.REPO.resolve("client/examples");
    private static final Path PROTO = Launched.REPO.resolve("proto/src/main/proto");
    /** Debian's python3-grpcio installs for Debian's python3, which another python3 on PATH may hide. */
    private static final String PYTHON = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";

    private Path tmp;
    private ApiDaemon daemon;
    private Set<ByteBuffer> all;

    @BeforeAll
    void startDaemon(@TempDir Path dir) throws Exception {
        tmp = dir;
        daemon = ApiDaemon.start(tmp);
        all = Trees.find(daemon.root);
    }

    @AfterAll
    void stopDaemon() throws Exception {
        daemon.close();
    }

    @Test
    void pythonExamplePrintsTheMatchingPathsByteForByte() throws Exception {
        Path gen = pythonStubs();
        String run = "PYTHONPATH=" + ApiDaemon.quote(gen) + " " + PYTHON + " "
                + ApiDaemon.quote(EXAMPLES.resolve("python/jfind_search.py")) + " --socket ";
        String here = run + ApiDaemon.quote(daemon.socket);
        assertPrints(Launched.shell(Map.of(), here + " report"), Trees.containing(all, Trees.utf8("report")));
        // a pattern that is not valid UTF-8 reaches the daemon as the bytes typed
        assertPrints(Launched.shell(Map.of(), here + " \"$(printf 'bad\\377')\""),
                Trees.containing(all, new byte[] {'b', 'a', 'd', (byte) 0xff}));
        assertPrints(Launched.shell(Map.of(), here + " docs report"),
                Trees.containing(Trees.containing(all, Trees.utf8("docs")), Trees.utf8("report")));
        assertUnreachableIsAnError(Launched.shell(Map.of(), run + ApiDaemon.quote(tmp.resolve("nobody.sock")) + " x"));
    }

    @Test
    void nodeExamplePrintsTheMatchingPathsByteForByte() throws Exception {
        Path node = EXAMPLES.resolve("node");
        Launched.Result check = Launched.shell(Map.of(), "command -v node");
        assertEquals(0, check.exit(), "the Node.js example needs node: apt-get install nodejs npm (.ci/run does)");
        assertTrue(Files.isDirectory(node.resolve("node_modules/@grpc/grpc-js")),
                "the Node.js example needs its packages: run `npm ci` in " + node + " (.ci/run does)");
        String run = "node " + ApiDaemon.quote(node.resolve("jfind-search.js")) + " --socket ";
        String here = run + ApiDaemon.quote(daemon.socket);
        assertPrints(Launched.shell(Map.of(), here + " report"), Trees.containing(all, Trees.utf8("report")));
        assertPrints(Launched.shell(Map.of(), here + " 'with space/'"), Trees.containing(all, Trees.utf8("with space/")));
        assertUnreachableIsAnError(Launched.shell(Map.of(), run + ApiDaemon.quote(tmp.resolve("nobody.sock")) + " x"));
    }

    @Test
    void pythonAndNodeExamplesFollowChangesAsTheyHappen() throws Exception {
        Path gen = pythonStubs();
        assertFollows("python", "PYTHONPATH=" + ApiDaemon.quote(gen) + " exec " + PYTHON + " "
                + ApiDaemon.quote(EXAMPLES.resolve("python/jfind_follow.py")));
        assertFollows("node", "exec node " + ApiDaemon.quote(EXAMPLES.resolve("node/jfind-follow.js")));
    }

    /** The example prints the current match, then a created and a deleted path, and exits after those two. */
    private void assertFollows(String name, String command) throws Exception {
        Path existing = Files.createFile(daemon.root.resolve("followed-" + name + "-0"));
        Map<String, String> env = Map.of("JFIND_SOCKET", daemon.socket.toString());
        Await.upTo(Duration.ofSeconds(20)).every(Duration.ofMillis(50)).until("the live update",
                () -> Launched.client(env, existing.getFileName().toString()), r -> r.exit() == 0, r -> "exit " + r.exit() + ", " + r.out() + r.stderr());
        Process p = new ProcessBuilder("/bin/sh", "-c", command + " --socket " + ApiDaemon.quote(daemon.socket)
                + " --max-changes 2 followed-" + name).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        p.getOutputStream().close();
        java.io.BufferedReader out = new java.io.BufferedReader(
                new java.io.InputStreamReader(p.getInputStream(), java.nio.charset.StandardCharsets.UTF_8));
        try {
            assertEquals("= " + existing, out.readLine(), name + ": the current match first");
            Path created = daemon.root.resolve("followed-" + name + "-1");
            Files.createFile(created);
            assertEquals("+ " + created, out.readLine(), name);
            Files.delete(created);
            assertEquals("- " + created, out.readLine(), name);
            assertTrue(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS), name + " stops after --max-changes");
            assertEquals(0, p.exitValue(), name);
        } finally {
            p.destroyForcibly();
        }
    }

    private static void assertUnreachableIsAnError(Launched.Result r) {
        assertEquals(2, r.exit(), r.stderr());
        assertTrue(r.stderr().contains("UNAVAILABLE"), r.stderr());
        assertEquals(0, r.stdout().length, r.out());
    }

    /** Generates the Python stubs from proto/ into a fresh directory, as the example's README says. */
    private Path pythonStubs() throws Exception {
        Launched.Result check = Launched.shell(Map.of(), PYTHON + " -c 'import grpc, grpc_tools.protoc'");
        assertEquals(0, check.exit(), "the Python example needs Debian's python3-grpcio and python3-grpc-tools"
                + " (apt-get install python3-grpcio python3-grpc-tools; .ci/run does): " + check.stderr());
        Path gen = Files.createDirectories(tmp.resolve("python-gen"));
        Launched.Result protoc = Launched.shell(Map.of(), PYTHON + " -m grpc_tools.protoc -I " + ApiDaemon.quote(PROTO)
                + " --python_out=" + ApiDaemon.quote(gen) + " --grpc_python_out=" + ApiDaemon.quote(gen)
                + " jfind/v1/jfind.proto");
        assertEquals(0, protoc.exit(), protoc.stderr());
        return gen;
    }

    /** stdout holds exactly {@code expected}, one path a line, each once; stderr the status. */
    private void assertPrints(Launched.Result r, Set<ByteBuffer> expected) {
        assertEquals(0, r.exit(), r.stderr());
        assertFalse(expected.isEmpty(), "a test pattern must match something");
        assertEquals(escaped(expected), escaped(lines(r.stdout())), "the exact bytes of every path, each once");
        assertTrue(r.stderr().contains("state: INDEX_STATE_READY\n"), r.stderr());
        assertTrue(r.stderr().matches("(?s).*paths: \\d+\n.*"), r.stderr());
    }

    /** Sorted, each byte outside printable ASCII as \xNN, so a failure shows which bytes differ. */
    private static List<String> escaped(Collection<ByteBuffer> paths) {
        List<String> out = new ArrayList<>();
        for (ByteBuffer p : paths) {
            StringBuilder b = new StringBuilder();
            for (byte c : p.array()) {
                b.append(c >= 0x20 && c < 0x7f && c != '\\' ? Character.toString(c) : String.format("\\x%02x", c & 0xff));
            }
            out.add(b.toString());
        }
        Collections.sort(out);
        return out;
    }

    private static List<ByteBuffer> lines(byte[] out) {
        List<ByteBuffer> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < out.length; i++) {
            if (out[i] == '\n') {
                lines.add(ByteBuffer.wrap(Arrays.copyOfRange(out, start, i)));
                start = i + 1;
            }
        }
        assertEquals(out.length, start, "the output ends with a newline");
        return lines;
    }
}
