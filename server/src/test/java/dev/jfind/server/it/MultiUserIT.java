package dev.jfind.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.protobuf.ByteString;
import dev.jfind.api.v1.PathEntry;
import dev.jfind.api.v1.SearchRequest;
import dev.jfind.api.v1.SearchResponse;
import dev.jfind.server.testing.Await;
import dev.jfind.server.testing.Trees;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who sees what, with real users: one daemon (run as root, its socket open to all) over a
 * tree of private, group-only, world-readable, unlistable and ACL-governed directories;
 * each test user's jfind-client answers must be exactly what find(1) run as that user can
 * find. Needs root and the users and groups that .ci/run creates; skipped otherwise.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MultiUserIT {
    private static final List<String> USERS = List.of("jfind-alice", "jfind-bob", "jfind-carol");
    /** Seed of the random searches: failures name it, -Djfind.seed=N repeats a run. */
    private static final long RANDOM_SEED = Long.getLong("jfind.seed", System.nanoTime());

    private Path tmp;
    private Path root;
    private Path socket;
    private int tcpPort;
    private Process daemon;
    private Set<ByteBuffer> all;
    private final Map<String, Set<ByteBuffer>> findable = new HashMap<>();

    @BeforeAll
    void startDaemon(@TempDir Path dir) throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root, to act as the test users");
        for (String user : USERS) {
            assumeTrue(Launched.run(List.of("id", user), Map.of()).exit() == 0, "needs the users .ci/run creates: " + user);
        }
        assumeTrue(Launched.run(List.of("setfacl", "--version"), Map.of()).exit() == 0, "needs setfacl (Debian's acl)");
        tmp = dir;
        chmod(tmp, "rwxr-xr-x"); // JUnit makes it 0700, and the users must reach the tree and the socket
        root = tmp.resolve("tree");
        buildTree();
        socket = tmp.resolve("run/jfind.sock");
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            tcpPort = probe.getLocalPort();
        }
        daemon = Launched.daemon(tmp.resolve("jfindd.log"), "--root", root.toString(),
                "--state-dir", tmp.resolve("state").toString(), "--socket", socket.toString(),
                "--socket-mode", "0666", "--listen", "127.0.0.1:" + tcpPort);
        Await.upTo(Duration.ofSeconds(120)).every(Duration.ofMillis(100)).until("the daemon to be ready",
                () -> Launched.client(Map.of("JFIND_SOCKET", socket.toString()), "status", "--json").out(),
                status -> status.contains("\"state\":\"ready\""), status -> status + "; log: " + readLog());
        all = Trees.find(root);
        for (String user : USERS) {
            Path cache = Files.createDirectories(tmp.resolve("cache-" + user));
            Files.setOwner(cache, lookup().lookupPrincipalByName(user)); // the client's class-data archive
            findable.put(user, findAs(user));
        }
        findable.put("nobody", findAs("nobody"));
    }

    @AfterAll
    void stopDaemon() throws InterruptedException {
        if (daemon != null) {
            daemon.destroy();
            daemon.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /**
     * Every kind of directory a multi-user machine has. Files named report-* are in each,
     * secret-* only where some user must not see them.
     */
    private void buildTree() throws Exception {
        dir("", "rwxr-xr-x", "root", "root", "report-top.txt");
        dir("world", "rwxr-xr-x", "root", "root", "report-world.txt", "notes.md");
        dir("world/sub", "rwxr-xr-x", "jfind-carol", "jfind-carol", "report-sub.txt");
        dir("alice-private", "rwx------", "jfind-alice", "jfind-alice", "report-alice.txt", "secret-alice.key");
        dir("alice-private/open", "rwxr-xr-x", "jfind-alice", "jfind-alice", "report-inside-private.txt");
        dir("team", "rwxr-x---", "root", "jfind-team", "report-team.txt", "secret-team.key");
        dir("team/inner", "rwxr-xr-x", "root", "jfind-team", "report-team-inner.txt");
        dir("team-readonly", "rwxr-----", "root", "jfind-team", "report-team-readonly.txt");
        dir("other-group", "rwxr-x---", "root", "jfind-other", "secret-other.key");
        dir("unsearchable", "rwxr--r--", "root", "root", "report-unsearchable.txt");
        dir("listless", "rwx--x--x", "root", "root", "secret-listless.txt");
        dir("listless/open", "rwxr-xr-x", "root", "root", "report-listless-open.txt");
        dir("root-only", "rwx------", "root", "root", "secret-root.key");
        dir("acl-grant", "rwx------", "root", "root", "report-acl-grant.txt");
        setfacl("u:jfind-carol:r-x", "acl-grant");
        dir("acl-deny", "rwxr-xr-x", "root", "root", "secret-acl-deny.txt");
        setfacl("u:jfind-alice:---", "acl-deny");
        dir("acl-group", "rwx------", "root", "root", "report-acl-group.txt");
        setfacl("g:jfind-other:r-x", "acl-group");
        dir("acl-masked", "rwx------", "root", "root", "secret-acl-masked.txt");
        setfacl("u:jfind-carol:rwx,m::--x", "acl-masked");
        dir("acl-owning-group-closed", "rwxr-x---", "root", "jfind-team", "secret-acl-closed.txt");
        setfacl("g::---,u:jfind-carol:r-x", "acl-owning-group-closed");
    }

    @Test
    void eachUsersClientListsExactlyWhatFindFindsAsThem() throws Exception {
        for (String user : USERS) {
            Set<ByteBuffer> theirs = findable.get(user);
            for (String pattern : List.of("report", "secret", "", "open", ".key")) {
                Launched.Result r = clientAs(user, "-0", pattern);
                Set<ByteBuffer> expected = Trees.containing(theirs, Trees.utf8(pattern));
                assertEquals(expected.isEmpty() ? 1 : 0, r.exit(), user + " " + pattern + ": " + r.stderr());
                assertEquals(Trees.readable(expected), Trees.readable(Trees.splitNul(r.stdout())),
                        user + " searching '" + pattern + "'");
            }
            for (String pattern : List.of("report", "secret", "")) {
                Launched.Result r = clientAs(user, "-c", pattern);
                assertEquals(Trees.containing(theirs, Trees.utf8(pattern)).size() + "\n", r.out(),
                        user + " counting '" + pattern + "': " + r.stderr());
            }
            Launched.Result r = clientAs(user, "-0", "-i", "REPORT", "ACL");
            assertEquals(Trees.readable(Trees.containingIgnoreCase(Trees.containingIgnoreCase(theirs, "report"), "acl")),
                    Trees.readable(Trees.splitNul(r.stdout())), user + " -i REPORT ACL");
        }
    }

    @Test
    void basenameGlobRegexAndStructuredQueriesObeyTheSameRule() throws Exception {
        for (String user : USERS) {
            assertEquals(Trees.readable(findAs(user, "-name", "*report*")),
                    Trees.readable(Trees.splitNul(clientAs(user, "-0", "-b", "report").stdout())), user + " -b report");
            assertEquals(Trees.readable(findAs(user, "-path", "*.key")),
                    Trees.readable(Trees.splitNul(clientAs(user, "-0", "*.key").stdout())), user + " *.key");
            assertEquals(Trees.readable(findAs(user, "-regextype", "posix-extended", "-regex", ".*/(secret|open)[^/]*")),
                    Trees.readable(Trees.splitNul(clientAs(user, "-0", "-r", "/(secret|open)[^/]*$").stdout())), user + " -r");
            assertEquals(Trees.readable(findAs(user, "-type", "d")),
                    Trees.readable(Trees.splitNul(clientAs(user, "-0", "-q", "type:d").stdout())), user + " -q type:d");
            assertEquals(findAs(user, "!", "-type", "d", "-name", "*report*").size() + "\n",
                    clientAs(user, "-c", "-q", "NOT type:d AND name:report").out(), user + " -c -q");
        }
    }

    @Test
    void onlyRootMayAdministerTheDaemon() throws Exception {
        Launched.Result refused = clientAs("jfind-alice", "admin", "crawl");
        assertEquals(2, refused.exit(), refused.out());
        assertTrue(refused.stderr().contains("only root, the daemon's own user"), refused.stderr());
        Launched.Result allowed = Launched.run(List.of(Launched.CLIENT.toString(), "--socket", socket.toString(),
                "admin", "crawl"), Map.of());
        assertEquals(0, allowed.exit(), allowed.stderr());
    }

    @Test
    void theTreeReallyTellsTheUsersApart() {
        // guards the other tests against a tree in which everyone sees the same
        Set<String> distinct = new HashSet<>();
        for (String user : USERS) {
            Set<ByteBuffer> theirs = findable.get(user);
            assertTrue(all.containsAll(theirs));
            assertTrue(theirs.size() < all.size(), user + " should not find everything");
            distinct.add(Trees.readable(theirs).toString());
        }
        assertEquals(USERS.size(), distinct.size(), "each user finds something the others do not");
    }

    @Test
    void rootSeesEverythingAndStatusCountsOnlyForRoot() throws Exception {
        Map<String, String> env = Map.of("JFIND_SOCKET", socket.toString());
        Launched.Result r = Launched.client(env, "-0", "");
        assertEquals(all, Trees.splitNul(r.stdout()));
        assertTrue(Launched.client(env, "status", "--json").out().contains("\"paths\":" + all.size()));
        for (String user : USERS) {
            String json = clientAs(user, "status", "--json").out();
            assertTrue(json.contains("\"paths\":null") && json.contains("\"figures_withheld\":true")
                    && json.contains("\"state\":\"ready\""), user + ": " + json);
        }
    }

    @Test
    void tcpOnLoopbackShowsOnlyWhatEveryoneMaySee() throws Exception {
        Launched.Result r = Launched.client(Map.of(), "--server", "127.0.0.1:" + tcpPort, "-0", "");
        assertEquals(Trees.readable(findable.get("nobody")), Trees.readable(Trees.splitNul(r.stdout())));
        Launched.Result count = Launched.client(Map.of(), "--server", "127.0.0.1:" + tcpPort, "-c", "secret");
        assertEquals(Trees.containing(findable.get("nobody"), Trees.utf8("secret")).size() + "\n", count.out());
    }

    /**
     * Many random searches per user, patterns cut from every indexed path (hidden ones too),
     * with and without -i, limits and counts: no answer may hold a path the user cannot find,
     * counts and limits must count only what they can.
     */
    @Test
    void randomSearchesNeverLeak() throws Exception {
        Random random = new Random(RANDOM_SEED);
        List<byte[]> paths = all.stream().map(ByteBuffer::array).toList();
        for (String user : USERS) {
            List<SearchRequest> requests = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                requests.add(randomRequest(random, paths));
            }
            List<SearchResponse> answers = probeAs(user, requests);
            assertEquals(requests.size(), answers.size(), user);
            Set<ByteBuffer> theirs = findable.get(user);
            for (int i = 0; i < requests.size(); i++) {
                SearchRequest q = requests.get(i);
                SearchResponse a = answers.get(i);
                String what = user + " (seed " + RANDOM_SEED + ") " + describe(q);
                Set<ByteBuffer> expected = theirs;
                for (ByteString p : q.getPatternsList()) {
                    expected = q.getIgnoreCase() ? Trees.containingIgnoreCase(expected, p.toStringUtf8())
                            : Trees.containing(expected, p.toByteArray());
                }
                Set<ByteBuffer> got = new HashSet<>();
                for (PathEntry e : a.getEntriesList()) {
                    ByteBuffer path = ByteBuffer.wrap(e.getPath().toByteArray());
                    assertTrue(theirs.contains(path), () -> "LEAK to " + what + ": " + e.getPath().toStringUtf8());
                    got.add(path);
                }
                long want = q.getLimit() == 0 ? expected.size() : Math.min(q.getLimit(), expected.size());
                if (q.getCountOnly()) {
                    assertEquals(want, a.getTotalCount(), what);
                } else {
                    assertTrue(expected.containsAll(got), what);
                    assertEquals(want, got.size(), what);
                    assertEquals(want, a.getTotalCount(), what);
                }
            }
        }
    }

    /**
     * A follow stream shows the user only the changes they could see: files appear and go in
     * directories alice may and may not list; her stream must hold the first and none of the
     * second. Last, as it changes the tree the other tests compare with.
     */
    @Test
    @Order(Integer.MAX_VALUE)
    void followShowsOnlyChangesTheUserCouldSee() throws Exception {
        Path out = tmp.resolve("follow-alice.out");
        List<String> command = new ArrayList<>(asUser("jfind-alice", List.of(Launched.CLIENT.toString(),
                "--socket", socket.toString(), "--follow", "--events", "followed-")));
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile())
                .redirectError(tmp.resolve("follow-alice.err").toFile());
        pb.environment().put("XDG_CACHE_HOME", tmp.resolve("cache-jfind-alice").toString());
        Process follow = pb.start();
        try {
            Path probe = root.resolve("world/followed-probe");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60); // for all three waits
            // the stream is live once a change made after it started shows up
            Await.upTo(Duration.ofNanos(deadline - System.nanoTime())).every(Duration.ofMillis(200)).until("follow to go live", () -> {
                String followed = Files.readString(out);
                if (!followed.contains(probe.toString())) {
                    Files.deleteIfExists(probe);
                    Thread.sleep(200); // apart, so the watcher sees a removal, then a creation
                    Files.createFile(probe);
                }
                return followed;
            }, followed -> followed.contains(probe.toString()));
            List<Path> hidden = List.of(root.resolve("root-only/followed-hidden"),
                    root.resolve("acl-deny/followed-hidden"), root.resolve("other-group/followed-hidden"));
            for (Path p : hidden) {
                Files.createFile(p);
            }
            Path shown = root.resolve("team/followed-shown"); // alice is in jfind-team
            Files.createFile(shown);
            awaitFollowed(out, "+ " + shown, 3, deadline); // the index has taken every change in
            for (Path p : hidden) {
                Files.delete(p);
            }
            Files.delete(shown);
            awaitFollowed(out, "- " + shown, 0, deadline);
            Files.delete(probe);
            String seen = Files.readString(out);
            assertTrue(seen.contains("+ " + shown) && seen.contains("- " + shown), seen);
            assertTrue(!seen.contains("followed-hidden"), "LEAK in alice's follow stream: " + seen);
        } finally {
            follow.destroy();
            follow.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Waits until {@code out} holds {@code line} and root counts {@code hidden} hidden files. */
    private void awaitFollowed(Path out, String line, int hidden, long deadline) throws Exception {
        Map<String, String> env = Map.of("JFIND_SOCKET", socket.toString());
        Await.upTo(Duration.ofNanos(deadline - System.nanoTime())).every(Duration.ofMillis(50))
                .until("'" + line + "' and " + hidden + " hidden files indexed",
                        () -> {
                            String stream = Files.readString(out);
                            // the client only once the line is there: it is a process to start
                            return Map.entry(stream, stream.contains(line)
                                    ? Launched.client(env, "-c", "followed-hidden").out() : "(not counted yet)");
                        }, now -> now.getKey().contains(line) && now.getValue().equals(hidden + "\n"),
                        now -> "stream so far: " + now.getKey() + "; hidden files counted: " + now.getValue().trim());
    }

    private static SearchRequest randomRequest(Random random, List<byte[]> paths) {
        SearchRequest.Builder q = SearchRequest.newBuilder();
        int patterns = 1 + random.nextInt(2);
        for (int k = 0; k < patterns; k++) {
            byte[] path = paths.get(random.nextInt(paths.size()));
            int length = Math.min(path.length, 1 + random.nextInt(8));
            int start = random.nextInt(path.length - length + 1);
            String cut = new String(path, start, length, StandardCharsets.UTF_8);
            q.addPatterns(ByteString.copyFromUtf8(random.nextInt(4) == 0 ? cut.toUpperCase(java.util.Locale.ROOT) : cut));
        }
        int[] limits = {0, 0, 0, 1, 2, 5, 20};
        return q.setIgnoreCase(random.nextBoolean())
                .setLimit(limits[random.nextInt(limits.length)])
                .setCountOnly(random.nextInt(3) == 0)
                .build();
    }

    private static String describe(SearchRequest q) {
        return q.getPatternsList().stream().map(p -> "'" + p.toStringUtf8() + "'").toList()
                + (q.getIgnoreCase() ? " -i" : "") + (q.getLimit() > 0 ? " -l " + q.getLimit() : "")
                + (q.getCountOnly() ? " -c" : "");
    }

    /** Runs {@link AccessProbe} as {@code user}: one JVM, one connection, every request. */
    private List<SearchResponse> probeAs(String user, List<SearchRequest> requests) throws Exception {
        Path file = tmp.resolve("requests-" + user);
        try (OutputStream out = Files.newOutputStream(file)) {
            for (SearchRequest q : requests) {
                q.writeDelimitedTo(out);
            }
        }
        chmod(file, "rw-r--r--");
        Path classes = Launched.REPO.resolve("server/target/test-classes");
        Path client = Launched.REPO.resolve("client/target");
        Launched.Result r = Launched.run(asUser(user, List.of("java", "-cp",
                classes + ":" + client.resolve("jfind-client.jar") + ":" + client.resolve("lib") + "/*",
                AccessProbe.class.getName(), socket.toString(), file.toString())), Map.of());
        assertEquals(0, r.exit(), user + ": " + r.stderr());
        List<SearchResponse> answers = new ArrayList<>();
        InputStream in = new ByteArrayInputStream(r.stdout());
        SearchResponse a;
        while ((a = SearchResponse.parseDelimitedFrom(in)) != null) {
            answers.add(a);
        }
        return answers;
    }

    private Launched.Result clientAs(String user, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Launched.CLIENT.toString(), "--socket", socket.toString()));
        command.addAll(List.of(args));
        return Launched.run(asUser(user, command), Map.of("XDG_CACHE_HOME", tmp.resolve("cache-" + user).toString()));
    }

    /**
     * What {@code user} can find under the root: find(1) run as them. {@code -links +0} makes
     * find lstat every entry, as the user must to learn anything of it: without it find also
     * prints the names it reads in a directory it may read but not search (r without x),
     * names the user cannot stat, and the rule hides.
     */
    private Set<ByteBuffer> findAs(String user, String... predicates) throws Exception {
        List<String> command = new ArrayList<>(List.of("find", root.toString(), "-links", "+0"));
        command.addAll(List.of(predicates));
        command.add("-print0");
        Launched.Result r = Launched.run(asUser(user, command), Map.of());
        assertTrue(r.exit() == 0 || r.stderr().contains("Permission denied"), r.stderr()); // 1 after EACCES
        return Trees.splitNul(r.stdout());
    }

    /** {@code command} run as {@code user}, with their primary and supplementary groups. */
    private static List<String> asUser(String user, List<String> command) throws Exception {
        String gid = new String(Launched.run(List.of("id", "-g", user), Map.of()).stdout(), StandardCharsets.UTF_8).strip();
        List<String> full = new ArrayList<>(List.of("setpriv", "--reuid=" + user, "--regid=" + gid, "--init-groups", "--"));
        full.addAll(command);
        return full;
    }

    private void dir(String relative, String mode, String owner, String group, String... files) throws IOException {
        Path d = Files.createDirectories(root.resolve(relative));
        for (String f : files) {
            Files.writeString(d.resolve(f), f);
            chmod(d.resolve(f), "rw-r--r--");
        }
        chmod(d, mode);
        Files.setOwner(d, lookup().lookupPrincipalByName(owner));
        GroupPrincipal g = lookup().lookupPrincipalByGroupName(group);
        Files.getFileAttributeView(d, PosixFileAttributeView.class).setGroup(g);
    }

    private void setfacl(String entries, String relative) throws Exception {
        Launched.Result r = Launched.run(List.of("setfacl", "-m", entries, root.resolve(relative).toString()), Map.of());
        assertEquals(0, r.exit(), "setfacl " + entries + ": " + r.stderr());
    }

    private static UserPrincipalLookupService lookup() {
        return root().getFileSystem().getUserPrincipalLookupService();
    }

    private static Path root() {
        return Path.of("/");
    }

    private static void chmod(Path p, String mode) throws IOException {
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode));
    }

    private String readLog() {
        try {
            return Files.readString(tmp.resolve("jfindd.log"));
        } catch (IOException e) {
            return e.toString();
        }
    }
}
