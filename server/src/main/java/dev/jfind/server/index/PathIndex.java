package dev.jfind.server.index;

import dev.jfind.server.concurrent.NamedThreads;
import dev.jfind.server.crawl.ListingSink;
import dev.jfind.server.fs.PathParts;
import dev.jfind.server.match.Budget;
import dev.jfind.server.match.PathFilter;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.lucene.index.CorruptIndexException;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexFormatTooNewException;
import org.apache.lucene.index.IndexFormatTooOldException;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.PrefixQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.LockObtainFailedException;
import org.apache.lucene.util.BytesRef;

/**
 * The path index: the only owner of the Lucene {@link IndexWriter} and
 * {@link SearcherManager}. Crawls write through {@link #startCrawl()}; searches read a
 * point-in-time searcher that a background thread refreshes several times a second and
 * commits to disk every few seconds, so a crash loses little and the next start repairs it
 * with a crawl.
 *
 * <p>Thread-safe.
 */
public final class PathIndex implements Closeable {
    private static final String KEY_FORMAT = "jfind.format";
    private static final String KEY_CRAWL_END = "jfind.last_crawl_end_ms";
    private static final String KEY_CRAWL_MILLIS = "jfind.last_crawl_duration_ms";
    private static final String KEY_ROOTS = "jfind.roots";
    private static final long REFRESH_MILLIS = 100;
    /** The rules of sessions that declare none. */
    private static final String NO_RULES = "";
    /**
     * With more than one candidate block per this many documents, one sequential pass over
     * every path is cheaper than visiting the candidate blocks one by one.
     */
    private static final int PATHS_PER_CANDIDATE_BLOCK = 16;
    private static final long COMMIT_MILLIS = 5_000;
    /**
     * While the first crawl fills an empty index, refresh rarely: each refresh flushes a
     * small segment that must be merged later (1M files: 8.2 s with 10 s, 9.6-10.5 s with 1 s).
     */
    private static final long BULK_REFRESH_MILLIS = 10_000;

    private final Path dir;
    private final PrivateFilesDirectory directory;
    /**
     * Replaced (with {@link #searchers}) when Lucene closes it after a failed write, such as
     * a full disk: the old searcher keeps serving until the new writer works.
     */
    private volatile IndexWriter writer;
    private volatile SearcherManager searchers;
    private final WriteHealth health;
    /**
     * Told when writes work again after failing: changes that could not be applied meanwhile
     * (and, after a new writer replaced a failed one, all that was not committed) must be
     * crawled again.
     */
    private volatile Runnable onRecovered = () -> {};
    private final ChangeFeed changes = new ChangeFeed();
    /** Marks what each crawl sees; a complete crawl removes every listing it did not see. */
    private final ListingSweep sweep = new ListingSweep();
    private final ScheduledExecutorService maintenance;
    private volatile Instant lastCrawlEnd;
    private volatile Duration lastCrawlDuration;
    private volatile boolean bulkWriting;
    /** The roots the indexed paths were crawled from, as {@link #rootsKey}; null if unknown. */
    private volatile String indexedRoots;
    private volatile long lastRefreshNanos = System.nanoTime();

    private PathIndex(Path dir, PrivateFilesDirectory directory, IndexWriter writer) throws IOException {
        this.dir = dir;
        this.health = new WriteHealth(dir);
        this.directory = directory;
        this.writer = writer;
        this.searchers = new SearcherManager(writer, null);
        readCommitData();
        this.maintenance = Executors.newSingleThreadScheduledExecutor(NamedThreads.single("jfind-index-maintenance"));
        maintenance.scheduleWithFixedDelay(this::refreshQuietly, REFRESH_MILLIS, REFRESH_MILLIS, TimeUnit.MILLISECONDS);
        maintenance.scheduleWithFixedDelay(this::commitOrRecover, COMMIT_MILLIS, COMMIT_MILLIS, TimeUnit.MILLISECONDS);
    }

