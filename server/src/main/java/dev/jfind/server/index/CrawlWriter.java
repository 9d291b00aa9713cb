package dev.jfind.server.index;

import dev.jfind.server.crawl.Entry;
import dev.jfind.server.crawl.ListingSink;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.PrefixQuery;
import org.apache.lucene.search.TermQuery;

/**
 * Applies one crawl to the index, directory by directory: each listing is compared with
 * what the index held when the crawl began, and only the differences are written. So the
 * old results stay searchable until a directory is re-listed, deleted files disappear, and
 * an unchanged tree costs reads only. On an empty index every entry is simply added.
 *
 * <p>Thread-safe: crawl workers call it concurrently for distinct directories.
 */
final class CrawlWriter implements ListingSink {
    private final IndexWriter writer;
    /** The index as it was when the crawl began; null when it was empty. */
    private final IndexSearcher before;
    final LongAdder added = new LongAdder();
    final LongAdder updated = new LongAdder();
    final LongAdder deleted = new LongAdder();
    final LongAdder unindexable = new LongAdder();

    CrawlWriter(IndexWriter writer, IndexSearcher before) {
        this.writer = writer;
        this.before = before;
    }

    @Override
    public void root(Entry root) {
        try {
            writer.updateDocument(IndexFields.pathTerm(root.path()), IndexFields.document(root));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void listed(Entry dir, List<Entry> children) {
        try {
            if (before == null) {
                for (Entry child : children) {
                    add(child);
                }
                return;
            }
            Map<ByteBuffer, Indexed> old = indexedChildren(dir.path());
            for (Entry child : children) {
                Indexed was = old.remove(ByteBuffer.wrap(child.path()));
                if (was == null) {
                    add(child);
                } else if (!was.sameAs(child)) {
                    if (was.directory && !child.isDirectory()) {
                        deleteBelow(child.path());
                    }
                    writer.updateDocument(IndexFields.pathTerm(child.path()), IndexFields.document(child));
                    updated.increment();
                }
            }
            for (Indexed gone : old.values()) {
                writer.deleteDocuments(IndexFields.pathTerm(gone.path));
                deleted.increment();
                if (gone.directory) {
                    deleteBelow(gone.path);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void notListed(Entry dir) {
        if (before == null) {
            return;
        }
        try {
            if (!indexedChildren(dir.path()).isEmpty()) {
                deleteBelow(dir.path());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void add(Entry entry) throws IOException {
        try {
            writer.addDocument(IndexFields.document(entry));
            added.increment();
        } catch (IllegalArgumentException e) {
            // a path longer than Lucene's 32 KiB term limit: counted, not fatal
            unindexable.increment();
        }
    }

    private void deleteBelow(byte[] dir) throws IOException {
        byte[] prefix = java.util.Arrays.copyOf(dir, dir.length + 1);
        prefix[dir.length] = '/';
        writer.deleteDocuments(new PrefixQuery(IndexFields.pathTerm(prefix)));
    }

    private Map<ByteBuffer, Indexed> indexedChildren(byte[] dir) throws IOException {
        Map<ByteBuffer, Indexed> children = new HashMap<>();
        IndexedDocs.forEach(before, new TermQuery(IndexFields.parentTerm(dir)), doc -> {
            byte[] path = doc.path();
            if (path != null) {
                children.put(ByteBuffer.wrap(path), new Indexed(path, doc.type().code(), doc.size(), doc.mtimeMillis()));
            }
            return true;
        });
        return children;
    }

    /** A child as the index held it. */
    private static final class Indexed {
        final byte[] path;
        final int type;
        final long size;
        final long mtime;
        final boolean directory;

        Indexed(byte[] path, int type, long size, long mtime) {
            this.path = path;
            this.type = type;
            this.size = size;
            this.mtime = mtime;
            this.directory = type == dev.jfind.server.crawl.EntryType.DIRECTORY.code();
        }

        boolean sameAs(Entry e) {
            return type == e.type().code() && size == e.size() && mtime == e.mtimeMillis();
        }
    }
}
