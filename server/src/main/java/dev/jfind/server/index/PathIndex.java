package dev.jfind.server.index;

import dev.jfind.server.crawl.ListingSink;
import dev.jfind.server.match.Budget;
import dev.jfind.server.match.PathFilter;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.SearcherManager;

/**
 * The path index: the only owner of the Lucene {@link IndexWriter} and
 * {@link SearcherManager}. Crawls write through {@link #startCrawl()}; searches read a
 * point-in-time searcher that a background thread refreshes several times a second and
 * commits to disk every few seconds, so a crash loses little and the next start repairs it
 * with a crawl.
 *
 * <p>This class holds the writer and the searchers, hands out sessions and decides what a
 * failed write means; the rest is done beside it, by job: {@link IndexOpening} (files,
 * format, damage), {@link CommitData} (what a commit records), {@link CrawlWriter} and
 * {@link ListingSweep} (what crawls and updates write), {@link IndexSearch} (one search over
 * a searcher acquired here), {@link Upkeep} (when to refresh and commit), {@link WriteHealth}
 * (failed writes and their retries).
 *
 * <p>Thread-safe.
 */
public final class PathIndex implements Closeable {
    /** The rules of sessions that declare none. */
    private static final String NO_RULES = "";

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
    private volatile Instant lastCrawlEnd;
    private volatile Duration lastCrawlDuration;
    /** The roots the indexed paths were crawled from, as {@link CommitData#rootsKey}; null if unknown. */
    private volatile String indexedRoots;
    /** Refreshes and commits in the background; started last, once the index is whole. */
    private final Upkeep upkeep;

    private PathIndex(Path dir, PrivateFilesDirectory directory, IndexWriter writer) throws IOException {
        this.dir = dir;
        this.health = new WriteHealth(dir);
        this.directory = directory;
        this.writer = writer;
        this.searchers = new SearcherManager(writer, null);
        readCommitData();
        this.upkeep = new Upkeep(this::refreshQuietly, this::commitOrRecover);
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
        IndexOpening.Opened opened = IndexOpening.open(dir);
        return new PathIndex(dir, opened.directory(), opened.writer());
    }

    private void readCommitData() throws IOException {
        CommitData.Recorded recorded = CommitData.read(directory);
        indexedRoots = recorded.roots();
        if (recorded.lastCrawlEnd() != null) {
            lastCrawlEnd = recorded.lastCrawlEnd();
            lastCrawlDuration = recorded.lastCrawlDuration();
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
        upkeep.bulkWriting(empty);
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
        upkeep.bulkWriting(false);
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
            IndexSearch.run(searcher, filter, budget, consumer);
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
        String key = CommitData.rootsKey(roots);
        if (key.equals(indexedRoots)) {
            return;
        }
        writer.deleteDocuments(IndexFields.outsideRoots(roots));
        indexedRoots = key;
        commit();
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
        writer.setLiveCommitData(CommitData.of(indexedRoots, lastCrawlEnd, lastCrawlDuration).entrySet());
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

    /** Refreshes searches unless writes are failing; whether it did. Runs on the upkeep thread. */
    private boolean refreshQuietly() {
        if (health.failure() != null || !writer.isOpen()) {
            return false; // searches keep the last good view; commitOrRecover tries again
        }
        try {
            searchers.maybeRefresh();
            return true;
        } catch (IOException | RuntimeException e) {
            health.failed(e);
            return false;
        }
    }

    /**
     * Commits what changed; after a failure, only when the backoff allows, and first opens
     * a new writer if Lucene closed the old one. Runs on the upkeep thread.
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
        IndexWriter fresh = IndexOpening.openWriter(directory, dir);
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
        upkeep.stop();
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
        upkeep.stop(); // lets a running commit finish
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
