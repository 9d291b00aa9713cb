package dev.jfind.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jfind.server.testing.Await;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon as the shipped unit runs it: as an unprivileged user with CAP_DAC_READ_SEARCH
 * alone, under a /proc mounted {@code hidepid=invisible} (what {@code ProtectProc=invisible}
 * gives), in a private mount namespace. It cannot see its callers' processes, yet must count
 * them in their supplementary groups: jfind-alice is in jfind-team only as a supplementary
 * group. Needs root, unshare and setpriv, and the users .ci/run creates; skipped otherwise.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HiddenProcIT {
    private static final String DAEMON_USER = "jfind-daemon";

    private Path tmp;
    private Path socket;
    private Process daemon;

    @BeforeAll
    void startDaemon(@TempDir Path dir) throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root, to mount /proc and act as the test users");
        for (String user : List.of(DAEMON_USER, "jfind-alice", "jfind-carol")) {
            assumeTrue(Launched.run(List.of("id", user), Map.of()).exit() == 0, "needs the users .ci/run creates: " + user);
        }
        tmp = dir;
        chmod(tmp, "rwxr-xr-x");
        Path root = tmp.resolve("tree");
        dir(root, "rwxr-xr-x", "root", "root");
        dir(root.resolve("world"), "rwxr-xr-x", "root", "root");
        file(root.resolve("world/report-world.txt"));
        dir(root.resolve("team"), "rwxr-x---", "root", "jfind-team"); // the group's shared directory
        file(root.resolve("team/report-team.txt"));
        for (String d : List.of("state", "run", "home")) {
            dir(tmp.resolve(d), "rwxr-xr-x", DAEMON_USER, DAEMON_USER);
        }
        for (String user : List.of("jfind-alice", "jfind-carol")) {
            dir(tmp.resolve("cache-" + user), "rwx------", user, user); // the client's class-data archive
        }
        socket = tmp.resolve("run/jfind.sock");
        String as = "setpriv --reuid=" + DAEMON_USER + " --regid=" + DAEMON_USER + " --clear-groups"
                + " --inh-caps=+dac_read_search --ambient-caps=+dac_read_search --";
        // The daemon's own /proc: other users' processes are not there. The first command
        // proves it (pid 1 is root's), so the test cannot pass on a /proc that shows them.
        String script = "mount -t proc -o hidepid=invisible proc /proc"
                + " && if " + as + " test -e /proc/1; then echo 'hidepid=invisible not in force' >&2; exit 3; fi"
                + " && exec " + as + " env HOME=" + tmp.resolve("home") + " " + Launched.JFINDD
                + " --root " + root + " --state-dir " + tmp.resolve("state") + " --socket " + socket
                + " --socket-mode 0666 --admin-group jfind-team";
        daemon = new ProcessBuilder("unshare", "-m", "--propagation", "private", "sh", "-c", script)
                .redirectErrorStream(true).redirectOutput(log().toFile()).start();
        Await.upTo(Duration.ofSeconds(120)).every(Duration.ofMillis(100)).until("the daemon to be ready", () -> {
            String status = Launched.client(Map.of("JFIND_SOCKET", socket.toString()), "status", "--json").out();
            assertTrue(status.contains("\"state\":\"ready\"") || daemon.isAlive(), "daemon ended: " + Files.readString(log()));
            return status;
        }, status -> status.contains("\"state\":\"ready\""), status -> status + "; log: " + readLog());
    }

    @AfterAll
    void stopDaemon() throws InterruptedException {
        if (daemon != null) {
            daemon.destroy();
            daemon.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aSupplementaryGroupsFilesAreFoundThoughTheDaemonCannotSeeTheCaller() throws Exception {
        Launched.Result alice = clientAs("jfind-alice", "report");
        assertEquals(0, alice.exit(), alice.stderr());
        assertEquals(tmp.resolve("tree/team/report-team.txt") + "\n" + tmp.resolve("tree/world/report-world.txt") + "\n",
                sorted(alice.out()), "jfind-alice is in jfind-team; daemon log: " + Files.readString(log()));
        Launched.Result carol = clientAs("jfind-carol", "report");
        assertEquals(tmp.resolve("tree/world/report-world.txt") + "\n", carol.out(), "jfind-carol is not: " + carol.stderr());
        assertFalse(Files.readString(log()).contains("cannot learn the supplementary groups"), Files.readString(log()));
    }

    @Test
    void aSupplementaryAdminGroupMayAdminister() throws Exception {
        Launched.Result alice = clientAs("jfind-alice", "admin", "crawl");
        assertEquals(0, alice.exit(), "jfind-alice is in the admin group jfind-team: " + alice.stderr());
        Launched.Result carol = clientAs("jfind-carol", "admin", "crawl");
        assertEquals(2, carol.exit(), carol.out());
    }

    private Path log() {
        return tmp.resolve("jfindd.log");
    }

    private String readLog() {
        try {
            return Files.readString(log());
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static String sorted(String lines) {
        return lines.lines().sorted().map(l -> l + "\n").reduce("", String::concat);
    }

    /** The client run as {@code user} with their primary and supplementary groups, as a login gives them. */
    private Launched.Result clientAs(String user, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("setpriv", "--reuid=" + user, "--regid=" + user, "--init-groups",
                "--", Launched.CLIENT.toString(), "--socket", socket.toString()));
        command.addAll(List.of(args));
        return Launched.run(command, Map.of("XDG_CACHE_HOME", tmp.resolve("cache-" + user).toString()));
    }

    private static void dir(Path d, String mode, String owner, String group) throws IOException {
        Files.createDirectories(d);
        chmod(d, mode);
        UserPrincipalLookupService lookup = d.getFileSystem().getUserPrincipalLookupService();
        Files.setOwner(d, lookup.lookupPrincipalByName(owner));
        GroupPrincipal g = lookup.lookupPrincipalByGroupName(group);
        Files.getFileAttributeView(d, PosixFileAttributeView.class).setGroup(g);
    }

    private static void file(Path f) throws IOException {
        Files.writeString(f, f.getFileName().toString());
        chmod(f, "rw-r--r--");
    }

    private static void chmod(Path p, String mode) throws IOException {
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode));
    }
}