    /**
     * Opens the index in {@code dir}, creating it if needed (mode 0700: the names in it are
     * private). Every file's checksum is verified first; an index that cannot be read
     * (truncated or garbled files, another format) is moved aside, replacing any copy moved
     * aside before, and a new one started: the first crawl fills it.
     *
     * @throws IndexLockedException if another process has the index open for writing
     */
    public static PathIndex open(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        PrivateFilesDirectory directory = PrivateFilesDirectory.open(dir);
        IndexWriter writer = null;
        try {
            writer = openWriter(directory, dir);
            verify(writer);
        } catch (IndexLockedException e) {
            directory.close();
            throw e;
        } catch (IOException | RuntimeException e) {
            if (writer != null) {
                writer.rollback(); // releases the lock; closing would commit the damage
            }
            if (!IndexDamage.isDamage(e)) {
                directory.close();
                throw e;
            }
            Path aside = IndexDamage.moveAside(dir, directory, e);
            System.err.println("jfindd: the index in " + dir + " is damaged (" + WriteHealth.describe(e)
                    + "); moved it to " + aside + " and starting a new one");
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            directory = PrivateFilesDirectory.open(dir);
            writer = openWriter(directory, dir);
        }
        directory.narrowExisting(); // write.lock, made by the lock factory, not createOutput
        return new PathIndex(dir, directory, writer);
    }

    /**
     * Reads every file of the last commit and checks its checksum: a garbled segment would
     * otherwise show only when a search or a merge reaches the damaged bytes.
     */
    private static void verify(IndexWriter writer) throws IOException {
        try (DirectoryReader reader = DirectoryReader.open(writer)) {
            for (org.apache.lucene.index.LeafReaderContext leaf : reader.leaves()) {
                leaf.reader().checkIntegrity();
            }
        }
    }

