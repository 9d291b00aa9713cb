package dev.jfind.server.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jfind.server.crawl.EntryType;
import dev.jfind.server.fs.PathBytes;
import dev.jfind.server.index.Hit;
import dev.jfind.server.testing.Await;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rule on a real tree, judged for made-up callers: the directories belong to whoever
 * runs the test, the callers are other uids, so it needs no root.
 */
class CallerViewTest {
    @TempDir
    Path tmp;
    private int me;
    private int myGroup;
    private Caller stranger;
    private Caller member;
    private Visibility rule;

    @BeforeEach
    void tree() throws IOException {
        chmod(tmp, "rwxr-xr-x"); // JUnit makes it 0700
        me = (Integer) Files.getAttribute(tmp, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        myGroup = (Integer) Files.getAttribute(tmp, "unix:gid", LinkOption.NOFOLLOW_LINKS);
        stranger = Caller.user(me + 1001, myGroup + 1001);
        member = Caller.user(me + 1002, myGroup + 1002, myGroup);
        rule = new Visibility(me, Duration.ofMinutes(5), 8, 1000);
        dir("world", "rwxr-xr-x");
        dir("world/private", "rwx------");
        dir("world/private/open-inside", "rwxr-xr-x");
        dir("world/group", "rwxr-x---");
        dir("world/readable-only", "rwxr--r--");
        dir("world/search-only", "rwx--x--x");
        dir("world/search-only/open", "rwxr-xr-x");
        for (String f : List.of("world/a", "world/private/b", "world/private/open-inside/c", "world/group/d",
                "world/readable-only/e", "world/search-only/f", "world/search-only/open/g")) {
            Files.createFile(tmp.resolve(f));
        }
    }

    @Test
    void eachCallerSeesWhatTheyCouldList() {
        // not listed: what is inside a private, group-only, unsearchable (r--) or unreadable (--x) directory,
        // even an open directory below one
        assertEquals(List.of("world", "world/a", "world/private", "world/group", "world/readable-only",
                "world/search-only"), visible(stranger));
        assertEquals(List.of("world", "world/a", "world/private", "world/group", "world/group/d",
                "world/readable-only", "world/search-only"), visible(member));
        assertEquals(visible(stranger), visible(Caller.ANONYMOUS), "other bits only");
    }

    @Test
    void rootAndTheDaemonsOwnUserSeeEverything() {
        List<String> all = visible(null);
        assertEquals(all, visible(Caller.user(0, 0)));
        assertEquals(all, visible(Caller.user(me, myGroup)));
        assertTrue(rule.of(Caller.user(0, 0)).seesEverything());
        assertFalse(rule.of(stranger).seesEverything());
        assertFalse(rule.of(Caller.ANONYMOUS).seesEverything());
    }

    @Test
    void theOwnerIsJudgedByTheOwnerBitsWhenNotTheDaemonsUser() throws IOException {
        int owner = me;
        if (me == 0) { // root sees everything: give the directory to someone else
            owner = 4242;
            Files.setAttribute(tmp.resolve("world/private"), "unix:uid", owner);
        }
        Visibility otherDaemon = new Visibility(owner + 5, Duration.ofMinutes(5), 8, 1000);
        chmod(tmp.resolve("world/private"), "---rwxrwx");
        CallerView.PathCheck f = otherDaemon.of(Caller.user(owner, myGroup)).newCheck();
        assertFalse(f.test(bytes("world/private/b")));
        assertTrue(f.test(bytes("world/a")));
    }

    @Test
    void aFilteredConsumerCountsAndStopsOnVisibleHitsOnly() {
        List<String> got = new ArrayList<>();
        var consumer = rule.of(stranger).filter(hit -> {
            got.add(new String(hit.path()));
            return got.size() < 2;
        });
        boolean more = true;
        for (String p : List.of("world/private/b", "world/a", "world/group/d", "world/search-only", "world/private")) {
            more = consumer.accept(new Hit(bytes(p), EntryType.FILE, 0, 0));
            if (!more) {
                break;
            }
        }
        assertFalse(more, "the downstream's stop passes through");
        assertEquals(List.of(tmp.resolve("world/a").toString(), tmp.resolve("world/search-only").toString()), got);
    }

    @Test
    void aChmodShowsOnceTheVerdictExpires() throws Exception {
        Visibility quick = new Visibility(me, Duration.ofMillis(200), 8, 1000);
        CallerView view = quick.of(stranger);
        assertFalse(view.newCheck().test(bytes("world/private/b")));
        chmod(tmp.resolve("world/private"), "rwxr-xr-x");
        long start = System.nanoTime();
        Await.upTo(Duration.ofSeconds(10)).until("the new mode to take effect",
                () -> view.newCheck().test(bytes("world/private/b")));
        chmod(tmp.resolve("world"), "rwx------");
        // both changes within the same 10 s
        Await.upTo(Duration.ofSeconds(10).minusNanos(System.nanoTime() - start)).until("closing an ancestor to take effect",
                () -> !view.newCheck().test(bytes("world/private/b")));
    }

    @Test
    void theCacheStaysWithinItsBound() throws IOException {
        Visibility small = new Visibility(me, Duration.ofMinutes(5), 2, 16);
        Path many = dir("many", "rwxr-xr-x");
        for (int i = 0; i < 100; i++) {
            Files.createFile(Files.createDirectory(many.resolve("d" + i)).resolve("f"));
        }
        CallerView.PathCheck f = small.of(stranger).newCheck();
        for (int i = 0; i < 100; i++) {
            assertTrue(f.test(bytes("many/d" + i + "/f")));
        }
        DirectoryVerdicts verdicts = small.verdictsOf(stranger);
        assertTrue(verdicts.size() <= 16, "cached " + verdicts.size());
        for (int uid = 1; uid <= 5; uid++) {
            small.of(Caller.user(me + 100 + uid, 1));
        }
        assertEquals(null, small.verdictsOf(stranger), "the least recent caller was dropped");
    }

    @Test
    void aRootThatIsASymlinkIsJudgedWhereItLeads() throws IOException {
        Path link = Files.createSymbolicLink(tmp.resolve("link-to-private"), tmp.resolve("world/private"));
        CallerView.PathCheck f = rule.of(stranger).newCheck();
        assertFalse(f.test(PathBytes.of(link.resolve("b"))));
        assertTrue(f.test(PathBytes.of(link)), "the link itself sits in a listable directory");
        chmod(tmp.resolve("world/private"), "rwxr-xr-x");
        assertTrue(new Visibility(me, Duration.ofMinutes(5), 8, 1000).of(stranger).newCheck()
                .test(PathBytes.of(link.resolve("b"))));
    }

    @Test
    void posixAclsCountForNamedUsersAndGroups() throws Exception {
        assumeTrue(hasCommand("setfacl"), "needs setfacl (Debian package acl)");
        Path open = tmp.resolve("world/private/open-inside");
        setfacl("u:" + Integer.toUnsignedString(stranger.uid()) + ":r-x", tmp.resolve("world/private"));
        setfacl("u:" + Integer.toUnsignedString(member.uid()) + ":---", tmp.resolve("world"));
        assertTrue(rule.of(stranger).newCheck().test(PathBytes.of(open.resolve("c"))), "granted by a named entry");
        assertFalse(rule.of(member).newCheck().test(bytes("world/a")), "refused by a named entry");
        assertTrue(rule.of(Caller.user(me + 1003, myGroup + 1003)).newCheck().test(bytes("world/a")),
                "others unaffected");
    }

    private static boolean hasCommand(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, name))) {
                return true;
            }
        }
        return false;
    }

    private static void setfacl(String entry, Path dir) throws Exception {
        Process p = new ProcessBuilder("setfacl", "-m", entry, dir.toString()).inheritIO().start();
        assertEquals(0, p.waitFor(), "setfacl " + entry);
    }

    /** Paths under tmp that {@code caller} sees (null: no filter), in a fixed order. */
    private List<String> visible(Caller caller) {
        List<String> all = List.of("world", "world/a", "world/private", "world/private/b",
                "world/private/open-inside", "world/private/open-inside/c", "world/group", "world/group/d",
                "world/readable-only", "world/readable-only/e", "world/search-only", "world/search-only/f",
                "world/search-only/open", "world/search-only/open/g");
        if (caller == null) {
            return all;
        }
        CallerView.PathCheck f = rule.of(caller).newCheck();
        return all.stream().filter(p -> f.test(bytes(p))).toList();
    }

    private byte[] bytes(String relative) {
        return PathBytes.of(tmp.resolve(relative));
    }

    private Path dir(String relative, String mode) throws IOException {
        Path d = Files.createDirectories(tmp.resolve(relative));
        chmod(d, mode);
        return d;
    }

    private static void chmod(Path p, String mode) throws IOException {
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode));
    }
}
