package dev.jfind.server.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jfind.server.crawl.CrawlStats;
import dev.jfind.server.crawl.Crawler;
import dev.jfind.server.crawl.Entry;
import dev.jfind.server.crawl.Exclusions;
import dev.jfind.server.crawl.ListingSink;
import dev.jfind.server.fs.PathBytes;
import dev.jfind.server.testing.Indexed;
import dev.jfind.server.testing.Trees;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntPredicate;
import java.util.stream.Stream;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.BytesRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Listings and the crawl rules they were made under: whatever rule changes, stopped crawls
 * and crashes came before, a complete crawl leaves the index equal to what {@code find}
 * lists with the rules in force.
 */
class CrawlRulesTest {
    private static final long HOUR_AGO = System.currentTimeMillis() - 3_600_000;

    @TempDir
    Path tmp;

    /** The /usr of the issue: share/doc among other directories, all unchanged for an hour. */
    private Path usr() throws IOException {
        Path root = Files.createDirectories(tmp.resolve("usr"));
        Files.createDirectories(root.resolve("share/doc/pkg"));
        Files.createFile(root.resolve("share/doc/pkg/copyright"));
        Files.createDirectories(root.resolve("share/man/man1"));
        Files.createFile(root.resolve("share/man/man1/ls.1"));
        Files.createDirectories(root.resolve("zz/last"));
        age(root);
        return root;
    }