    private static IndexWriter openWriter(PrivateFilesDirectory directory, Path dir) throws IOException {
        IndexWriterConfig config = new IndexWriterConfig()
                .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND)
                .setRAMBufferSizeMB(64)
                .setCommitOnClose(true);
        IndexWriter writer;
        try {
            writer = new IndexWriter(directory, config);
        } catch (LockObtainFailedException e) {
            throw new IndexLockedException(dir, e);
        }
        try {
            if (DirectoryReader.indexExists(directory)) {
                String format = commitData(directory).get(KEY_FORMAT);
                if (format != null && !format.equals(IndexFields.FORMAT_VERSION)) {
                    System.err.println("jfindd: index format " + format + " is not " + IndexFields.FORMAT_VERSION
                            + "; rebuilding it");
                    writer.deleteAll();
                }
            }
        } catch (IOException | RuntimeException e) {
            writer.rollback(); // the write lock must not outlive a failed open
            throw e;
        }
        return writer;
    }

    private static Map<String, String> commitData(PrivateFilesDirectory directory) throws IOException {
        try (DirectoryReader reader = DirectoryReader.open(directory)) {
            return reader.getIndexCommit().getUserData();
        }
    }

    private void readCommitData() throws IOException {
        if (!DirectoryReader.indexExists(directory)) {
            return;
        }
        Map<String, String> data = commitData(directory);
        indexedRoots = data.get(KEY_ROOTS);
        if (data.containsKey(KEY_CRAWL_END) && IndexFields.FORMAT_VERSION.equals(data.get(KEY_FORMAT))) {
            lastCrawlEnd = Instant.ofEpochMilli(Long.parseLong(data.get(KEY_CRAWL_END)));
            lastCrawlDuration = Duration.ofMillis(Long.parseLong(data.get(KEY_CRAWL_MILLIS)));
        }
    }

    /** {@link #startCrawl(String, boolean)} for crawls that declare no rules (tests of the index alone). */
    public CrawlSession startCrawl() throws IOException {
        return startCrawl(NO_RULES, /* full= */ false);
    }

    /**
     * Starts writing a crawl. Pass the sink to the crawler, then call {@link #finishCrawl}
     * whether or not the crawl completed.
     *
     * @param rules the fingerprint of the crawler's rules (exclusions): every listing written
     *     records it, and only listings made under the same rules are reused, so that a crawl
     *     stopped or killed under other rules can never pass for one under these
     * @param full list every directory again, reusing nothing
     */
    public CrawlSession startCrawl(String rules, boolean full) throws IOException {
        IndexWriter w = writer;
        SearcherManager s = searchers;
        s.maybeRefreshBlocking();
        IndexSearcher before = s.acquire();
        boolean empty = before.getIndexReader().numDocs() == 0;
        bulkWriting = empty;
        long stamp = IndexFields.rulesStamp(rules);
        return new CrawlSession(new CrawlWriter(w, health, empty ? null : before,
                full ? CrawlWriter.Mode.FULL_CRAWL : CrawlWriter.Mode.CRAWL, stamp, changes, sweep),
                w, s, before, empty, sweep.begin(stamp));
    }

    /**
     * Starts applying live changes: directories re-listed because they changed. Compared
     * with the index as it is now; with {@code wholeSubtrees} every directory below is
     * re-listed too (after lost events), else only directories the index did not know.
     * Call {@link #finishUpdate} when done: it makes the changes searchable at once.
     */
    public CrawlSession startUpdate(boolean wholeSubtrees) throws IOException {
        return startUpdate(NO_RULES, wholeSubtrees);
    }

    /**
     * {@link #startUpdate(boolean)} listing under the rules of {@code rules} (a fingerprint,
     * as for {@link #startCrawl(String, boolean)}), which the listings written record.
     */
    public CrawlSession startUpdate(String rules, boolean wholeSubtrees) throws IOException {
        IndexWriter w = writer;
        SearcherManager s = searchers;
        s.maybeRefreshBlocking();
        IndexSearcher now = s.acquire();
        return new CrawlSession(new CrawlWriter(w, health, now,
                wholeSubtrees ? CrawlWriter.Mode.UPDATE_SUBTREES : CrawlWriter.Mode.UPDATE,
                IndexFields.rulesStamp(rules), changes, sweep), w, s, now, false, null);
    }

    /** Ends an update: releases its snapshot and refreshes searches to include it. */
    public void finishUpdate(CrawlSession session) throws IOException {
        try {
            session.searchers.maybeRefreshBlocking();
        } catch (IOException | RuntimeException e) {
            health.failed(e);
            throw e;
        } finally {
            session.searchers.release(session.before);
        }
    }

    /**
     * Whether the index can take changes now. False after Lucene closed the writer on a
     * failed write (a full disk, say): crawls should stop early until it is reopened.
     */
    public boolean writable() {
        return writer.isOpen();
    }

    /** Why the index cannot be written now, or null when it can. */
    public WriteFailure writeFailure() {
        return health.failure();
    }

    /** Sets what to do when writes work again after failing (the daemon crawls at once). */
    public void onRecovered(Runnable action) {
        onRecovered = action;
    }

    /**
     * Ends a crawl: releases its snapshot and, if it went through every directory, removes
     * every listing it did not see (mark and sweep: whatever left them, nothing that crawl
     * found names them) and records it as the last complete crawl. Commits either way, so
     * what was written survives.
     */
    public void finishCrawl(CrawlSession session, Instant started, boolean complete) throws IOException {
        bulkWriting = false;
        try {
            if (session.indexWriter != writer || !session.indexWriter.isOpen()) {
                return; // the writer failed under the crawl: what it wrote is gone, it is crawled again
            }
            try {
                if (complete) {
                    session.swept = sweep.sweep(session.marks, session.indexWriter, session.searchers, changes);
                }
                session.searchers.maybeRefreshBlocking();
            } catch (IOException | RuntimeException e) {
                health.failed(e);
                throw e;
            }
            if (complete) {
                // only now is every path searchable: "ready" must not come sooner
                Instant end = Instant.now();
                lastCrawlDuration = Duration.between(started, end);
                lastCrawlEnd = end;
            }
            // searchable now even if this fails (disk full): the periodic commit retries
            commit();
        } finally {
            sweep.end(session.marks);
            session.searchers.release(session.before);
        }
    }

    /** {@link #search(PathFilter, Budget, HitConsumer)} without a time budget. */
    public void search(PathFilter filter, HitConsumer consumer) throws IOException {
        search(filter, Budget.unlimited(), consumer);
    }

    /**
     * Runs {@code filter} over the index, feeding matches to {@code consumer} until it says
     * stop. Reads only the directories the filter's narrowing allows, unless that is most
     * of the index. Throws {@link Budget.Exceeded} when the work outlasts {@code budget}.
     */
    public void search(PathFilter filter, Budget budget, HitConsumer consumer) throws IOException {
        SearcherManager current = searchers;
        IndexSearcher searcher = current.acquire();
        try {
            IndexedCandidate candidate = new IndexedCandidate();
            candidate.budget(budget);
            IndexedDocs.Visitor check = doc -> {
                budget.check();
                if (!candidate.on(doc) || !filter.test(candidate)) {
                    return true;
                }
                return consumer.accept(new Hit(candidate.path(), candidate.type(), candidate.size(),
                        candidate.mtimeMillis()));
            };
            Query listings = CandidateQuery.of(filter.narrowing(), searcher.getIndexReader());
            int maxListings = searcher.getIndexReader().maxDoc() / PATHS_PER_CANDIDATE_BLOCK;
            if (listings == null || !IndexedDocs.forEachListed(searcher, listings, maxListings, check)) {
                // too short to narrow, or too many candidates: one pass over every path is cheaper
                IndexedDocs.forEach(searcher, IndexFields.allPaths(), check);
            }
        } finally {
            current.release(searcher);
        }
    }

    /** Where live queries learn of each path the index takes in or drops. */
    public ChangeFeed changes() {
        return changes;
    }

    /** Whether a full crawl has ever completed into this index (cheap: no I/O). */
    public boolean firstCrawlComplete() {
        return lastCrawlEnd != null;
    }

    /**
     * Deletes every path that is neither one of {@code roots} nor below one: what an earlier
     * run indexed under roots it no longer has. A no-op when the roots are unchanged.
     */
    public synchronized void retainOnlyRoots(List<byte[]> roots) throws IOException {
        String key = rootsKey(roots);
        if (key.equals(indexedRoots)) {
            return;
        }
        BooleanQuery.Builder outside = new BooleanQuery.Builder().add(new MatchAllDocsQuery(), BooleanClause.Occur.MUST);
        for (byte[] root : roots) {
            byte[] prefix = PathParts.below(root);
            // documents below a root carry a parent within it; a root's own carry its key
            outside.add(new TermQuery(IndexFields.parentTerm(root)), BooleanClause.Occur.MUST_NOT);
            outside.add(new PrefixQuery(new Term(IndexFields.PARENT, new BytesRef(prefix))), BooleanClause.Occur.MUST_NOT);
            outside.add(new TermQuery(IndexFields.rootTerm(root)), BooleanClause.Occur.MUST_NOT);
        }
        writer.deleteDocuments(outside.build());
        indexedRoots = key;
        commit();
    }

    private static String rootsKey(List<byte[]> roots) {
        return roots.stream().map(r -> java.util.Base64.getEncoder().encodeToString(r)).sorted()
                .collect(java.util.stream.Collectors.joining(","));
    }

    public IndexFacts facts() throws IOException {
        long paths;
        SearcherManager current = searchers;
        IndexSearcher searcher = current.acquire();
        try {
            paths = searcher.count(IndexFields.allPaths());
        } finally {
            current.release(searcher);
        }
        return new IndexFacts(paths, diskBytes(), lastCrawlEnd != null, lastCrawlEnd, lastCrawlDuration,
                health.failure());
    }

    /** Makes every change so far visible to searches now (tests, and the end of a crawl). */
    public void refresh() throws IOException {
        searchers.maybeRefreshBlocking();
    }

    /**
     * Writes every change so far to disk, with the crawl record. A failure is recorded for
     * status (and retried by the periodic commit) before it is thrown.
     */
    public synchronized void commit() throws IOException {
        try {
            commitNow();
        } catch (IOException | RuntimeException e) {
            health.failed(e);
            throw e;
        }
        if (health.succeeded()) {
            onRecovered.run();
        }
    }

    private void commitNow() throws IOException {
        Map<String, String> data = new HashMap<>();
        data.put(KEY_FORMAT, IndexFields.FORMAT_VERSION);
        if (indexedRoots != null) {
            data.put(KEY_ROOTS, indexedRoots);
        }
        if (lastCrawlEnd != null) {
            data.put(KEY_CRAWL_END, Long.toString(lastCrawlEnd.toEpochMilli()));
            data.put(KEY_CRAWL_MILLIS, Long.toString(lastCrawlDuration.toMillis()));
        }
        writer.setLiveCommitData(data.entrySet());
        writer.commit();
    }

    private long diskBytes() throws IOException {
        long total = 0;
        for (String file : directory.listAll()) {
            try {
                total += directory.fileLength(file);
            } catch (NoSuchFileException e) {
                // merged away while we looked
            }
        }
        return total;
    }

    private void refreshQuietly() {
        if (health.failure() != null || !writer.isOpen()) {
            return; // searches keep the last good view; commitOrRecover tries again
        }
        long interval = bulkWriting ? BULK_REFRESH_MILLIS : REFRESH_MILLIS;
        if (System.nanoTime() - lastRefreshNanos < TimeUnit.MILLISECONDS.toNanos(interval)) {
            return;
        }
        try {
            searchers.maybeRefresh();
            lastRefreshNanos = System.nanoTime();
        } catch (IOException | RuntimeException e) {
            health.failed(e);
        }
    }

    /**
     * Commits what changed; after a failure, only when the backoff allows, and first opens
     * a new writer if Lucene closed the old one. Runs on the maintenance thread.
     */
    private void commitOrRecover() {
        if (!health.attemptDue()) {
            return;
        }
        try {
            if (!writer.isOpen()) {
                if (health.failure() == null) { // it failed under a crawl or an update, not a commit
                    health.failed(writer.getTragicException());
                }
                reopen();
                // The failure stays (and the backoff grows) until a commit of real changes
                // works: a new writer on a still-full disk commits nothing and proves nothing.
                onRecovered.run();
                return;
            }
            if (writer.hasUncommittedChanges() || health.failure() != null) {
                commit();
                searchers.maybeRefresh();
            }
        } catch (IOException | RuntimeException e) {
            health.failed(e);
        }
    }

    /**
     * Replaces a writer that Lucene closed after a failed write with one on the last
     * commit. Searches move to the new writer's view (the last commit); a search still
     * running on the old view finishes on it.
     */
    private synchronized void reopen() throws IOException {
        Throwable why = writer.getTragicException();
        IndexWriter fresh = openWriter(directory, dir);
        SearcherManager old = searchers;
        searchers = new SearcherManager(fresh, null);
        writer = fresh;
        old.close();
        lastCrawlEnd = null;
        lastCrawlDuration = null;
        readCommitData();
        System.err.println("jfindd: reopened the index after a failed write (" + (why == null ? "unknown"
                : WriteHealth.describe(why)) + "); what was not committed will be crawled again");
    }

    /**
     * Closes as a kill -9 would leave the index: what was not committed is lost. For tests
     * of what a restart after a crash finds; the caller must have stopped every session.
     */
    void abandon() throws IOException {
        maintenance.shutdown();
        try {
            maintenance.awaitTermination(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            searchers.close();
        } finally {
            writer.rollback();
            directory.close();
        }
    }

    /**
     * Lets the index's files settle: waits for running merges, commits, and moves searches to
     * the newest view, so that no merge and no release of an old reader frees or takes disk
     * space afterwards until the next write. For tests that fill the disk under the index:
     * space freed behind their back would let writes succeed that they expect to fail.
     */
    synchronized void settle() throws IOException {
        commit(); // a commit may start merges: wait for them, then commit what they made
        if (writer.getConfig().getMergeScheduler() instanceof org.apache.lucene.index.ConcurrentMergeScheduler merges) {
            merges.sync();
        }
        commit();
        searchers.maybeRefreshBlocking();
    }

    /** Commits and closes. */
    @Override
    public void close() throws IOException {
        // Never interrupt a thread that may be writing: an interrupt closes Lucene's file
        // channels under it and invalidates the index lock. Let a running commit finish.
        maintenance.shutdown();
        try {
            maintenance.awaitTermination(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        IndexWriter w = writer;
        boolean committed = false;
        try {
            if (w.isOpen()) {
                commit();
                committed = true;
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("jfindd: could not commit the index on the way out (" + WriteHealth.describe(e)
                    + "); the next start serves the last commit and crawls the rest");
        } finally {
            searchers.close();
            if (committed) {
                w.close();
            } else {
                w.rollback(); // closing would try to commit again
            }
            directory.close();
        }
    }

    /** One crawl's view of the index: the sink to crawl into. */
    public static final class CrawlSession {
        private final CrawlWriter writer;
        /** The Lucene writer and searchers this session uses: they may be replaced meanwhile. */
        private final IndexWriter indexWriter;
        private final SearcherManager searchers;
        private final IndexSearcher before;
        private final boolean intoEmptyIndex;
        /** What a crawl has seen so far; null for an update. */
        private final ListingSweep.Marks marks;
        /** Directories whose listings the crawl's sweep removed. */
        private volatile int swept;

        private CrawlSession(CrawlWriter writer, IndexWriter indexWriter, SearcherManager searchers,
                IndexSearcher before, boolean intoEmptyIndex, ListingSweep.Marks marks) {
            this.marks = marks;
            this.writer = writer;
            this.indexWriter = indexWriter;
            this.searchers = searchers;
            this.before = before;
            this.intoEmptyIndex = intoEmptyIndex;
        }

        /** Whether this crawl fills an empty index (entries are added without comparing). */
        public boolean intoEmptyIndex() {
            return intoEmptyIndex;
        }

        public ListingSink sink() {
            return writer;
        }

        /** Paths added, updated and deleted so far, for the log. */
        public String summary() {
            return writer.added.sum() + " added, " + writer.deleted.sum() + " deleted, "
                    + writer.changedDirs.sum() + " directories rewritten"
                    + (swept > 0 ? ", " + swept + " directories no longer reached removed" : "");
        }
    }
}
