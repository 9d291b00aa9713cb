package dev.jfind.server.index;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;

/**
 * Mark and sweep of listings: a complete crawl removes every directory listing (with the
 * paths it holds) that it did not see, so a listing nothing above names any more goes,
 * whatever left it there (a crawl under superseded rules that wrote a directory after a live
 * update under the new rules had dropped it, an earlier version's bug, a crash). While a
 * crawl runs, each directory it reaches (reused or listed) is marked, and so is each
 * directory any other session lists under the same rules meanwhile (a live update of a
 * directory made after the crawl passed its parent): what is being kept current is never
 * swept. A session under other rules marks nothing: it is what the sweep is for.
 *
 * <p>Thread-safe. Sessions mark and write a listing under {@link #writing()}; the sweep's
 * deletions hold the exclusive side, so no listing is marked between the sweep's last look
 * at the marks and its delete.
 */
final class ListingSweep {
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final CopyOnWriteArrayList<Marks> running = new CopyOnWriteArrayList<>();
    /**
     * Sweeps that deleted something: a session whose snapshot is older than one must not
     * take a listing in it as still indexed.
     */
    private final AtomicLong deletingSweeps = new AtomicLong();

    /** The directories one crawl has seen, under its rules. */
    static final class Marks {
        final long rules;
        final VisitedDirs seen = new VisitedDirs();

        private Marks(long rules) {
            this.rules = rules;
        }
    }

    /** Starts marking for a crawl under {@code rules}; call {@link #end} when it finishes. */
    Marks begin(long rules) {
        Marks marks = new Marks(rules);
        running.add(marks);
        return marks;
    }

    void end(Marks marks) {
        running.remove(marks);
    }

    /**
     * Held (shared) by a session from marking a directory to writing its listing: the sweep
     * cannot delete in between.
     */
    Lock writing() {
        return lock.readLock();
    }

    /** {@code dir} was reached under {@code rules}: every running crawl under them has seen it. */
    void seen(byte[] dir, long rules) {
        for (Marks m : running) {
            if (m.rules == rules) {
                m.seen.add(dir);
            }
        }
    }

    /** How many sweeps have deleted anything so far. */
    long deletingSweeps() {
        return deletingSweeps.get();
    }

    /**
     * Deletes the listings and paths of every directory {@code marks} did not see. Call when
     * the crawl that marked completed; cheap when nothing is to go: one pass over the index's
     * listed directories (a term dictionary walk) and a hash probe each.
     *
     * @return how many directories' listings were deleted
     */
    int sweep(Marks marks, IndexWriter writer, SearcherManager searchers, ChangeFeed feed) throws IOException {
        searchers.maybeRefreshBlocking();
        List<BytesRef> unseen = unseen(marks, searchers);
        if (unseen.isEmpty()) {
            return 0;
        }
        Lock exclusive = lock.writeLock();
        exclusive.lock();
        try {
            deletingSweeps.incrementAndGet();
            searchers.maybeRefreshBlocking(); // what live queries are told goes must be what is there now
            IndexSearcher now = searchers.acquire();
            try {
                int deleted = 0;
                for (BytesRef dir : unseen) {
                    if (marks.seen.contains(dir.bytes, dir.offset, dir.length)) {
                        continue; // listed by a live update since the look above
                    }
                    TermQuery paths = new TermQuery(IndexFields.parentTerm(BytesRef.deepCopyOf(dir).bytes));
                    if (feed.active()) {
                        IndexedDocs.forEach(now, paths, doc -> {
                            byte[] path = doc.path();
                            if (path != null) {
                                feed.publish(PathChange.removed(path, doc.type(), doc.size(), doc.mtimeMillis()));
                            }
                            return true;
                        });
                    }
                    writer.deleteDocuments(paths);
                    deleted++;
                }
                return deleted;
            } finally {
                searchers.release(now);
            }
        } finally {
            exclusive.unlock();
        }
    }

    /** The directories with a live listing that {@code marks} did not see. */
    private static List<BytesRef> unseen(Marks marks, SearcherManager searchers) throws IOException {
        Set<BytesRef> unseen = new LinkedHashSet<>();
        IndexSearcher searcher = searchers.acquire();
        try {
            PostingsEnum postings = null;
            for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
                Terms terms = leaf.reader().terms(IndexFields.LISTED);
                if (terms == null) {
                    continue;
                }
                Bits live = leaf.reader().getLiveDocs();
                TermsEnum it = terms.iterator();
                for (BytesRef dir = it.next(); dir != null; dir = it.next()) {
                    if (marks.seen.contains(dir.bytes, dir.offset, dir.length)) {
                        continue;
                    }
                    postings = it.postings(postings, PostingsEnum.NONE);
                    for (int doc = postings.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = postings.nextDoc()) {
                        if (live == null || live.get(doc)) {
                            unseen.add(BytesRef.deepCopyOf(dir));
                            break;
                        }
                    }
                }
            }
        } finally {
            searchers.release(searcher);
        }
        return new ArrayList<>(unseen);
    }
}
