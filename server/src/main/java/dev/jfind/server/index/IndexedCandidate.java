package dev.jfind.server.index;

import dev.jfind.server.crawl.EntryType;
import dev.jfind.server.match.Candidate;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.lucene.util.BytesRef;

/** The path document under a search's cursor, as a filter sees it. One per search. */
final class IndexedCandidate extends Candidate {
    private IndexedDocs.Cursor doc;
    private byte[] parent;
    private BytesRef name;

    /** Moves to the cursor's document; false if it is no path document. */
    boolean on(IndexedDocs.Cursor doc) throws IOException {
        this.doc = doc;
        next();
        parent = doc.parent();
        name = doc.name();
        return parent != null && name != null;
    }

    @Override
    public byte[] parent() {
        return parent;
    }

    @Override
    public BytesRef name() {
        return name;
    }

    @Override
    public EntryType type() {
        try {
            return doc.type();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public long size() {
        try {
            return doc.size();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public long mtimeMillis() {
        try {
            return doc.mtimeMillis();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
