package dev.jfind.server.index;

import dev.jfind.server.crawl.ListingSink;
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
    private static final String KEY_RULES = "jfind.crawl_rules";
    private static final long REFRESH_MILLIS = 100;
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

    private final PrivateFilesDirectory directory;
    private final IndexWriter writer;
    private final SearcherManager searchers;
    private final ChangeFeed changes = new ChangeFeed();
    private final ScheduledExecutorService maintenance;
    private volatile Instant lastCrawlEnd;
    private volatile Duration lastCrawlDuration;
    private volatile boolean bulkWriting;
    /** The roots the indexed paths were crawled from, as {@link #rootsKey}; null if unknown. */
    private volatile String indexedRoots;
    /** The crawl rules (exclusions) the index was last completely crawled with; null if unknown. */
    private volatile String indexedRules;
    /** The rules the next crawl runs with; listings are reused only if they match the indexed ones. */
    private volatile String currentRules;
    private volatile long lastRefreshNanos = System.nanoTime();

    private PathIndex(PrivateFilesDirectory directory, IndexWriter writer) throws IOException {
        this.directory = directory;
        this.writer = writer;
        this.searchers = new SearcherManager(writer, null);
        readCommitData();
        this.maintenance = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "jfind-index-maintenance");
            t.setDaemon(true);
            return t;
        });
        maintenance.scheduleWithFixedDelay(this::refreshQuietly, REFRESH_MILLIS, REFRESH_MILLIS, TimeUnit.MILLISECONDS);
        maintenance.scheduleWithFixedDelay(this::commitQuietly, COMMIT_MILLIS, COMMIT_MILLIS, TimeUnit.MILLISECONDS);
    }

    /**
     * Opens the index in {@code dir}, creating it if needed (mode 0700: the names in it are
     * private). An index that cannot be read (corrupt, another format) is moved aside and a
     * new one started; the next crawl fills it.
     *
     * @throws IndexLockedException if another process has the index open for writing
     */
    public static PathIndex open(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        PrivateFilesDirectory directory = PrivateFilesDirectory.open(dir);
        IndexWriter writer;
        try {
            writer = openWriter(directory, dir);
        } catch (CorruptIndexException | IndexFormatTooOldException | IndexFormatTooNewException
                | IllegalArgumentException e) {
            directory.close();
            Path aside = dir.resolveSibling(dir.getFileName() + ".unreadable-"
                    + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").format(java.time.LocalDateTime.now()));
            System.err.println("jfindd: the index in " + dir + " cannot be read (" + e.getMessage()
                    + "); moved it to " + aside + " and starting a new one");
            Files.move(dir, aside);
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            directory = PrivateFilesDirectory.open(dir);
            writer = openWriter(directory, dir);
        }
        directory.narrowExisting(); // write.lock, made by the lock factory, not createOutput
        return new PathIndex(directory, writer);
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
            directory.close();
            throw new IndexLockedException(dir, e);
        }
        if (DirectoryReader.indexExists(directory)) {
            String format = commitData(directory).get(KEY_FORMAT);
            if (format != null && !format.equals(IndexFields.FORMAT_VERSION)) {
                System.err.println("jfindd: index format " + format + " is not " + IndexFields.FORMAT_VERSION
                        + "; rebuilding it");
                writer.deleteAll();
            }
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
        indexedRules = data.get(KEY_RULES);
        if (data.containsKey(KEY_CRAWL_END) && IndexFields.FORMAT_VERSION.equals(data.get(KEY_FORMAT))) {
            lastCrawlEnd = Instant.ofEpochMilli(Long.parseLong(data.get(KEY_CRAWL_END)));
            lastCrawlDuration = Duration.ofMillis(Long.parseLong(data.get(KEY_CRAWL_MILLIS)));
        }
    }

    /**
     * Starts writing a crawl. Pass the sink to the crawler, then call {@link #finishCrawl}
     * whether or not the crawl completed.
     */
    public CrawlSession startCrawl() throws IOException {
        searchers.maybeRefreshBlocking();
        IndexSearcher before = searchers.acquire();
        boolean empty = before.getIndexReader().numDocs() == 0;
        bulkWriting = empty;
        boolean sameRules = currentRules == null || currentRules.equals(indexedRules);
        return new CrawlSession(new CrawlWriter(writer, empty ? null : before, /* descendAll= */ true,
                /* reuseUnchanged= */ sameRules, changes), before, empty);
    }

    /**
     * Starts applying live changes: directories re-listed because they changed. Compared
     * with the index as it is now; with {@code wholeSubtrees} every directory below is
     * re-listed too (after lost events), else only directories the index did not know.
     * Call {@link #finishUpdate} when done: it makes the changes searchable at once.
     */
    public CrawlSession startUpdate(boolean wholeSubtrees) throws IOException {
        searchers.maybeRefreshBlocking();
        IndexSearcher now = searchers.acquire();
        return new CrawlSession(new CrawlWriter(writer, now, wholeSubtrees, /* reuseUnchanged= */ false, changes), now, false);
    }

    /** Ends an update: releases its snapshot and refreshes searches to include it. */
    public void finishUpdate(CrawlSession session) throws IOException {
        try {
            searchers.maybeRefreshBlocking();
        } finally {
            searchers.release(session.before);
        }
    }

    /**
     * Ends a crawl: releases its snapshot and, if it went through every directory, records
     * it as the last complete crawl. Commits either way, so what was written survives.
     */
    public void finishCrawl(CrawlSession session, Instant started, boolean complete) throws IOException {
        bulkWriting = false;
        try {
            commit();
            searchers.maybeRefreshBlocking();
            if (complete) {
                indexedRules = currentRules;
                // only now is every path searchable: "ready" must not come sooner
                Instant end = Instant.now();
                lastCrawlDuration = Duration.between(started, end);
                lastCrawlEnd = end;
                commit();
            }
        } finally {
            searchers.release(session.before);
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
        IndexSearcher searcher = searchers.acquire();
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
            Query listings = CandidateQuery.of(filter.narrowing());
            int maxListings = searcher.getIndexReader().maxDoc() / PATHS_PER_CANDIDATE_BLOCK;
            if (listings == null || !IndexedDocs.forEachListed(searcher, listings, maxListings, check)) {
                // too short to narrow, or too many candidates: one pass over every path is cheaper
                IndexedDocs.forEach(searcher, IndexFields.allPaths(), check);
            }
        } finally {
            searchers.release(searcher);
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
    /**
     * Declares the crawl rules (a fingerprint of the exclusions) of the crawls to come. When
     * they differ from those of the last complete crawl, the next crawl lists every directory
     * instead of reusing listings: an entry newly excluded, or no longer excluded, must show.
     */
    public void useCrawlRules(String rules) {
        currentRules = rules;
    }

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
        IndexSearcher searcher = searchers.acquire();
        try {
            paths = searcher.count(IndexFields.allPaths());
        } finally {
            searchers.release(searcher);
        }
        return new IndexFacts(paths, diskBytes(), lastCrawlEnd != null, lastCrawlEnd, lastCrawlDuration);
    }

    /** Makes every change so far visible to searches now (tests, and the end of a crawl). */
    public void refresh() throws IOException {
        searchers.maybeRefreshBlocking();
    }

    /** Writes every change so far to disk, with the crawl record. */
    public synchronized void commit() throws IOException {
        Map<String, String> data = new HashMap<>();
        data.put(KEY_FORMAT, IndexFields.FORMAT_VERSION);
        if (indexedRules != null) {
            data.put(KEY_RULES, indexedRules);
        }
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
        long interval = bulkWriting ? BULK_REFRESH_MILLIS : REFRESH_MILLIS;
        if (System.nanoTime() - lastRefreshNanos < TimeUnit.MILLISECONDS.toNanos(interval)) {
            return;
        }
        try {
            searchers.maybeRefresh();
            lastRefreshNanos = System.nanoTime();
        } catch (IOException | RuntimeException e) {
            System.err.println("jfindd: index refresh failed: " + e);
        }
    }

    private void commitQuietly() {
        try {
            if (writer.hasUncommittedChanges()) {
                commit();
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("jfindd: index commit failed (will retry): " + e);
        }
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
        try {
            commit();
        } finally {
            searchers.close();
            writer.close();
            directory.close();
        }
    }

    /** One crawl's view of the index: the sink to crawl into. */
    public static final class CrawlSession {
        private final CrawlWriter writer;
        private final IndexSearcher before;
        private final boolean intoEmptyIndex;

        private CrawlSession(CrawlWriter writer, IndexSearcher before, boolean intoEmptyIndex) {
            this.writer = writer;
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
                    + writer.changedDirs.sum() + " directories rewritten";
        }
    }
}
