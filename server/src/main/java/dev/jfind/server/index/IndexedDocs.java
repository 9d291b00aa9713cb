package dev.jfind.server.index;

import dev.jfind.server.crawl.EntryType;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.Weight;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;

/**
 * Walks live path documents, segment by segment in doc order, and reads their fields from
 * doc values. The walk is driven here (not by a Collector) so a visitor can stop it at any
 * document: limit reached, call cancelled.
 */
final class IndexedDocs {
    private IndexedDocs() {}

    /** What a visitor sees of the current path document. Valid only during the visit. */
    static final class Cursor {
        private SortedDocValues parents;
        private BinaryDocValues names;
        private NumericDocValues types;
        private NumericDocValues sizes;
        private NumericDocValues mtimes;
        private int doc;
        /** The parent when the walk already knows it (children of a directory), else null. */
        private byte[] knownParent;
        private int cachedOrd = -1;
        private byte[] cachedParent;

        void on(LeafReaderContext leaf) throws IOException {
            parents = DocValues.getSorted(leaf.reader(), IndexFields.PARENT);
            names = DocValues.getBinary(leaf.reader(), IndexFields.NAME);
            types = DocValues.getNumeric(leaf.reader(), IndexFields.TYPE);
            sizes = DocValues.getNumeric(leaf.reader(), IndexFields.SIZE);
            mtimes = DocValues.getNumeric(leaf.reader(), IndexFields.MTIME);
            cachedOrd = -1;
        }

        /** The parent directory's bytes; the same array for consecutive siblings. Do not modify. */
        byte[] parent() throws IOException {
            if (knownParent != null) {
                return knownParent;
            }
            if (!parents.advanceExact(doc)) {
                return null;
            }
            int ord = parents.ordValue();
            if (ord != cachedOrd) {
                cachedParent = BytesRef.deepCopyOf(parents.lookupOrd(ord)).bytes;
                cachedOrd = ord;
            }
            return cachedParent;
        }

        /** The name's bytes; shared, valid until the next document. */
        BytesRef name() throws IOException {
            return names.advanceExact(doc) ? names.binaryValue() : null;
        }

        /** The full path (a new array), or null for a document that is no path. */
        byte[] path() throws IOException {
            byte[] parent = parent();
            BytesRef name = name();
            if (parent == null || name == null) {
                return null;
            }
            return PathParts.join(parent, parent.length, name.bytes, name.offset, name.length);
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

    /** Visits the live path documents matching {@code query}, in doc order. */
    static void forEach(IndexSearcher searcher, Query query, Visitor visitor) throws IOException {
        Weight weight = searcher.createWeight(searcher.rewrite(query), ScoreMode.COMPLETE_NO_SCORES, 1f);
        Cursor cursor = new Cursor();
        for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
            Scorer scorer = weight.scorer(leaf);
            if (scorer == null) {
                continue;
            }
            Bits live = leaf.reader().getLiveDocs();
            cursor.on(leaf);
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

    /**
     * The block keys of the live listing documents matching {@code query}, sorted and
     * without duplicates.
     */
    static List<BytesRef> listedBlocks(IndexSearcher searcher, Query query) throws IOException {
        Weight weight = searcher.createWeight(searcher.rewrite(query), ScoreMode.COMPLETE_NO_SCORES, 1f);
        TreeSet<BytesRef> dirs = new TreeSet<>();
        for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
            Scorer scorer = weight.scorer(leaf);
            if (scorer == null) {
                continue;
            }
            Bits live = leaf.reader().getLiveDocs();
            BinaryDocValues dirValues = DocValues.getBinary(leaf.reader(), IndexFields.LISTING_BLOCK);
            DocIdSetIterator it = scorer.iterator();
            for (int doc = it.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = it.nextDoc()) {
                if ((live == null || live.get(doc)) && dirValues.advanceExact(doc)) {
                    dirs.add(BytesRef.deepCopyOf(dirValues.binaryValue()));
                }
            }
        }
        return new ArrayList<>(dirs);
    }

    /** Visits the live path documents of the blocks {@code sortedBlocks}, segment by segment. */
    static void forEachInBlocks(IndexSearcher searcher, List<BytesRef> sortedBlocks, Visitor visitor) throws IOException {
        Cursor cursor = new Cursor();
        byte[][] parents = new byte[sortedBlocks.size()][];
        for (int i = 0; i < parents.length; i++) {
            byte[] parent = IndexFields.blockParent(sortedBlocks.get(i));
            // blocks of one directory share one array, so the checker sees one parent
            parents[i] = i > 0 && java.util.Arrays.equals(parents[i - 1], parent) ? parents[i - 1] : parent;
        }
        for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
            Terms blocks = leaf.reader().terms(IndexFields.BLOCK);
            if (blocks == null) {
                continue;
            }
            Bits live = leaf.reader().getLiveDocs();
            TermsEnum terms = blocks.iterator();
            PostingsEnum postings = null;
            // (doc << 32 | dir index): doc values are read forward only, so visit in doc order
            long[] hits = new long[64];
            int count = 0;
            for (int d = 0; d < sortedBlocks.size(); d++) {
                if (!terms.seekExact(sortedBlocks.get(d))) {
                    continue;
                }
                postings = terms.postings(postings, PostingsEnum.NONE);
                for (int doc = postings.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = postings.nextDoc()) {
                    if (live == null || live.get(doc)) {
                        if (count == hits.length) {
                            hits = Arrays.copyOf(hits, count * 2);
                        }
                        hits[count++] = ((long) doc << 32) | d;
                    }
                }
            }
            Arrays.sort(hits, 0, count);
            cursor.on(leaf);
            for (int i = 0; i < count; i++) {
                cursor.doc = (int) (hits[i] >>> 32);
                cursor.knownParent = parents[(int) hits[i]];
                if (!visitor.visit(cursor)) {
                    return;
                }
            }
            cursor.knownParent = null;
        }
    }
}
