package dev.jfind.server.index;

import dev.jfind.server.crawl.Entry;
import dev.jfind.server.crawl.EntryType;
import dev.jfind.server.crawl.ListingSink;
import dev.jfind.server.fs.PathBytes;
import dev.jfind.server.fs.PathParts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.PrefixQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.util.BytesRef;

/**
 * Applies one crawl to the index, directory by directory. Each listing is compared with what
 * the index held when the crawl began; a directory whose entries all look the same (name,
 * type, size, mtime) costs reads only, and one that changed has its children's documents and
 * listing documents replaced together, atomically. So old answers stay searchable until
 * their directory is re-listed, and deleted files disappear. On an empty index every
 * listing is simply added. Every listing records the crawl rules it was made under, and a
 * crawl reuses only listings made under its own rules: a crawl stopped (or killed) under other
 * rules leaves listings that say so, whatever the commit data says.
 *
 * <p>Thread-safe: crawl workers call it concurrently for distinct directories.
 */
final class CrawlWriter implements ListingSink {
    private final IndexWriter writer;
    /** Told of every failed write, so status shows it and the index retries. */
    private final WriteHealth health;
    /** The index as it was when the crawl began; null when it was empty. */
    private final IndexSearcher before;
    /** What this session is: it decides which directories are entered and which listings reused. */
    private final Mode mode;
    /**
     * The stamp of the rules this session lists under ({@link IndexFields#rulesStamp}): every
     * listing it writes carries it, and only a listing that carries it may be reused.
     */
    private final long rules;
    /**
     * A listing is reused only if it was taken at least this long after the directory's
     * mtime: on file systems with coarse timestamps, a change in the same tick as an earlier
     * one leaves the mtime as it was.
     */
    static final long REUSE_SAFETY_MILLIS = 2_000;
    final LongAdder added = new LongAdder();
    final LongAdder deleted = new LongAdder();
    final LongAdder changedDirs = new LongAdder();

    /** Finds a directory's listing documents in {@code before}. */
    private final IndexedDocs.TermLookup listings;
    /** Finds a directory's children (and listings) in {@code before}. */
    private final IndexedDocs.TermLookup childLookup;
    /** Live queries to tell of each change. */
    private final ChangeFeed feed;
    /** Where every directory this session reaches is marked as seen, for the end-of-crawl sweep. */
    private final ListingSweep sweep;
    /**
     * {@link ListingSweep#deletingSweeps()} when {@link #before} was taken: if a sweep has
     * deleted listings since, a listing in the snapshot may be gone from the index.
     */
    private final long sweepsAtStart;

    /** The kinds of session. */
    enum Mode {
        /** A periodic crawl: enters every directory, reuses unchanged listings made under its rules. */
        CRAWL(true, true),
        /** A crawl that lists every directory again (the user's escape hatch, admin crawl --full). */
        FULL_CRAWL(true, false),
        /** Live changes: enters only the directories the index did not know. */
        UPDATE(false, false),
        /** Live changes after lost events: enters every directory below, lists each again. */
        UPDATE_SUBTREES(true, false);

        /** Enter every child directory, or only those the index did not have. */
        final boolean descendAll;
        /** Reuse the listing of a directory whose mtime has not changed. */
        final boolean reuseUnchanged;

        Mode(boolean descendAll, boolean reuseUnchanged) {
            this.descendAll = descendAll;
            this.reuseUnchanged = reuseUnchanged;
        }

        /** Crawls rewrite a listing the next crawl could not reuse, even when its entries are the same. */
        boolean keepsListingsReusable() {
            return this == CRAWL || this == FULL_CRAWL;
        }
    }

    CrawlWriter(IndexWriter writer, WriteHealth health, IndexSearcher before, Mode mode, long rules, ChangeFeed feed,
            ListingSweep sweep) {
        this.writer = writer;
        this.sweep = sweep;
        this.sweepsAtStart = sweep.deletingSweeps();
        this.health = health;
        this.feed = feed;
        this.listings = before == null ? null : new IndexedDocs.TermLookup(before, IndexFields.LISTED);
        this.childLookup = before == null ? null : new IndexedDocs.TermLookup(before, IndexFields.PARENT);
        this.before = before;
        this.mode = mode;
        this.rules = rules;
    }

