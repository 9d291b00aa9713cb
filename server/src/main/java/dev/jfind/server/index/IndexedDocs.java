package dev.jfind.server.index;

import dev.jfind.server.crawl.EntryType;
import java.io.IOException;
import java.util.Arrays;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.Weight;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;

/**
 * Walks the live documents that match a query, segment by segment in doc order, and reads
 * their fields from doc values. The walk is driven here (not by a Collector) so a visitor
 * can stop it at any document: limit reached, call cancelled.
 */
final class IndexedDocs {
    private IndexedDocs() {}

    /** What a visitor sees of the current document. Valid only during the visit. */
    static final class Cursor {
        private SortedDocValues paths;
        private NumericDocValues types;
        private NumericDocValues sizes;
        private NumericDocValues mtimes;
        private int doc;

        /** The path bytes; the array is shared and changes with the next document. */
        BytesRef pathRef() throws IOException {
            return paths.advanceExact(doc) ? paths.lookupOrd(paths.ordValue()) : null;
        }

        byte[] path() throws IOException {
            BytesRef ref = pathRef();
            return ref == null ? null : Arrays.copyOfRange(ref.bytes, ref.offset, ref.offset + ref.length);
        }

        EntryType type() throws IOException {
            return types.advanceExact(doc) ? EntryType.ofCode((int) types.longValue()) : EntryType.OTHER;
        }

        long size() throws IOException {
            return sizes.advanceExact(doc) ? sizes.longValue() : 0;
        }

        long mtimeMillis() throws IOException {
            return mtimes.advanceExact(doc) ? mtimes.longValue() : 0;
        }
    }

    @FunctionalInterface
    interface Visitor {
        /** @return false to stop the walk */
        boolean visit(Cursor doc) throws IOException;
    }

    static void forEach(IndexSearcher searcher, Query query, Visitor visitor) throws IOException {
        Weight weight = searcher.createWeight(searcher.rewrite(query), ScoreMode.COMPLETE_NO_SCORES, 1f);
        Cursor cursor = new Cursor();
        for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
            Scorer scorer = weight.scorer(leaf);
            if (scorer == null) {
                continue;
            }
            Bits live = leaf.reader().getLiveDocs();
            cursor.paths = DocValues.getSorted(leaf.reader(), IndexFields.PATH);
            cursor.types = DocValues.getNumeric(leaf.reader(), IndexFields.TYPE);
            cursor.sizes = DocValues.getNumeric(leaf.reader(), IndexFields.SIZE);
            cursor.mtimes = DocValues.getNumeric(leaf.reader(), IndexFields.MTIME);
            DocIdSetIterator it = scorer.iterator();
            for (int doc = it.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = it.nextDoc()) {
                if (live != null && !live.get(doc)) {
                    continue;
                }
                cursor.doc = doc;
                if (!visitor.visit(cursor)) {
                    return;
                }
            }
        }
    }
}
