package dev.jfind.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jfind.server.testing.Await;
import dev.jfind.server.testing.Trees;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every search flag of jfind-client, through the real launchers against a real daemon,
 * checked against what find(1) itself selects on the same tree (find's -path and -name
 * are fnmatch globs as locate's, -regex, -type, -size, -newermt, -mindepth/-maxdepth).
 * Error paths: each gives exit 2 and a message saying what to fix.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QueryFlagsIT {
    private Path root;
    private Map<String, String> env;
    private final List<Process> daemons = new ArrayList<>();
    private Path tmp;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        tmp = dir;
        root = Files.createDirectories(dir.resolve("tree"));
        build(root);
        Path socket = dir.resolve("run/jfind.sock");
        env = Map.of("JFIND_SOCKET", socket.toString());
        daemons.add(Launched.daemon(dir.resolve("jfindd.log"), "--root", root.toString(), "--state-dir",
                dir.resolve("state").toString(), "--socket", socket.toString()));
        Launched.awaitReady(env);
    }

    @AfterAll
    void stop() {
        daemons.forEach(Process::destroyForcibly);
    }

    /** Files of many kinds, sizes and ages. */
    private static void build(Path root) throws IOException {
        Path docs = Files.createDirectories(root.resolve("docs"));
        write(docs.resolve("report-2024.pdf"), 20_000, "2024-03-01T10:00:00Z");
        write(docs.resolve("Report-2023.PDF"), 500, "2023-06-01T10:00:00Z");
        write(docs.resolve("notes.txt"), 10, "2025-01-01T10:00:00Z");
        write(docs.resolve("archive.tar.gz"), 3_000_000, "2022-01-01T10:00:00Z");
        Path deep = Files.createDirectories(root.resolve("src/a/b/c"));
        write(deep.resolve("Deep.java"), 100, "2024-05-05T10:00:00Z");
        Path files = Files.createDirectories(root.resolve("src/files"));
        for (int i = 0; i < 300; i++) {
            write(files.resolve("file-" + i + ".txt"), i * 100L, "2024-01-01T00:00:00Z");
        }
        Path media = Files.createDirectories(root.resolve("media"));
        for (int i = 1; i <= 20; i++) {
            write(media.resolve(String.format("IMG_%04d.JPG", i)), i * 1000L, "2024-07-0" + (1 + i % 9) + "T10:00:00Z");
        }
        Path weird = Files.createDirectories(root.resolve("weird"));
        write(weird.resolve("line\nbreak.txt"), 1, "2024-01-01T00:00:00Z");
        write(weird.resolve("tab\there.txt"), 1, "2024-01-01T00:00:00Z");
        write(Trees.child(weird, Trees.INVALID_UTF8_NAME), 1, "2024-01-01T00:00:00Z");
        write(weird.resolve("star*name"), 1, "2024-01-01T00:00:00Z");
        Files.createSymbolicLink(root.resolve("link-to-docs"), docs);
        Files.createDirectories(root.resolve("empty dir"));
    }

    private static void write(Path file, long size, String mtime) throws IOException {
        Files.write(file, new byte[(int) size]);
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse(mtime)));
    }

    private Set<ByteBuffer> jfind(String... args) throws Exception {
        List<String> full = new ArrayList<>(List.of("-0"));
        full.addAll(List.of(args));
        Launched.Result r = Launched.client(env, full.toArray(new String[0]));
        assertTrue(r.exit() == 0 || r.exit() == 1, () -> Arrays.toString(args) + ": " + r.stderr());
        return Trees.splitNul(r.stdout());
    }

    private Set<ByteBuffer> find(String... predicates) throws IOException {
        List<String> command = new ArrayList<>(List.of("find", root.toString()));
        command.addAll(List.of(predicates));
        command.add("-print0");
        return Trees.splitNul(Trees.run(command.toArray(new String[0])));
    }

    @Test
    void globsMatchTheWholePathAsFindPathDoes() throws Exception {
        for (String glob : List.of("*.txt", "*/src/*/file-1?.txt", "*/media/IMG_00[0-1][0-5].JPG", "*[!a-z]name",
                "*/docs/*", "*star\\*name")) {
            assertEquals(find("-path", glob), jfind(glob), glob);
        }
        assertEquals(find("-ipath", "*.pdf"), jfind("-i", "*.pdf"));
    }

    @Test
    void basenameMatchesTheLastComponentAsFindNameDoes() throws Exception {
        assertEquals(find("-name", "*docs*"), jfind("-b", "docs"));
        assertEquals(find("-name", "file-2*"), jfind("-b", "file-2*"));
        assertEquals(find("-path", "*docs*"), jfind("-b", "-w", "docs"), "-w undoes -b");
    }

    @Test
    void regexesAsFindRegexDoes() throws Exception {
        assertEquals(find("-regextype", "posix-extended", "-regex", ".*/file-1[0-9]+\\.txt"),
                jfind("-r", "/file-1[0-9]+\\.txt$"));
        assertEquals(find("-regextype", "posix-extended", "-regex", ".*(report|notes).*"), jfind("-r", "report|notes"));
        assertEquals(find("-regextype", "posix-extended", "-iregex", ".*/report-[0-9]+\\.pdf"),
                jfind("-r", "-i", "/report-\\d+\\.pdf$"));
    }

    @Test
    void severalPatternsAllMustMatchOrAnyWithAny() throws Exception {
        assertEquals(find("-path", "*file-1*", "-path", "*0.txt"), jfind("file-1", "0.txt"));
        assertEquals(find("(", "-path", "*IMG_0001*", "-o", "-path", "*notes*", ")"), jfind("--any", "IMG_0001", "notes"));
    }

    @Test
    void structuredQueriesAsFindPredicates() throws Exception {
        assertEquals(find("-type", "f", "-iname", "?*.pdf", "-size", "+10000c"), jfind("-q", "ext:pdf AND size:>10000"));
        assertEquals(find("-type", "d"), jfind("-q", "type:d"));
        assertEquals(find("-type", "l"), jfind("-q", "type:l"));
        assertEquals(find("-newermt", "2024-06-01 00:00:00 UTC"), jfind("-q", "mtime:>2024-06-01T00:00:00Z"));
        assertEquals(find("!", "-newermt", "2023-01-01 00:00:00 UTC"), jfind("-q", "mtime:<=2023-01-01T00:00:00Z"));
        int rootDepth = root.getNameCount();
        assertEquals(find("-mindepth", "2", "-maxdepth", "2"), jfind("-q", "depth:" + (rootDepth + 2)));
        assertEquals(find("-path", "*src*", "!", "-type", "d", "-size", "-1001c"),
                jfind("src", "-q", "NOT type:d AND size:<=1000"), "patterns AND query");
        assertEquals(find("-name", "IMG_*", "-size", "+4999c", "-size", "-10001c"),
                jfind("-q", "name:IMG_* AND size:[5000 TO 10000]"));
    }

    @Test
    void countLimitAndExisting() throws Exception {
        Launched.Result c = Launched.client(env, "-c", "-q", "ext:txt");
        assertEquals(find("-iname", "?*.txt").size() + "\n", c.out());
        assertEquals(5, jfind("-l", "5", "file-").size());
        assertEquals(7, jfind("-n", "7", "file-").size());
        Launched.Result none = Launched.client(env, "no-such-name-anywhere");
        assertEquals(1, none.exit(), "nothing matched");
    }

    @Test
    void sortOrdersAndReverses() throws Exception {
        Launched.Result r = Launched.client(env, "--sort", "size", "--reverse", "-l", "3", "-q", "type:f");
        assertEquals(List.of(root + "/docs/archive.tar.gz", root + "/src/files/file-299.txt", root + "/src/files/file-298.txt"),
                r.out().lines().toList(), r.stderr());
        Launched.Result byPath = Launched.client(env, "--sort", "path", "/media/");
        List<String> lines = byPath.out().lines().toList();
        List<String> sorted = new ArrayList<>(lines);
        java.util.Collections.sort(sorted);
        assertEquals(sorted, lines);
        assertEquals(20, lines.size());
        Launched.Result byMtime = Launched.client(env, "--sort", "mtime", "-l", "1", "-q", "type:f");
        assertEquals(root + "/docs/archive.tar.gz\n", byMtime.out(), "the oldest first");
    }

    @Test
    void jsonAndLongCarryTypeSizeAndMtime() throws Exception {
        Launched.Result j = Launched.client(env, "--json", "report-2024");
        assertEquals("{\"path\":\"" + root + "/docs/report-2024.pdf\",\"type\":\"file\",\"size\":20000,"
                + "\"mtime\":\"2024-03-01T10:00:00Z\"}\n", j.out());
        Launched.Result bad = Launched.client(env, "--json", "-b", "bad");
        String line = bad.out().strip();
        assertTrue(line.contains("\"path\":\"" + root + "/weird/bad\\udcff\\udcfe.txt\""), line);
        assertTrue(line.contains("\"path_b64\":\"" + pathB64() + "\""), line);
        Launched.Result l = Launched.client(env, "--long", "notes.txt");
        assertTrue(l.out().matches("f {11}10 2025-01-0[12] \\d\\d:\\d\\d " + root + "/docs/notes.txt\n"), l.out());
    }

    private String pathB64() {
        byte[] dir = Trees.utf8(root + "/weird/");
        byte[] full = Arrays.copyOf(dir, dir.length + Trees.INVALID_UTF8_NAME.length);
        System.arraycopy(Trees.INVALID_UTF8_NAME, 0, full, dir.length, Trees.INVALID_UTF8_NAME.length);
        return java.util.Base64.getEncoder().encodeToString(full);
    }

    @Test
    void onATerminalControlCharactersAreQuotedUnlessLiteral() throws Exception {
        if (!Files.isExecutable(Path.of("/usr/bin/script"))) {
            return; // util-linux's script(1) gives the client a terminal; without it there is none to test
        }
        String cmd = "'" + Launched.CLIENT + "' line";
        Launched.Result quoted = Launched.shell(env, "script -qec \"" + cmd + "\" /dev/null");
        assertTrue(quoted.out().contains("$'" + root + "/weird/line\\nbreak.txt'"), quoted.out());
        Launched.Result raw = Launched.shell(env, "script -qec \"" + cmd + " -N\" /dev/null");
        assertTrue(raw.out().contains(root + "/weird/line\r\nbreak.txt"), raw.out()); // the terminal's own newline
        Launched.Result piped = Launched.client(env, "line");
        assertEquals(root + "/weird/line\nbreak.txt\n", piped.out(), "into a pipe: raw bytes");
    }

    @Test
    void badInputIsExitTwoWithAMessageThatSaysWhatToFix() throws Exception {
        Launched.Result regex = Launched.client(env, "-r", "file-(");
        assertEquals(2, regex.exit());
        assertTrue(regex.stderr().contains("invalid regular expression 'file-('"), regex.stderr());
        Launched.Result query = Launched.client(env, "-q", "size:>lots AND type:f");
        assertEquals(2, query.exit());
        assertTrue(query.stderr().contains("'lots' is not a size") && query.stderr().contains("^"), query.stderr());
        for (List<String> args : List.<List<String>>of(List.of("--json", "--long", "x"), List.of("--reverse", "x"),
                List.of("--events", "x"), List.of("--follow", "-c", "x"), List.of("--sort", "colour", "x"), List.of())) {
            Launched.Result r = Launched.client(env, args.toArray(new String[0]));
            assertEquals(2, r.exit(), args::toString);
            assertTrue(r.stderr().contains("jfind-client"), r.stderr());
        }
    }

    @Test
    void existingDropsPathsDeletedSinceIndexing() throws Exception {
        Path socket = tmp.resolve("run2/jfind.sock");
        Map<String, String> still = Map.of("JFIND_SOCKET", socket.toString());
        Path tree = Files.createDirectories(tmp.resolve("static"));
        Files.createFile(tree.resolve("kept_file"));
        Files.createFile(tree.resolve("gone_file"));
        daemons.add(Launched.daemon(tmp.resolve("jfindd-static.log"), "--root", tree.toString(), "--no-watch",
                "--state-dir", tmp.resolve("state2").toString(), "--socket", socket.toString()));
        Launched.awaitReady(still);
        Files.delete(tree.resolve("gone_file"));
        Launched.Result all = Launched.client(still, "_file");
        assertEquals(2, all.out().lines().count(), "the index still holds it (no live updates)");
        Launched.Result existing = Launched.client(still, "-e", "_file");
        assertEquals(tree + "/kept_file\n", existing.out());
        assertEquals("1\n", Launched.client(still, "-e", "-c", "_file").out());
    }

    @Test
    void followPrintsMatchesThenNewPathsAndWithEventsRemovals() throws Exception {
        Path before = root.resolve("docs/followed-0.txt");
        Files.createFile(before);
        awaitVisible("followed-0");
        ProcessBuilder pb = new ProcessBuilder(Launched.CLIENT.toString(), "--follow", "--events", "followed-")
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().putAll(env);
        Process follow = pb.start();
        follow.getOutputStream().close();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(follow.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l = in.readLine(); l != null; l = in.readLine()) {
                    lines.add(l);
                }
            } catch (IOException e) {
                // the process was stopped
            }
        });
        reader.setDaemon(true);
        reader.start();
        try {
            assertEquals("= " + before, lines.poll(20, TimeUnit.SECONDS), "the current match first");
            Path created = root.resolve("docs/followed-1.txt");
            Files.createFile(created);
            assertEquals("+ " + created, lines.poll(20, TimeUnit.SECONDS));
            Files.delete(created);
            assertEquals("- " + created, lines.poll(20, TimeUnit.SECONDS));
        } finally {
            follow.destroy();
            follow.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private void awaitVisible(String pattern) throws Exception {
        Await.upTo(Duration.ofSeconds(20)).every(Duration.ofMillis(50)).until(pattern + " to become visible",
                () -> Launched.client(env, pattern), r -> r.exit() == 0, r -> "exit " + r.exit() + ", " + r.out() + r.stderr());
    }
}