    /**
     * Reads only the directory's listing documents (one per 64 children, found by their own
     * term): their recorded mtime and rules say whether the listing is still good, and their
     * list of child directories says where the crawl goes on. No child document is read.
     */
    @Override
    public List<Entry> reuse(Entry dir) {
        if (before == null || !mode.reuseUnchanged) {
            return null;
        }
        try {
            boolean[] good = {false, true};
            List<Entry> subdirs = new ArrayList<>();
            IndexedDocs.forEachWithTerm(listings, dir.path(), doc -> {
                good[0] = true; // there is a listing
                long listedMtime = doc.listedMtime();
                if (listedMtime != dir.mtimeMillis() || doc.listedAt() - listedMtime < REUSE_SAFETY_MILLIS
                        || !doc.listedUnder(rules)) {
                    good[1] = false;
                    return false;
                }
                BytesRef names = doc.subdirs();
                if (names != null) {
                    int start = names.offset;
                    int end = names.offset + names.length;
                    for (int i = start; i <= end; i++) {
                        if (i == end || names.bytes[i] == '/') {
                            byte[] path = PathParts.join(dir.path(), dir.path().length, names.bytes, start, i - start);
                            subdirs.add(Entry.indexedDirectory(path,
                                    PathBytes.child(dir.file(), names.bytes, start, i - start, path)));
                            start = i + 1;
                        }
                    }
                }
                return true;
            });
            if (good[0] && good[1]) {
                sweep.seen(dir.path(), rules);
                return subdirs;
            }
            return null;
        } catch (IOException e) {
            throw failed(e);
        }
    }

    @Override
    public void root(Entry root) {
        try {
            writer.updateDocuments(IndexFields.rootTerm(root.path()), IndexFields.rootDocuments(root));
        } catch (IOException e) {
            throw failed(e);
        }
    }

    /**
     * When the current worker thread entered the directory it is about to list: the crawl
     * calls entering() and then listed() for one directory on one thread. The listing time
     * recorded for reuse must be from before the listing started, or a change during a long
     * listing could hide behind a later timestamp.
     */
    private final ThreadLocal<long[]> enteredAt = ThreadLocal.withInitial(() -> new long[1]);

    @Override
    public void entering(Entry dir) {
        enteredAt.get()[0] = System.currentTimeMillis();
    }

    private long listingStarted() {
        long at = enteredAt.get()[0];
        return at > 0 ? at : System.currentTimeMillis();
    }

    @Override
    public void rootMissing(byte[] root) {
        try {
            if (feed.active() && before != null) {
                IndexedDocs.forEach(before, new TermQuery(IndexFields.rootTerm(root)), doc -> {
                    byte[] path = doc.path();
                    if (path != null) {
                        feed.publish(PathChange.removed(path, doc.type(), doc.size(), doc.mtimeMillis()));
                    }
                    return true;
                });
            }
            writer.deleteDocuments(IndexFields.rootTerm(root));
            deleteBelow(root);
        } catch (IOException e) {
            throw failed(e);
        }
    }

    @Override
    public List<Entry> listed(Entry dir, List<Entry> children) {
        // marked and written as one step for the sweep: it never deletes a listing in between
        java.util.concurrent.locks.Lock writing = sweep.writing();
        writing.lock();
        try {
            sweep.seen(dir.path(), rules);
            return write(dir, children);
        } finally {
            writing.unlock();
        }
    }

    private List<Entry> write(Entry dir, List<Entry> children) {
        try {
            if (before == null) {
                if (feed.active()) {
                    children.forEach(c -> feed.publish(PathChange.added(c.path(), c.type(), c.size(), c.mtimeMillis())));
                }
                writer.addDocuments(IndexFields.directoryDocuments(dir, children, listingStarted(), rules));
                added.add(children.size());
                dropIfGone(dir);
                return ListingSink.directories(children);
            }
            IndexedListing indexed = indexedListing(dir.path());
            Map<ByteBuffer, Indexed> old = indexed.children;
            boolean same = old.size() == children.size();
            List<Entry> newDirs = new ArrayList<>();
            for (Entry child : children) {
                Indexed was = old.remove(ByteBuffer.wrap(PathParts.nameOf(child.path())));
                if (child.isDirectory() && (was == null || !was.isDirectory() || was.mtime() != child.mtimeMillis())) {
                    // new, or changed since listed (also a directory deleted and made anew)
                    newDirs.add(child);
                }
                if (was == null) {
                    same = false;
                    added.increment();
                    if (feed.active()) {
                        feed.publish(PathChange.added(child.path(), child.type(), child.size(), child.mtimeMillis()));
                    }
                } else if (!was.sameAs(child)) {
                    same = false;
                    if (feed.active()) {
                        feed.publish(new PathChange(PathChange.Kind.UPDATED, child.path(), child.type(), child.size(),
                                child.mtimeMillis(), PathChange.removed(child.path(), was.type(), was.size(), was.mtime())));
                    }
                    if (was.isDirectory() && !child.isDirectory()) {
                        deleteBelow(child.path()); // a directory replaced by a file
                    }
                }
            }
            List<Entry> enter = mode.descendAll ? ListingSink.directories(children) : newDirs;
            if (same && !indexed.isStaleFor(dir) && sweep.deletingSweeps() == sweepsAtStart) {
                return enter;
            }
            for (Indexed gone : old.values()) {
                deleted.increment();
                if (feed.active()) {
                    feed.publish(PathChange.removed(PathParts.join(dir.path(), gone.name()), gone.type(), gone.size(),
                            gone.mtime()));
                }
                if (gone.isDirectory()) {
                    deleteBelow(PathParts.join(dir.path(), gone.name()));
                }
            }
            changedDirs.increment();
            Term parent = IndexFields.parentTerm(dir.path());
            writer.updateDocuments(parent, IndexFields.directoryDocuments(dir, children, listingStarted(), rules));
            dropIfGone(dir);
            return enter;
        } catch (IOException e) {
            throw failed(e);
        }
    }

