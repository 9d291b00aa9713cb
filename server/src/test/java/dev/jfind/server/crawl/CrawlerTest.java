package dev.jfind.server.crawl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.jfind.server.config.UpdatedbConf;
import dev.jfind.server.testing.Trees;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CrawlerTest {
    @TempDir
    Path tmp;

    /** Records what the crawl reports, and checks no directory is listed twice. */
    static class Recorder implements ListingSink {
        final Set<ByteBuffer> paths = Collections.synchronizedSet(new HashSet<>());
        final Map<ByteBuffer, EntryType> types = Collections.synchronizedMap(new HashMap<>());
        final Set<ByteBuffer> listed = Collections.synchronizedSet(new HashSet<>());
        final List<ByteBuffer> notListed = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void root(Entry root) {
            add(root);
        }

        @Override
        public List<Entry> listed(Entry dir, List<Entry> children) {
            assertTrue(listed.add(ByteBuffer.wrap(dir.path())), "listed twice: " + new String(dir.path()));
            children.forEach(this::add);
            return ListingSink.directories(children);
        }

        @Override
        public void notListed(Entry dir) {
            notListed.add(ByteBuffer.wrap(dir.path()));
        }

        private void add(Entry e) {
            assertTrue(paths.add(ByteBuffer.wrap(e.path())), "reported twice: " + new String(e.path()));
            types.put(ByteBuffer.wrap(e.path()), e.type());
        }
    }

    private Recorder crawl(Exclusions exclusions, int threads, Path... roots) throws InterruptedException {
        Recorder sink = new Recorder();
        assertTrue(new Crawler(exclusions, threads).crawl(List.of(roots), sink, new CrawlStats(), () -> false));
        return sink;
    }

    @Test
    void seesExactlyWhatFindSeesAndNeverFollowsLinks() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("tree"));
        Trees.awkward(root, 2_000, 200);
        for (int threads : new int[] {1, 8}) {
            Recorder sink = crawl(Exclusions.virtualOnly(), threads, root);
            assertEquals(Trees.find(root), sink.paths, "threads=" + threads);
        }
        Recorder sink = crawl(Exclusions.virtualOnly(), 4, root);
        assertEquals(EntryType.SYMLINK, sink.types.get(key(root.resolve("links/loop"))));
        assertEquals(EntryType.SYMLINK, sink.types.get(key(root.resolve("links/to-docs"))));
        assertEquals(EntryType.OTHER, sink.types.get(key(root.resolve("a-fifo"))));
        assertEquals(EntryType.DIRECTORY, sink.types.get(key(root)));
        assertTrue(sink.paths.contains(ByteBuffer.wrap(Trees.utf8(root + "/" + "line\nbreak.txt"))));
    }

    @Test
    void rootItselfIsIndexedAndAFileRootWorks() throws Exception {
        Path file = Files.writeString(tmp.resolve("single.txt"), "x");
        Recorder sink = crawl(Exclusions.virtualOnly(), 2, file);
        assertEquals(Set.of(key(file)), sink.paths);
    }

    @Test
    void exclusionsByPathAndNameLeaveOutTheWholeSubtree() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("tree"));
        Files.createDirectories(root.resolve("src/node_modules/pkg"));
        Files.createFile(root.resolve("src/node_modules/pkg/index.js"));
        Files.createDirectories(root.resolve("cache/deep"));
        Files.createFile(root.resolve("cache/deep/blob"));
        Files.createFile(root.resolve("src/main.c"));
        Exclusions rules = Exclusions.forRoots(List.of(Trees.utf8(root.toString())),
                List.of(Trees.utf8(root.resolve("cache") + "/")), List.of(Trees.utf8("node_modules")), List.of());
        Recorder sink = crawl(rules, 2, root);
        assertEquals(Set.of(key(root), key(root.resolve("src")), key(root.resolve("src/main.c"))), sink.paths);
    }

    @Test
    void aSystemRootGetsNoHardCodedRulesOnlyTheVirtualFileSystems() {
        Exclusions system = Exclusions.forRoots(List.of(Trees.utf8("/")), List.of(), List.of(), List.of());
        assertFalse(system.excludesPath(Trees.utf8("/tmp")), "updatedb.conf decides, not a copy of Debian's");
        assertFalse(system.excludesName(Trees.utf8("/src/.git"), 5));
        assertFalse(system.excludesFsType("tmpfs"));
        assertTrue(system.excludesFsType("proc"), "virtual file systems are never entered");
    }

    @Test
    void updatedbPrunedDirectoriesAreIndexedButNotEntered() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("tree"));
        Files.createDirectories(root.resolve("src/.git/objects"));
        Files.createFile(root.resolve("src/.git/HEAD"));
        Files.createFile(root.resolve("src/.svn")); // a file: PRUNENAMES are directory names
        Files.createDirectories(root.resolve("spool/q"));
        Files.createDirectories(root.resolve("keep/k"));
        Files.createDirectories(root.resolve("a/keep"));
        UpdatedbConf conf = UpdatedbConf.parse(tmp.resolve("updatedb.conf"), "PRUNENAMES=\".git .svn\"\n"
                + "PRUNEPATHS=\"" + root.resolve("spool") + " " + root.resolve("keep") + "/\"\n");
        Exclusions rules = Exclusions.builder(List.of(Trees.utf8(root.toString()))).updatedb(conf).build();
        Recorder sink = crawl(rules, 2, root);
        Set<ByteBuffer> expected = new java.util.HashSet<>();
        for (String p : List.of("", "/src", "/src/.git", "/src/.svn", "/spool", "/keep", "/keep/k", "/a", "/a/keep")) {
            expected.add(key(Path.of(root + p)));
        }
        assertEquals(expected, sink.paths);
        assertTrue(sink.notListed.containsAll(List.of(key(root.resolve("src/.git")), key(root.resolve("spool")))));
        assertTrue(rules.excludesBelow(Trees.utf8(root.toString()), Trees.utf8(root + "/src/.git/objects")));
        assertTrue(rules.excludesBelow(Trees.utf8(root.toString()), Trees.utf8(root + "/spool")));
        assertFalse(rules.excludesBelow(Trees.utf8(root.toString()), Trees.utf8(root + "/keep/k")));
        Exclusions rootPruned = Exclusions.builder(List.of(Trees.utf8(root.toString())))
                .updatedb(UpdatedbConf.parse(tmp.resolve("u"), "PRUNEPATHS=\"" + root + "\"")).build();
        assertTrue(crawl(rootPruned, 2, root).paths.contains(key(root.resolve("src/.git/HEAD"))),
                "a root is always entered");
    }

    @Test
    void updatedbRulesChangeTheFingerprintAndOnlyThen() {
        List<byte[]> roots = List.of(Trees.utf8("/"));
        String none = Exclusions.builder(roots).build().fingerprint();
        assertEquals(none, Exclusions.builder(roots).updatedb(UpdatedbConf.defaults(Path.of("/x"))).build().fingerprint(),
                "no updatedb.conf prunes nothing: same rules, same listings");
        java.util.Set<String> seen = new java.util.HashSet<>(List.of(none));
        for (String text : List.of("PRUNENAMES=\".git\"", "PRUNEPATHS=\"/tmp\"", "PRUNEFS=\"tmpfs\"",
                "PRUNE_BIND_MOUNTS=\"yes\"")) {
            String f = Exclusions.builder(roots).updatedb(parse(text)).build().fingerprint();
            assertTrue(seen.add(f), text + " must change the fingerprint");
        }
        assertEquals(Exclusions.builder(roots).updatedb(parse("PRUNEFS=\"TMPFS\"")).build().fingerprint(),
                Exclusions.builder(roots).updatedb(parse("PRUNEFS=\"tmpfs\"")).build().fingerprint(),
                "file system types match in any case");
    }

    private static UpdatedbConf parse(String text) {
        try {
            return UpdatedbConf.parse(Path.of("/etc/updatedb.conf"), text);
        } catch (dev.jfind.server.config.ConfigException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void rulesHaveAStableFingerprintThatChangesWithThem() {
        Exclusions a = Exclusions.forRoots(List.of(Trees.utf8("/home/u")), List.of(), List.of(Trees.utf8("x")), List.of());
        Exclusions same = Exclusions.forRoots(List.of(Trees.utf8("/home/u")), List.of(), List.of(Trees.utf8("x")), List.of());
        Exclusions other = Exclusions.forRoots(List.of(Trees.utf8("/home/u")), List.of(), List.of(Trees.utf8("y")), List.of());
        assertEquals(a.fingerprint(), same.fingerprint());
        assertFalse(a.fingerprint().equals(other.fingerprint()));
    }

    @Test
    void unreadableDirectoryIsIndexedButSkippedAndCounted() throws Exception {
        assumeFalse("root".equals(System.getProperty("user.name")), "root reads every directory");
        Path root = Files.createDirectories(tmp.resolve("tree"));
        Path secret = Files.createDirectories(root.resolve("secret"));
        Files.createFile(secret.resolve("hidden.txt"));
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("---------"));
        try {
            Recorder sink = new Recorder();
            CrawlStats stats = new CrawlStats();
            new Crawler(Exclusions.virtualOnly(), 2).crawl(List.of(root), sink, stats, () -> false);
            assertEquals(Set.of(key(root), key(secret)), sink.paths);
            assertEquals(1, stats.snapshot().unreadable());
            assertEquals(List.of(key(secret)), sink.notListed);
        } finally {
            Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rwx------"));
        }
    }

    @Test
    void aFailingSinkMakesTheCrawlIncompleteButDoesNotEndIt() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("tree"));
        Files.createDirectories(root.resolve("bad/below"));
        Files.createDirectories(root.resolve("good/below"));
        Recorder sink = new Recorder() {
            @Override
            public List<Entry> listed(Entry dir, List<Entry> children) {
                if (new String(dir.path(), StandardCharsets.UTF_8).endsWith("/bad")) {
                    throw new IllegalStateException("index refused it");
                }
                return super.listed(dir, children);
            }
        };
        assertFalse(new Crawler(Exclusions.virtualOnly(), 2).crawl(List.of(root), sink, new CrawlStats(), () -> false));
        assertTrue(sink.listed.contains(key(root.resolve("good/below"))), "the rest of the tree is still crawled");
    }

    @Test
    void aStopRequestEndsTheCrawlEarly() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("tree"));
        for (int i = 0; i < 50; i++) {
            Files.createDirectories(root.resolve("d" + i + "/sub"));
        }
        Recorder sink = new Recorder();
        boolean complete = new Crawler(Exclusions.virtualOnly(), 2)
                .crawl(List.of(root), sink, new CrawlStats(), () -> sink.listed.size() >= 3);
        assertFalse(complete);
        assertTrue(sink.listed.size() < 101);
    }

    /** Records the worker threads that list directories. */
    static class ThreadRecorder extends Recorder {
        final Set<Thread> workers = Collections.synchronizedSet(new HashSet<>());

        @Override
        public List<Entry> listed(Entry dir, List<Entry> children) {
            workers.add(Thread.currentThread());
            return super.listed(dir, children);
        }
    }

    @Test
    void everyRunAndEveryReloadedCrawlerUseTheOnePoolUntilItIsClosed() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("tree"));
        for (int i = 0; i < 40; i++) {
            Files.createDirectories(root.resolve("d" + i + "/sub"));
        }
        Crawler crawler = new Crawler(Exclusions.virtualOnly(), 2);
        Set<Thread> seen = new HashSet<>();
        ThreadRecorder first = new ThreadRecorder();
        assertTrue(crawler.crawl(List.of(root), first, new CrawlStats(), () -> false));
        seen.addAll(first.workers);
        ThreadRecorder second = new ThreadRecorder();
        assertTrue(crawler.crawl(List.of(root), second, new CrawlStats(), () -> false));
        seen.addAll(second.workers);
        Crawler reloaded = crawler.withRules(Exclusions.virtualOnly(), 2);
        ThreadRecorder third = new ThreadRecorder();
        assertTrue(reloaded.relist(List.of(root), third, new CrawlStats(), () -> false));
        seen.addAll(third.workers);
        assertTrue(seen.size() <= 2, "two workers in all, not two per run: " + seen);
        seen.forEach(t -> assertTrue(t.getName().matches("jfind-crawl-[12]") && t.isDaemon(), t.getName()));

        assertEquals(3, crawler.withRules(Exclusions.virtualOnly(), 3).threads(), "a reload resizes the one pool");
        reloaded.close();
        for (Thread t : seen) {
            t.join(10_000);
            assertFalse(t.isAlive(), "closing a crawler ends the workers of the pool it shares: " + t.getName());
        }
        assertThrows(java.util.concurrent.RejectedExecutionException.class,
                () -> crawler.crawl(List.of(root), new Recorder(), new CrawlStats(), () -> false));
    }

    private static ByteBuffer key(Path p) throws IOException {
        return ByteBuffer.wrap(p.toAbsolutePath().toString().getBytes(StandardCharsets.UTF_8));
    }
}
