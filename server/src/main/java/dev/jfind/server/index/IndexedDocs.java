package dev.jfind.server.index;

import dev.jfind.server.crawl.EntryType;
import dev.jfind.server.fs.PathParts;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
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

    /**
     * What a visitor sees of the current document. Valid only during the visit. Doc values
     * are opened lazily, only those a visitor reads (opening one costs a slice of the index
     * file), and kept while documents come in ascending order, as they do in a scan and
     * mostly do for a crawl's lookups.
     */
    static final class Cursor {
        private LeafReaderContext leaf;
        private SortedDocValues parents;
        private BinaryDocValues names;
        private NumericDocValues types;
        private NumericDocValues sizes;
        private NumericDocValues mtimes;
        private NumericDocValues listedMtimes;
        private NumericDocValues listedAts;
        private NumericDocValues listedRules;
        private BinaryDocValues subdirs;
        private int doc = -1;
        private int cachedOrd = -1;
        private byte[] cachedParent;

        void on(LeafReaderContext leaf) {
            if (leaf != this.leaf) {
                this.leaf = leaf;
                reset();
            }
        }

        /** Moves to {@code doc}; doc values iterate forward only, so going back reopens them. */
        void moveTo(int doc) {
            if (doc < this.doc) {
                reset();
            }
            this.doc = doc;
        }

        private void reset() {
            parents = null;
            names = null;
            types = null;
            sizes = null;
            mtimes = null;
            listedMtimes = null;
            listedAts = null;
            listedRules = null;
            subdirs = null;
            cachedOrd = -1;
            doc = -1;
        }

        private NumericDocValues numeric(NumericDocValues open, String field) throws IOException {
            return open != null ? open : DocValues.getNumeric(leaf.reader(), field);
        }

        /** The parent directory's bytes; the same array for consecutive siblings. Do not modify. */
        byte[] parent() throws IOException {
            if (parents == null) {
                parents = DocValues.getSorted(leaf.reader(), IndexFields.PARENT);
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
            if (names == null) {
                names = DocValues.getBinary(leaf.reader(), IndexFields.NAME);
            }
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
            types = numeric(types, IndexFields.TYPE);
            return types.advanceExact(doc) ? EntryType.ofCode((int) types.longValue()) : EntryType.OTHER;
        }

        long size() throws IOException {
            sizes = numeric(sizes, IndexFields.SIZE);
            return sizes.advanceExact(doc) ? sizes.longValue() : 0;
        }

        long mtimeMillis() throws IOException {
            mtimes = numeric(mtimes, IndexFields.MTIME);
            return mtimes.advanceExact(doc) ? mtimes.longValue() : 0;
        }

        /** For a listing document: its directory's mtime when listed; else -1. */
        long listedMtime() throws IOException {
            listedMtimes = numeric(listedMtimes, IndexFields.LISTED_MTIME);
            return listedMtimes.advanceExact(doc) ? listedMtimes.longValue() : -1;
        }

        /** For a listing document: its block's child directories' names, '/'-separated; else null. */
        BytesRef subdirs() throws IOException {
            if (subdirs == null) {
                subdirs = DocValues.getBinary(leaf.reader(), IndexFields.SUBDIRS);
            }
            return subdirs.advanceExact(doc) ? subdirs.binaryValue() : null;
        }

        /**
         * For a listing document: whether it was made under the rules of {@code stamp}
         * ({@link IndexFields#rulesStamp}); false for one that records no rules.
         */
        boolean listedUnder(long stamp) throws IOException {
            listedRules = numeric(listedRules, IndexFields.LISTED_RULES);
            return listedRules.advanceExact(doc) && listedRules.longValue() == stamp;
        }

        /** For a listing document: when its directory was listed (epoch ms); else -1. */
        long listedAt() throws IOException {
            listedAts = numeric(listedAts, IndexFields.LISTED_AT);
            return listedAts.advanceExact(doc) ? listedAts.longValue() : -1;
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
                cursor.moveTo(doc);
                if (!visitor.visit(cursor)) {
                    return;
                }
            }
        }
    }

    /**
     * Term lookups in one field of one searcher, many times over (a re-crawl asks once per
     * directory). Each thread keeps its own TermsEnum per segment: a seek then starts from
     * where the thread's previous seek ended, and siblings, looked up one after another,
     * share most of their path, so most of the term index walk is skipped.
     */
    static final class TermLookup {
        private final List<LeafReaderContext> leaves;
        private final String field;
        private final ThreadLocal<TermsEnum[]> enums;
        private final ThreadLocal<Cursor[]> cursors;

        TermLookup(IndexSearcher searcher, String field) {
            this.leaves = searcher.getIndexReader().leaves();
            this.field = field;
            this.enums = ThreadLocal.withInitial(() -> new TermsEnum[leaves.size()]);
            this.cursors = ThreadLocal.withInitial(() -> new Cursor[leaves.size()]);
        }

        /** The thread's cursor for segment {@code l}, its doc values kept from the last lookup. */
        Cursor cursorFor(int l) {
            Cursor[] mine = cursors.get();
            if (mine[l] == null) {
                mine[l] = new Cursor();
                mine[l].on(leaves.get(l));
            }
            return mine[l];
        }

        /** The thread's enum for segment {@code l}, or null if the segment lacks the field. */
        TermsEnum enumFor(int l) throws IOException {
            TermsEnum[] mine = enums.get();
            if (mine[l] == null) {
                Terms terms = leaves.get(l).reader().terms(field);
                if (terms == null) {
                    return null;
                }
                mine[l] = terms.iterator();
            }
            return mine[l];
        }
    }

    /**
     * Visits the live documents holding {@code value} as a term of the lookup's field, in doc
     * order. Seeks the term directly: a crawl asks this once per directory, where building a
     * query and its weight each time would cost more than the lookup itself.
     */
    static void forEachWithTerm(TermLookup lookup, byte[] value, Visitor visitor) throws IOException {
        BytesRef term = new BytesRef(value);
        Cursor cursor = null;
        PostingsEnum postings = null;
        for (int l = 0; l < lookup.leaves.size(); l++) {
            LeafReaderContext leaf = lookup.leaves.get(l);
            TermsEnum it = lookup.enumFor(l);
            if (it == null || !it.seekExact(term)) {
                continue;
            }
            cursor = lookup.cursorFor(l);
            Bits live = leaf.reader().getLiveDocs();
            postings = it.postings(postings, PostingsEnum.NONE);
            for (int doc = postings.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = postings.nextDoc()) {
                if (live != null && !live.get(doc)) {
                    continue;
                }
                cursor.moveTo(doc);
                if (!visitor.visit(cursor)) {
                    return;
                }
            }
        }
    }

    /**
     * Visits the path documents covered by the live listing documents matching
     * {@code listings}: each listing covers the {@link IndexFields#LISTING_SIZE} documents
     * just before it (they were written as one block). If more than {@code maxListings}
     * match, visits nothing and returns false: the caller should rather scan every path.
     */
    static boolean forEachListed(IndexSearcher searcher, Query listings, int maxListings, Visitor visitor)
            throws IOException {
        Weight weight = searcher.createWeight(searcher.rewrite(listings), ScoreMode.COMPLETE_NO_SCORES, 1f);
        List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
        int[][] candidates = new int[leaves.size()][];
        int[] counts = new int[leaves.size()];
        int total = 0;
        for (int l = 0; l < leaves.size(); l++) {
            Scorer scorer = weight.scorer(leaves.get(l));
            if (scorer == null) {
                continue;
            }
            Bits live = leaves.get(l).reader().getLiveDocs();
            int[] docs = new int[16];
            int n = 0;
            DocIdSetIterator it = scorer.iterator();
            for (int doc = it.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = it.nextDoc()) {
                if (live == null || live.get(doc)) {
                    if (++total > maxListings) {
                        return false;
                    }
                    if (n == docs.length) {
                        docs = Arrays.copyOf(docs, n * 2);
                    }
                    docs[n++] = doc;
                }
            }
            candidates[l] = docs;
            counts[l] = n;
        }
        Cursor cursor = new Cursor();
        for (int l = 0; l < leaves.size(); l++) {
            if (counts[l] == 0) {
                continue;
            }
            LeafReaderContext leaf = leaves.get(l);
            Bits live = leaf.reader().getLiveDocs();
            NumericDocValues sizes = DocValues.getNumeric(leaf.reader(), IndexFields.LISTING_SIZE);
            cursor.on(leaf);
            for (int i = 0; i < counts[l]; i++) {
                int listing = candidates[l][i];
                if (!sizes.advanceExact(listing)) {
                    continue;
                }
                for (int doc = listing - (int) sizes.longValue(); doc < listing; doc++) {
                    if (live != null && !live.get(doc)) {
                        continue;
                    }
                    cursor.moveTo(doc);
                    if (!visitor.visit(cursor)) {
                        return true;
                    }
                }
            }
        }
        return true;
    }
}