    /** Sets every directory's mtime an hour back: listings taken now are reusable at once. */
    private static void age(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.toList()) {
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    Files.setLastModifiedTime(p, FileTime.fromMillis(HOUR_AGO));
                }
            }
        }
    }

    private static Exclusions rules(Path root, List<String> names, List<Path> paths) {
        return Exclusions.forRoots(List.of(PathBytes.of(root)), paths.stream().map(PathBytes::of).toList(),
                names.stream().map(n -> n.getBytes(StandardCharsets.UTF_8)).toList(), List.of());
    }

    /** What {@code find} lists under {@code root} with the name and path exclusions applied. */
    private static Set<ByteBuffer> find(Path root, List<String> names, List<Path> paths) throws IOException {
        List<String> command = new ArrayList<>(List.of("find", root.toString()));
        if (!names.isEmpty() || !paths.isEmpty()) {
            command.add("(");
            List<String> tests = new ArrayList<>();
            names.forEach(n -> tests.addAll(List.of("-name", n)));
            paths.forEach(p -> tests.addAll(List.of("-path", p.toString())));
            for (int i = 0; i < tests.size(); i += 2) {
                if (i > 0) {
                    command.add("-o");
                }
                command.add(tests.get(i));
                command.add(tests.get(i + 1));
            }
            command.addAll(List.of(")", "-prune", "-o"));
        }
        command.add("-print0");
        return Trees.splitNul(Trees.run(command.toArray(String[]::new)));
    }

    /**
     * One crawl under {@code rules}. {@code stopAt} is asked with the number of directories the
     * crawl has reached so far (listed or reused): true ends it there. {@code commitAt} likewise
     * says where the index commits mid-crawl, as its periodic commit does. With {@code crash}
     * the crawl is not finished and the index is abandoned as a kill -9 leaves it.
     *
     * @return the crawl's figures, and whether it completed
     */
    private static Crawl crawl(PathIndex index, Path root, Exclusions rules, boolean full, IntPredicate stopAt,
            IntPredicate commitAt, boolean crash) throws Exception {
        return crawl(index, root, rules, full, stopAt, commitAt, crash, (n, dir) -> {});
    }

    /** What runs just before the crawl writes the listing of {@code dir}, its {@code n}th directory reached. */
    @FunctionalInterface
    private interface BeforeListing {
        void run(int n, Entry dir) throws Exception;
    }

    /** {@link #crawl} with {@code beforeListing} run in the crawl's worker before each listing is written. */
    private static Crawl crawl(PathIndex index, Path root, Exclusions rules, boolean full, IntPredicate stopAt,
            IntPredicate commitAt, boolean crash, BeforeListing beforeListing) throws Exception {
        PathIndex.CrawlSession session = index.startCrawl(rules.fingerprint(), full);
        AtomicInteger reached = new AtomicInteger();
        ListingSink inner = session.sink();
        ListingSink counting = new ListingSink() {
            @Override
            public void root(Entry r) {
                inner.root(r);
            }

            @Override
            public void rootMissing(byte[] r) {
                inner.rootMissing(r);
            }

            @Override
            public void entering(Entry dir) {
                inner.entering(dir);
            }

            @Override
            public List<Entry> reuse(Entry dir) {
                List<Entry> reused = inner.reuse(dir);
                if (reused != null) {
                    reachedOne();
                }
                return reused;
            }

            @Override
            public List<Entry> listed(Entry dir, List<Entry> children) {
                try {
                    beforeListing.run(reached.get() + 1, dir);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                List<Entry> enter = inner.listed(dir, children);
                reachedOne();
                return enter;
            }

            @Override
            public void notListed(Entry dir) {
                inner.notListed(dir);
            }

            private void reachedOne() {
                if (commitAt.test(reached.incrementAndGet())) {
                    try {
                        index.commit();
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
            }
        };
        CrawlStats stats = new CrawlStats();
        Instant started = Instant.now();
        // one worker: the same seed reaches the same directories in the same order
        boolean complete = new Crawler(rules, 1).crawl(List.of(root), counting, stats,
                () -> stopAt.test(reached.get()));
        if (crash) {
            index.abandon();
        } else {
            index.finishCrawl(session, started, complete);
        }
        return new Crawl(stats.snapshot(), complete);
    }

    private record Crawl(CrawlStats.Snapshot stats, boolean complete) {}

    private static Crawl complete(PathIndex index, Path root, Exclusions rules) throws Exception {
        Crawl c = crawl(index, root, rules, /* full= */ false, n -> false, n -> false, /* crash= */ false);
        assertTrue(c.complete());
        return c;
    }

    @Test
    void aCrawlStoppedUnderOtherRulesIsNotTrustedWhenTheRulesComeBack() throws Exception {
        Path root = usr();
        Exclusions none = rules(root, List.of(), List.of());
        Exclusions noDoc = rules(root, List.of("doc"), List.of());
        try (PathIndex index = PathIndex.open(tmp.resolve("index"))) {
            complete(index, root, none);
            assertEquals(find(root, List.of(), List.of()), Indexed.all(index));
            // exclude_name = doc, reload, and within a second the line is removed again: the
            // crawl under the new rules is stopped after rewriting /usr and /usr/share
            Crawl stopped = crawl(index, root, noDoc, false, n -> n >= 2, n -> false, false);
            assertFalse(stopped.complete());
            Crawl after = complete(index, root, none);
            assertEquals(Trees.readable(find(root, List.of(), List.of())), Trees.readable(Indexed.all(index)),
                    "share/doc is back");
            assertTrue(after.stats().reused() > 0, "listings made under these rules are still reused");
        }
    }

    @Test
    void aCrashUnderOtherRulesIsNotTrustedAfterARestart() throws Exception {
        Path root = usr();
        Exclusions none = rules(root, List.of(), List.of());
        Exclusions noDoc = rules(root, List.of("doc"), List.of());
        Path dir = tmp.resolve("index");
        try (PathIndex index = PathIndex.open(dir)) {
            complete(index, root, none);
        }
        PathIndex crashing = PathIndex.open(dir);
        // killed after the periodic commit took /usr/share without doc
        crawl(crashing, root, noDoc, false, n -> n >= 3, n -> n == 2, /* crash= */ true);
        try (PathIndex index = PathIndex.open(dir)) {
            complete(index, root, none);
            assertEquals(Trees.readable(find(root, List.of(), List.of())), Trees.readable(Indexed.all(index)));
        }
    }

    /**
     * The orphan a superseded crawl leaves: a crawl under the old rules has started listing
     * D/X when a live update under new rules (X excluded now) rewrites D without X; the old
     * crawl then writes D/X's listing, which nothing above names any more.
     */
    @Test
    void aListingWrittenByASupersededCrawlUnderADirectoryRewrittenWithoutItGoes() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("tree"));
        Files.createDirectories(root.resolve("d/x/deep"));
        Files.createFile(root.resolve("d/x/deep/file"));
        Files.createDirectories(root.resolve("d/kept"));
        Files.createFile(root.resolve("d/kept/file"));
        age(root);
        Exclusions old = rules(root, List.of(), List.of());
        Exclusions noX = rules(root, List.of("x"), List.of());
        Path x = root.resolve("d/x");
        byte[] xBytes = PathBytes.of(x);
        try (PathIndex index = PathIndex.open(tmp.resolve("index"))) {
            complete(index, root, old);
            Files.createFile(x.resolve("new")); // so the old crawl lists d/x again
            Files.setLastModifiedTime(x, FileTime.fromMillis(HOUR_AGO + 1_000));
            boolean[] updated = {false};
            Crawl superseded = crawl(index, root, old, false, n -> updated[0], n -> false, false, (n, dir) -> {
                if (java.util.Arrays.equals(dir.path(), xBytes)) {
                    // the reload: live updates list under the new rules while the old crawl writes
                    PathIndex.CrawlSession update = index.startUpdate(noX.fingerprint(), false);
                    new Crawler(noX, 1).relist(List.of(root.resolve("d")), update.sink(), new CrawlStats(), () -> false);
                    index.finishUpdate(update);
                    updated[0] = true;
                }
            });
            assertTrue(updated[0], "the old crawl listed d/x");
            assertFalse(superseded.complete());
            Crawl after = complete(index, root, noX);
            assertSamePaths(find(root, List.of("x"), List.of()), Indexed.all(index),
                    "a complete crawl under the new rules; ");
            assertTrue(after.stats().reused() > 0, "unchanged listings are still reused");
        }
    }

    @Test
    void changedCrawlRulesListWhatTheyTouchOnceThenReuseAgain() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("tree"));
        Trees.awkward(root, 500, 40);
        age(root);
        Exclusions a = rules(root, List.of(), List.of());
        Exclusions b = rules(root, List.of("globs"), List.of()); // e.g. a new --exclude-name
        try (PathIndex index = PathIndex.open(tmp.resolve("index"))) {
            complete(index, root, a);
            assertTrue(complete(index, root, a).stats().reused() > 40, "same rules: reused");
            Crawl changed = complete(index, root, b);
            assertEquals(0, changed.stats().reused(), "new rules: every directory listed");
            assertEquals(find(root, List.of("globs"), List.of()), Indexed.all(index));
            assertTrue(complete(index, root, b).stats().reused() > 40, "then reused again");
        }
    }

    @Test
    void aFullCrawlListsEveryDirectoryAgainAndFindsWhatMtimesHide() throws Exception {
        Path root = usr();
        Exclusions none = rules(root, List.of(), List.of());
        try (PathIndex index = PathIndex.open(tmp.resolve("index"))) {
            complete(index, root, none);
            // a file rewritten in place changes no directory's mtime: a normal crawl keeps
            // its old size, as updatedb would
            Files.writeString(root.resolve("share/man/man1/ls.1"), "now longer");
            age(root);
            Crawl normal = complete(index, root, none);
            assertEquals(0, normal.stats().directories(), "every listing reused");
            assertEquals(0, sizeOf(index, root.resolve("share/man/man1/ls.1")));
            Crawl full = crawl(index, root, none, /* full= */ true, n -> false, n -> false, false);
            assertTrue(full.complete());
            assertEquals(0, full.stats().reused(), "nothing reused");
            assertEquals(8, full.stats().directories(), "every directory listed: usr, share, doc, pkg, man, man1, zz, last");
            assertEquals(10, sizeOf(index, root.resolve("share/man/man1/ls.1")));
            assertEquals(8, complete(index, root, none).stats().reused(), "then reused again");
        }
    }

    private static long sizeOf(PathIndex index, Path path) throws IOException {
        byte[] wanted = PathBytes.of(path);
        long[] size = {-1};
        index.search(dev.jfind.server.testing.Filters.substrings(List.of(wanted), false), hit -> {
            if (java.util.Arrays.equals(hit.path(), wanted)) {
                size[0] = hit.size();
            }
            return true;
        });
        return size[0];
    }

    @Test
    void listingsThatRecordNoRulesAreListedAgain() throws Exception {
        Path root = usr();
        Path dir = tmp.resolve("index");
        try (PathIndex index = PathIndex.open(dir)) {
            // the damage the issue saw: listings made with doc excluded...
            complete(index, root, rules(root, List.of("doc"), List.of()));
        }
        // ...and, as an older jfindd wrote them, no record of those rules in any listing
        try (FSDirectory fs = FSDirectory.open(dir);
                IndexWriter writer = new IndexWriter(fs, new IndexWriterConfig()
                        .setOpenMode(IndexWriterConfig.OpenMode.APPEND))) {
            List<BytesRef> listed = new ArrayList<>();
            try (DirectoryReader reader = DirectoryReader.open(writer)) {
                for (LeafReaderContext leaf : reader.leaves()) {
                    Terms terms = leaf.reader().terms(IndexFields.LISTED);
                    if (terms != null) {
                        TermsEnum it = terms.iterator();
                        for (BytesRef t = it.next(); t != null; t = it.next()) {
                            listed.add(BytesRef.deepCopyOf(t));
                        }
                    }
                }
            }
            for (BytesRef d : listed) {
                writer.updateDocValues(new org.apache.lucene.index.Term(IndexFields.LISTED, d),
                        new NumericDocValuesField(IndexFields.LISTED_RULES, (Long) null));
            }
            writer.setLiveCommitData(writer.getLiveCommitData());
            writer.commit();
        }
        try (PathIndex index = PathIndex.open(dir)) {
            Crawl healing = complete(index, root, rules(root, List.of(), List.of()));
            assertEquals(0, healing.stats().reused(), "no listing without its rules is trusted");
            assertEquals(Trees.readable(find(root, List.of(), List.of())), Trees.readable(Indexed.all(index)));
        }
    }

    /**
     * Random rule changes and reverts, stopped crawls, crashes at random commit points, full
     * crawls, live updates, reloads (a live update under the new rules while a crawl under the
     * old ones is cut short) and changes to the tree, for a few fixed seeds: after every
     * complete crawl the index equals {@code find} with the rules in force.
     */
    @Test
    void convergesToFindWhateverRulesStopsAndCrashesCameBefore() throws Exception {
        for (long seed : new long[] {1, 2, 3, 4, 5, 6}) {
            Path base = Files.createDirectories(tmp.resolve("seed-" + seed));
            randomHistory(new Random(seed), base, "seed " + seed);
        }
    }

    private static final List<String> NAMES = List.of("doc", "cache", "src", "lib", "a", "b");

    private static void randomHistory(Random random, Path base, String label) throws Exception {
        Path root = Files.createDirectories(base.resolve("tree"));
        List<Path> dirs = new ArrayList<>(List.of(root));
        for (int i = 0; i < 40; i++) {
            Path parent = dirs.get(random.nextInt(dirs.size()));
            Path d = parent.resolve(NAMES.get(random.nextInt(NAMES.size())));
            if (!Files.exists(d)) {
                dirs.add(Files.createDirectory(d));
            }
            Files.createFile(parent.resolve("f" + i));
        }
        age(root);
        // few rule sets, so that going back to earlier rules is frequent
        List<List<String>> nameSets = List.of(List.of(), List.of("doc"), List.of("doc", "cache"), List.of("b"),
                List.of());
        List<List<Path>> pathSets = List.of(List.of(), List.of(), List.of(root.resolve("lib")),
                List.of(root.resolve("src"), root.resolve("a/src")), List.of(root.resolve("a")));
        Path indexDir = base.resolve("index");
        PathIndex index = PathIndex.open(indexDir);
        StringBuilder history = new StringBuilder();
        int r = 0;
        try {
            for (int step = 0; step < 30; step++) {
                if (random.nextInt(3) == 0) {
                    r = random.nextInt(nameSets.size());
                }
                List<String> names = nameSets.get(r);
                List<Path> paths = pathSets.get(r);
                Exclusions rules = rules(root, names, paths);
                int action = random.nextInt(12);
                int stopAt = random.nextInt(dirs.size() + 1);
                int commitAt = random.nextInt(dirs.size() + 1);
                history.append(step).append(": rules ").append(r);
                if (action <= 2) {
                    history.append(", crawl stopped at ").append(stopAt).append('\n');
                    crawl(index, root, rules, random.nextBoolean(), n -> n >= stopAt, n -> n == commitAt, false);
                } else if (action <= 4) {
                    history.append(", killed at ").append(stopAt).append(" after a commit at ").append(commitAt)
                            .append('\n');
                    crawl(index, root, rules, random.nextBoolean(), n -> n >= stopAt, n -> n == commitAt, true);
                    index = PathIndex.open(indexDir);
                } else if (action == 5) {
                    Path dir = dirs.get(random.nextInt(dirs.size()));
                    boolean subtree = random.nextBoolean();
                    history.append(", live update of ").append(root.relativize(dir)).append(subtree ? " and below" : "")
                            .append('\n');
                    Crawler crawler = new Crawler(rules, 1);
                    if (Files.isDirectory(dir) && !crawler.excludes(root, dir)) {
                        PathIndex.CrawlSession session = index.startUpdate(rules.fingerprint(), subtree);
                        crawler.relist(List.of(dir), session.sink(), new CrawlStats(), () -> false);
                        index.finishUpdate(session);
                    }
                } else if (action >= 10) {
                    // a reload: live updates list under the new rules at once, while the crawl
                    // under the old ones writes one more listing before it sees the stop
                    int next = random.nextInt(nameSets.size());
                    Exclusions newRules = rules(root, nameSets.get(next), pathSets.get(next));
                    int updateAt = 1 + random.nextInt(dirs.size());
                    boolean subtree = random.nextBoolean();
                    boolean crash = random.nextBoolean();
                    history.append(", reload to rules ").append(next).append(" with the old crawl's ").append(updateAt)
                            .append("th directory, its parent updated").append(subtree ? " with its subtree" : "")
                            .append(crash ? ", then killed" : "").append('\n');
                    boolean[] reloaded = {false};
                    Path indexed = root;
                    PathIndex current = index;
                    crawl(index, root, rules, random.nextBoolean(), n -> reloaded[0], n -> n == commitAt, crash,
                            (n, dir) -> {
                                if (reloaded[0] || n < updateAt) {
                                    return;
                                }
                                reloaded[0] = true;
                                Path parent = dir.file().getParent();
                                Crawler crawler = new Crawler(newRules, 1);
                                if (parent != null && parent.startsWith(indexed) && Files.isDirectory(parent)
                                        && !crawler.excludes(indexed, parent)) {
                                    PathIndex.CrawlSession update = current.startUpdate(newRules.fingerprint(), subtree);
                                    crawler.relist(List.of(parent), update.sink(), new CrawlStats(), () -> false);
                                    current.finishUpdate(update);
                                }
                            });
                    if (crash) {
                        index = PathIndex.open(indexDir);
                    }
                    r = next;
                } else if (action == 6) {
                    Path parent = dirs.get(random.nextInt(dirs.size()));
                    Path made = parent.resolve(NAMES.get(random.nextInt(NAMES.size())));
                    history.append(", made ").append(root.relativize(made)).append('\n');
                    if (!Files.exists(made)) {
                        dirs.add(Files.createDirectory(made));
                        Files.createFile(made.resolve("new-" + step));
                    }
                } else {
                    boolean full = action == 7;
                    history.append(full ? ", full crawl\n" : ", crawl\n");
                    Crawl c = crawl(index, root, rules, full, n -> false, n -> false, false);
                    assertTrue(c.complete());
                    assertSamePaths(find(root, names, paths), Indexed.all(index),
                            label + ", step " + step + " of:\n" + history);
                }
            }
            List<String> names = nameSets.get(r);
            List<Path> paths = pathSets.get(r);
            complete(index, root, rules(root, names, paths));
            assertSamePaths(find(root, names, paths), Indexed.all(index), label + ", at the end of:\n" + history);
        } finally {
            index.close();
        }
    }

    /** Fails naming only the paths missing from the index and those it should not hold. */
    private static void assertSamePaths(Set<ByteBuffer> expected, Set<ByteBuffer> indexed, String where) {
        Set<ByteBuffer> missing = new java.util.HashSet<>(expected);
        missing.removeAll(indexed);
        Set<ByteBuffer> extra = new java.util.HashSet<>(indexed);
        extra.removeAll(expected);
        assertTrue(missing.isEmpty() && extra.isEmpty(), () -> "the index differs from find after " + where
                + "missing " + Trees.readable(missing) + "\nnot to be indexed " + Trees.readable(extra));
    }
}