    @Override
    public void notListed(Entry dir) {
        if (before == null) {
            return;
        }
        try {
            boolean[] any = {false};
            IndexedDocs.forEachWithTerm(childLookup, dir.path(), doc -> {
                any[0] = true;
                return false;
            });
            if (any[0]) {
                deleteBelow(dir.path());
            }
        } catch (IOException e) {
            throw failed(e);
        }
    }

    /**
     * A directory removed (or replaced) while it was being listed: its parent's update may
     * already have deleted its subtree, before this block was written. Drop it again.
     */
    private void dropIfGone(Entry dir) throws IOException {
        Object now;
        try {
            now = java.nio.file.Files.readAttributes(dir.file(), java.nio.file.attribute.BasicFileAttributes.class,
                    java.nio.file.LinkOption.NOFOLLOW_LINKS).fileKey();
        } catch (IOException e) {
            now = null;
        }
        if (now == null || (dir.fileKey() != null && !dir.fileKey().equals(now))) {
            deleteBelow(dir.path());
        }
    }

    /** Deletes every path and listing document below {@code dir} (not {@code dir}'s own path). */
    private void deleteBelow(byte[] dir) throws IOException {
        byte[] prefix = PathParts.below(dir);
        TermQuery children = new TermQuery(IndexFields.parentTerm(dir));
        PrefixQuery deeper = new PrefixQuery(new Term(IndexFields.PARENT, new BytesRef(prefix)));
        if (feed.active() && before != null) {
            // tell live queries of every path that goes: read them before they are deleted
            org.apache.lucene.search.BooleanQuery.Builder below = new org.apache.lucene.search.BooleanQuery.Builder();
            below.add(children, org.apache.lucene.search.BooleanClause.Occur.SHOULD);
            below.add(deeper, org.apache.lucene.search.BooleanClause.Occur.SHOULD);
            IndexedDocs.forEach(before, below.build(), doc -> {
                byte[] path = doc.path();
                if (path != null) {
                    feed.publish(PathChange.removed(path, doc.type(), doc.size(), doc.mtimeMillis()));
                }
                return true;
            });
        }
        writer.deleteDocuments(children, deeper);
    }

    /** The children of {@code dir} as the index held them, and its listing's record, in one pass. */
    private IndexedListing indexedListing(byte[] dir) throws IOException {
        IndexedListing listing = new IndexedListing();
        IndexedDocs.forEachWithTerm(childLookup, dir, doc -> {
            BytesRef name = doc.name();
            if (name != null) {
                byte[] bytes = BytesRef.deepCopyOf(name).bytes;
                listing.children.put(ByteBuffer.wrap(bytes), new Indexed(bytes, doc.type(), doc.size(), doc.mtimeMillis()));
            } else if (doc.listedMtime() >= 0) {
                listing.listedMtime = doc.listedMtime();
                listing.listedAt = doc.listedAt();
                listing.underTheseRules = doc.listedUnder(rules);
            }
            return true;
        });
        return listing;
    }

    /** A directory as the index held it: its children by name, and when it was listed. */
    private final class IndexedListing {
        final Map<ByteBuffer, Indexed> children = new HashMap<>();
        long listedMtime = -1;
        long listedAt = -1;
        boolean underTheseRules;

        /**
         * Whether the listing must be written again although the entries are the same: it has
         * no listing document (children without one, e.g. old roots now inside a new root, are
         * unsearchable), or it was made under other rules (it must say which rules its entries
         * follow), or, for a crawl, it records another mtime than the directory has now, or
         * too close a listing time, so that the next crawl could not reuse it.
         */
        boolean isStaleFor(Entry dir) {
            if (listedMtime < 0 || !underTheseRules) {
                return true;
            }
            return mode.keepsListingsReusable()
                    && (listedMtime != dir.mtimeMillis() || listedAt - listedMtime < REUSE_SAFETY_MILLIS);
        }
    }

    /** A child as the index held it. */
    private record Indexed(byte[] name, EntryType type, long size, long mtime) {
        boolean isDirectory() {
            return type == EntryType.DIRECTORY;
        }

        boolean sameAs(Entry e) {
            return type == e.type() && size == e.size() && mtime == e.mtimeMillis();
        }
    }

    /** Records a failed write (a full disk, a read-only directory) and wraps it for the crawler. */
    private UncheckedIOException failed(IOException e) {
        health.failed(e);
        return new UncheckedIOException(e);
    }
}
