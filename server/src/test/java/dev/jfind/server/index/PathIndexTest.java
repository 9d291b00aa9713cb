package dev.jfind.server.index;

import dev.jfind.server.testing.Filters;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jfind.server.crawl.CrawlStats;
import dev.jfind.server.crawl.Crawler;
import dev.jfind.server.crawl.Exclusions;
import dev.jfind.server.testing.Trees;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PathIndexTest {
    @TempDir
    Path tmp;

    private Path tree() throws IOException {
        Path root = Files.createDirectories(tmp.resolve("tree"));
        Trees.awkward(root, 500, 40);
        return root;
    }

    private static boolean crawl(PathIndex index, Path root) throws Exception {
        return crawl(index, root, new CrawlStats(), new PathIndex.CrawlSession[1]);
    }

    /** One crawl of {@code root} into {@code index}; the session is handed back in {@code session[0]}. */
    private static boolean crawl(PathIndex index, Path root, CrawlStats stats, PathIndex.CrawlSession[] session)
            throws Exception {
        session[0] = index.startCrawl();
        Instant start = Instant.now();
        boolean complete = new Crawler(Exclusions.virtualOnly(), 4)
                .crawl(List.of(root), session[0].sink(), stats, () -> false);
        index.finishCrawl(session[0], start, complete);
        return complete;
    }

    static Set<ByteBuffer> search(PathIndex index, boolean ignoreCase, byte[]... patterns) throws IOException {
        Set<ByteBuffer> hits = new HashSet<>();
        index.search(Filters.substrings(List.of(patterns), ignoreCase), hit -> {
            assertTrue(hits.add(ByteBuffer.wrap(hit.path())), "reported twice");
            return true;
        });
        return hits;
    }

    @Test
    void searchEqualsFindForEveryKindOfPattern() throws Exception {
        Path root = tree();
        try (PathIndex index = PathIndex.open(tmp.resolve("index"))) {
            assertTrue(crawl(index, root));
            Set<ByteBuffer> all = Trees.find(root);
            assertEquals(all, search(index, false, new byte[0]), "empty pattern lists everything find lists");
            for (String p : List.of("Report", "report", ".txt", "/", "d3", "file-0042", "caf\u00e9", "e\u0301",
                    "\n", "*", "?.t", "[b", "loop", "d39/bottom", "zzz-no-such")) {
                byte[] pattern = Trees.utf8(p);
                assertEquals(Trees.containing(all, pattern), search(index, false, pattern), () -> "pattern " + p);
            }
            byte[] invalid = {'d', (byte) 0xff, (byte) 0xfe};
            assertEquals(Trees.containing(all, invalid), search(index, false, invalid));
            assertEquals(1, search(index, false, invalid).size());
        }
    }

    @Test
    void indexFilesAreReadableByTheirOwnerOnlyWhateverTheUmask() throws Exception {
        Path probe = Files.createFile(tmp.resolve("umask-probe"));
        assumeTrue(Files.getPosixFilePermissions(probe).contains(PosixFilePermission.GROUP_READ),
                "the umask already hides new files from others: nothing to prove");
        Path root = tree();
        Path dir = tmp.resolve("index");
        try (PathIndex index = PathIndex.open(dir)) {
            crawl(index, root);
        }
        // an index written before this rule (or by hand): wide open
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
            }
        }
        try (PathIndex index = PathIndex.open(dir)) {
            assertOwnerOnly(dir);
            Files.createDirectories(root.resolve("more"));
            Files.createFile(root.resolve("more/new-segment-please"));
            crawl(index, root); // writes and commits new segments
            index.refresh();
            assertOwnerOnly(dir);
        }
    }

    private static void assertOwnerOnly(Path dir) throws IOException {
        assertEquals(PosixFilePermissions.fromString("rwx------"), Files.getPosixFilePermissions(dir));
        Set<PosixFilePermission> others = EnumSet.of(PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE,
                PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE,
                PosixFilePermission.OTHERS_EXECUTE);
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> all = files.toList();
            assertTrue(all.size() > 2, "an index has files: " + all);
            for (Path f : all) {
                Set<PosixFilePermission> mode = Files.getPosixFilePermissions(f);
                mode.retainAll(others);
                assertEquals(Set.of(), mode, f + " is open to others");
            }
        }
    }

    @Test
    void everyBlockOfABigDirectoryIsFound() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("blocks"));
        int n = IndexFields.BLOCK_SIZE * 3 + 5;
        String[] words = {"alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel"};
        for (int i = 0; i < n; i++) {
            Files.createFile(root.resolve(words[i % words.length] + "-" + Integer.toString(i * 7919, 36) + ".bin"));
        }
        try (PathIndex index = PathIndex.open(tmp.resolve("index"))) {
            crawl(index, root);
            Set<ByteBuffer> all = Trees.find(root);
            try (Stream<Path> names = Files.list(root)) {
                for (Path p : names.toList()) {
                    byte[] name = Trees.utf8(p.getFileName().toString());
                    assertEquals(Trees.containing(all, name), search(index, false, name), p.getFileName().toString());
                }
            }
        }
    }

    @Test
    void ignoreCaseFoldsUnicode() throws Exception {
        Path root = tree();
        try (PathIndex index = PathIndex.open(tmp.resolve("index"))) {
            crawl(index, root);
            Set<ByteBuffer> all = Trees.find(root);
            for (String p : List.of("REPORT", "quarterly report.pdf", "\u00e9cole", "KELVIN", "\u03c9mega", "FILE-0001")) {
                Set<ByteBuffer> expected = Trees.containingIgnoreCase(all, p);
                assertFalse(expected.isEmpty(), p);
                assertEquals(expected, search(index, true, Trees.utf8(p)), () -> "pattern " + p);
            }
        }
    }

    @Test
    void recrawlAppliesAdditionsDeletionsRenamesAndTypeChanges() throws Exception {
        Path root = tree();
        try (PathIndex index = PathIndex.open(tmp.resolve("index"))) {
            crawl(index, root);
            Files.delete(root.resolve("My Documents/Reports 2024/notes draft.txt"));
            Files.createFile(root.resolve("unicode/new-file.txt"));
            Files.move(root.resolve("deep/d0/d1"), root.resolve("deep/d0/renamed"));
            try (Stream<Path> big = Files.list(root.resolve("big"))) {
                big.forEach(p -> p.toFile().delete());
            }
            Files.delete(root.resolve("big"));
            Files.writeString(root.resolve("big"), "now a file");
            crawl(index, root);
            Set<ByteBuffer> all = Trees.find(root);
            assertEquals(all, search(index, false, new byte[0]));
            assertTrue(search(index, false, Trees.utf8("/d1/")).isEmpty(), "the old subtree is gone");
            assertEquals(all.size(), index.facts().paths());
        }
    }

    @Test
    void pathsOfRootsNoLongerCrawledAreDropped() throws Exception {
        Path a = Files.createDirectories(tmp.resolve("a/sub"));
        Files.createFile(a.resolve("in-a.txt"));
        Path b = Files.createDirectories(tmp.resolve("b"));
        Files.createFile(b.resolve("in-b.txt"));
        try (PathIndex index = PathIndex.open(tmp.resolve("index"))) {
            index.retainOnlyRoots(List.of(pathBytes(tmp.resolve("a"))));
            crawl(index, tmp.resolve("a"));
            index.retainOnlyRoots(List.of(pathBytes(tmp.resolve("a")))); // unchanged: keeps everything
            index.refresh();
            assertEquals(3, index.facts().paths());
            index.retainOnlyRoots(List.of(pathBytes(b)));
            crawl(index, b);
            assertEquals(Trees.find(b), search(index, false, new byte[0]));
        }
    }

    private static byte[] pathBytes(Path p) {
        return dev.jfind.server.fs.PathBytes.of(p.toAbsolutePath());
    }

    @Test
    void aRootDirectoryReplacedByAFileLeavesOnlyTheFile() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("root/sub"));
        Files.createFile(root.resolve("f"));
        Path top = tmp.resolve("root");
        try (PathIndex index = PathIndex.open(tmp.resolve("index"))) {
            crawl(index, top);
            Files.delete(root.resolve("f"));
            Files.delete(root);
            Files.delete(top);
            Files.writeString(top, "now a file");
            crawl(index, top);
            assertEquals(Trees.find(top), search(index, false, new byte[0]));
        }
    }

    @Test
    void aRootThatIsGoneLeavesNothingBehind() throws Exception {
        Path root = tree();
        try (PathIndex index = PathIndex.open(tmp.resolve("index"))) {
            crawl(index, root);
            Trees.deleteRecursively(root);
            crawl(index, root);
            assertEquals(Set.of(), search(index, false, new byte[0]));
        }
    }

    /** Sets every directory's mtime an hour back, as if the tree had been quiet since. */
    private static void ageDirectories(Path root) throws IOException {
        java.nio.file.attribute.FileTime hourAgo = java.nio.file.attribute.FileTime.fromMillis(
                System.currentTimeMillis() - 3_600_000);
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.toList()) {
                if (Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    Files.setLastModifiedTime(p, hourAgo);
                }
            }
        }
    }

    private static CrawlStats.Snapshot recrawl(PathIndex index, Path root, PathIndex.CrawlSession[] session)
            throws Exception {
        CrawlStats stats = new CrawlStats();
        crawl(index, root, stats, session);
        return stats.snapshot();
    }

    @Test
    void unchangedRecrawlReusesEveryListingAndWritesNothing() throws Exception {
        Path root = tree();
        Files.createDirectories(root.resolve("empty/dir"));
        ageDirectories(root);
        long directories;
        try (Stream<Path> all = Files.walk(root)) {
            directories = all.filter(p -> Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)).count();
        }
        try (PathIndex index = PathIndex.open(tmp.resolve("index"))) {
            crawl(index, root);
            PathIndex.CrawlSession[] session = new PathIndex.CrawlSession[1];
            CrawlStats.Snapshot stats = recrawl(index, root, session);
            assertTrue(session[0].summary().startsWith("0 added, 0 deleted, 0 directories"), session[0].summary());
            assertEquals(directories, stats.reused(), "every directory reused, empty ones too");
            assertEquals(0, stats.directories(), "none listed again");
            assertEquals(0, stats.entries() - 1, "only the root itself was stat'ed as an entry");
            assertEquals(Trees.find(root), search(index, false, new byte[0]));
        }
    }

    @Test
    void recrawlListsOnlyWhatChangedAndStillSeesEveryAddRemoveAndRename() throws Exception {
        Path root = tree();
        ageDirectories(root);
        try (PathIndex index = PathIndex.open(tmp.resolve("index"))) {
            crawl(index, root);
            Files.createFile(root.resolve("deep/d0/d1/d2/added.txt"));
            Files.delete(root.resolve("globs/what?.txt"));
            Files.move(root.resolve("unicode"), root.resolve("renamed-unicode"));
            PathIndex.CrawlSession[] session = new PathIndex.CrawlSession[1];
            CrawlStats.Snapshot stats = recrawl(index, root, session);
            assertEquals(Trees.find(root), search(index, false, new byte[0]));
            assertTrue(stats.reused() > 30, "unchanged directories are reused: " + stats.reused());
            assertTrue(stats.directories() < 10, "only changed or new directories are listed: " + stats.directories());
        }
    }

    @Test
    void aListingTakenRightAfterAChangeIsNotTrusted() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("fresh"));
        Files.createFile(root.resolve("a"));
        try (PathIndex index = PathIndex.open(tmp.resolve("index"))) {
            crawl(index, root); // the directory changed less than the safety margin before
            PathIndex.CrawlSession[] session = new PathIndex.CrawlSession[1];
            assertEquals(0, recrawl(index, root, session).reused());
        }
    }

    @Test
    void aCrashLosesOnlyWhatWasNotCommitted() throws Exception {
        Path root = tree();
        Path crashed = tmp.resolve("crashed-copy");
        try (PathIndex index = PathIndex.open(tmp.resolve("index"))) {
            crawl(index, root); // commits at its end
            long committed = index.facts().paths();
            Files.createFile(root.resolve("after-commit.txt"));
            PathIndex.CrawlSession session = index.startCrawl();
            new Crawler(Exclusions.virtualOnly(), 2).crawl(List.of(root), session.sink(), new CrawlStats(), () -> false);
            // "crash" here: copy the files as they are on disk while the writer is still open
            Files.createDirectories(crashed);
            try (Stream<Path> files = Files.list(tmp.resolve("index"))) {
                for (Path f : files.toList()) {
                    if (!f.getFileName().toString().equals("write.lock")) {
                        try {
                            Files.copy(f, crashed.resolve(f.getFileName()));
                        } catch (java.nio.file.NoSuchFileException e) {
                            // merged away meanwhile: never a file the last commit needs
                        }
                    }
                }
            }
            index.finishCrawl(session, Instant.now(), true);
            try (PathIndex reopened = PathIndex.open(crashed)) {
                IndexFacts facts = reopened.facts();
                assertEquals(committed, facts.paths(), "the last commit is intact");
                assertTrue(facts.firstCrawlComplete());
                crawl(reopened, root);
                assertEquals(Trees.find(root), search(reopened, false, new byte[0]), "a crawl repairs the rest");
            }
        }
    }

    @Test
    void indexSurvivesCloseAndReopen() throws Exception {
        Path root = tree();
        try (PathIndex index = PathIndex.open(tmp.resolve("index"))) {
            crawl(index, root);
        }
        try (PathIndex index = PathIndex.open(tmp.resolve("index"))) {
            IndexFacts facts = index.facts();
            assertTrue(facts.firstCrawlComplete());
            assertEquals(Trees.find(root).size(), facts.paths());
            assertEquals(1, search(index, false, "bottom.txt".getBytes(StandardCharsets.UTF_8)).size());
        }
    }

    @Test
    void aSecondWriterIsRefusedWithAClearMessage() throws Exception {
        try (PathIndex index = PathIndex.open(tmp.resolve("index"))) {
            IndexLockedException e = assertThrows(IndexLockedException.class, () -> PathIndex.open(tmp.resolve("index")));
            assertTrue(e.getMessage().contains("another jfindd"), e.getMessage());
        }
    }

    @Test
    void searchStopsWhenTheConsumerSaysSo() throws Exception {
        Path root = tree();
        try (PathIndex index = PathIndex.open(tmp.resolve("index"))) {
            crawl(index, root);
            int[] seen = {0};
            index.search(Filters.substrings(List.of(Trees.utf8("file-")), false), hit -> ++seen[0] < 7);
            assertEquals(7, seen[0]);
        }
    }
}
