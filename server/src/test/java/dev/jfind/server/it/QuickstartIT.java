package dev.jfind.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/quickstart.sh as a new user meets it: a home it has never indexed, its output into a
 * pipe. The build step is skipped (--no-build): the suite runs on the jars just built.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class QuickstartIT {
    static final Path QUICKSTART = Launched.REPO.resolve("deploy/quickstart.sh");

    private Path home;
    private Map<String, String> env;

    @BeforeAll
    void aHomeNeverIndexed(@TempDir Path tmp) throws Exception {
        home = Files.createDirectories(tmp.resolve("home"));
        Files.writeString(home.resolve(".bashrc"), "# a first-run answer\n");
        // big enough that the first crawl has not committed when the daemon first answers
        for (int d = 0; d < 100; d++) {
            Path dir = Files.createDirectories(home.resolve("data/d" + d));
            for (int f = 0; f < 200; f++) {
                Files.createFile(dir.resolve("file-" + f));
            }
        }
        env = new HashMap<>();
        env.put("HOME", home.toString());
        env.put("XDG_STATE_HOME", home.resolve(".local/state").toString());
        env.put("XDG_CACHE_HOME", home.resolve(".cache").toString());
        env.put("XDG_CONFIG_HOME", home.resolve(".config").toString());
        env.put("XDG_RUNTIME_DIR", Files.createDirectories(tmp.resolve("run"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))).toString());
    }

    @AfterAll
    void stopTheDaemon() throws Exception {
        Path pid = home.resolve(".local/state/jfind/jfindd.pid");
        if (Files.exists(pid)) {
            ProcessHandle.of(Long.parseLong(Files.readString(pid).strip())).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    private Launched.Result quickstart(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("bash", QUICKSTART.toString(), "--no-build"));
        command.addAll(List.of(args));
        return Launched.run(command, env);
    }

    private static void assertNoEscapeCodes(Launched.Result r) {
        assertFalse(r.out().contains("\033") || r.stderr().contains("\033"),
                "no terminal escape codes into a pipe:\n" + r.out() + r.stderr());
    }

    @Test
    @Order(1)
    void theFirstRunShowsARealAnswer() throws Exception {
        Launched.Result r = quickstart();
        assertEquals(0, r.exit(), r.out() + r.stderr());
        assertTrue(r.out().contains(home.resolve(".bashrc") + "\n"), "the first run finds ~/.bashrc:\n" + r.out() + r.stderr());
        assertTrue(r.out().contains("started jfindd"), r.out());
        assertNoEscapeCodes(r);
    }

    @Test
    @Order(2)
    void noMatchIsNotAnError() throws Exception {
        Launched.Result r = quickstart("no-such-name-anywhere");
        assertEquals(1, r.exit(), r.out() + r.stderr());
        assertTrue(r.out().contains("no path matches"), r.out());
        assertFalse(r.out().contains("started jfindd"), "the running daemon is used: " + r.out());
        assertNoEscapeCodes(r);
    }

    @Test
    @Order(3)
    void anErrorIsShownAsOne() throws Exception {
        Launched.Result r = quickstart("--no-such-flag");
        assertEquals(2, r.exit(), r.out() + r.stderr());
        assertFalse(r.out().contains("no path matches"), "a bad flag is not 'no match': " + r.out());
        assertTrue(r.stderr().contains("--no-such-flag") && r.stderr().contains("exit 2"),
                "the client's own message is shown: " + r.stderr());
        assertNoEscapeCodes(r);
    }
}
