package dev.jfind.server.index;

import dev.jfind.server.crawl.Entry;
import dev.jfind.server.fs.PathParts;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.document.BinaryDocValuesField;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.FieldType;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.IndexOptions;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.FieldExistsQuery;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.PrefixQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.util.BytesRef;

/**
 * Every field of the index, defined in one place. The index holds two kinds of documents:
 *
 * <ul>
 *   <li>a <b>path document</b> for every indexed path: its parent directory and name (which
 *       together are its exact bytes), type, size and mtime.
 *   <li>a <b>listing document</b> after every block of up to {@link #BLOCK_SIZE} path
 *       documents of one directory: the trigrams of those children's full paths. A substring
 *       search finds candidate listing documents and checks the real bytes of the block of
 *       paths just before each. Trigrams per block rather than per path make indexing
 *       several times cheaper and the postings far smaller, the way plocate indexes blocks.
 * </ul>
 *
 * A directory's children and listings are written as one {@code addDocuments} block and
 * replaced as one ({@code updateDocuments} on the parent term): Lucene gives a block
 * consecutive doc ids and keeps them consecutive through merges (what its block join
 * relies on), which is why a listing can find its paths by doc id with no lookup.
 * Nothing is a stored field; values live in doc values.
 */
final class IndexFields {
    /**
     * Both kinds: the directory's bytes as a term, the update key of its children and
     * listings. Path docs also keep it as sorted doc values (read back when scanning).
     */
    static final String PARENT = "parent";
    /** Path doc: the name's bytes as binary doc values ("/" for the root directory itself). */
    static final String NAME = "name";
    /** Both kinds, for a crawl root and its listing: the root's path as a term, their update key. */
    static final String ROOT = "root";
    /** Path doc: {@link dev.jfind.server.crawl.EntryType#code()}, numeric doc values. */
    static final String TYPE = "type";
    /** Path doc: size in bytes, numeric doc values. */
    static final String SIZE = "size";
    /** Path doc: modification time in epoch milliseconds, numeric doc values. */
    static final String MTIME = "mtime";

    /** Listing doc: how many path documents just before it it covers (numeric doc values). */
    static final String LISTING_SIZE = "listing_size";
    /**
     * Listing doc: the directory's mtime (epoch ms) when it was listed, and when that was:
     * a later crawl that finds the same mtime reuses the listing instead of listing again.
     */
    static final String LISTED_MTIME = "listed_mtime";
    static final String LISTED_AT = "listed_at";
    /**
     * Listing doc: the {@link #rulesStamp} of the crawl rules (exclusions) the listing was
     * made under, numeric doc values. A listing is reused only under the very same rules:
     * one made under other rules may lack entries those rules let in, or hold some they
     * leave out. A listing without one (written before listings carried their rules) is
     * never reused, so an index from an older jfindd heals with its next crawl.
     */
    static final String LISTED_RULES = "listed_rules";
    /** Listing doc: trigrams of the case-folded full paths of the children (documents only). */
    static final String TRIGRAMS = "tri";
    /**
     * Listing doc: the directory's bytes as a term, so a re-crawl finds a directory's
     * listings without reading its children's documents.
     */
    static final String LISTED = "listed";
    /**
     * Listing doc: the names of the block's child directories, '/'-separated (a name never
     * holds '/'), binary doc values: what a re-crawl that reuses the listing must visit.
     */
    static final String SUBDIRS = "subdirs";

    /**
     * Children per listing document. Small blocks keep a big directory's trigram set from
     * matching almost any pattern and sending the search through all its children.
     */
    static final int BLOCK_SIZE = 64;

    /** Bumped whenever a field changes meaning; an index of another version is rebuilt. */
    static final String FORMAT_VERSION = "5";

    private static final FieldType TRIGRAM_TYPE = trigramType();

    private IndexFields() {}

    /**
     * The stamp listings made under the rules {@code fingerprint} carry: 64 bits of its
     * SHA-256, so that equal stamps mean equal rules for any practical purpose.
     */
    static long rulesStamp(String fingerprint) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(fingerprint.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.nio.ByteBuffer.wrap(digest).getLong();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError("every JVM has SHA-256", e);
        }
    }

    static Term parentTerm(byte[] parent) {
        return new Term(PARENT, new BytesRef(parent));
    }

    static Term rootTerm(byte[] root) {
        return new Term(ROOT, new BytesRef(root));
    }

    /**
     * Matches every document that is neither of one of {@code roots} nor below one: what was
     * indexed under roots the daemon no longer has.
     */
    static Query outsideRoots(List<byte[]> roots) {
        BooleanQuery.Builder outside = new BooleanQuery.Builder().add(new MatchAllDocsQuery(), BooleanClause.Occur.MUST);
        for (byte[] root : roots) {
            // documents below a root carry a parent within it; a root's own carry its key
            outside.add(new TermQuery(parentTerm(root)), BooleanClause.Occur.MUST_NOT);
            outside.add(new PrefixQuery(new Term(PARENT, new BytesRef(PathParts.below(root)))), BooleanClause.Occur.MUST_NOT);
            outside.add(new TermQuery(rootTerm(root)), BooleanClause.Occur.MUST_NOT);
        }
        return outside.build();
    }

    /** Matches every path document (and no listing document). */
    static Query allPaths() {
        return new FieldExistsQuery(NAME);
    }

    /** The path document for {@code entry}. */
    static Document pathDocument(Entry entry) {
        BytesRef parent = new BytesRef(PathParts.parentOf(entry.path()));
        Document doc = new Document();
        doc.add(new StringField(PARENT, parent, Field.Store.NO));
        doc.add(new SortedDocValuesField(PARENT, parent));
        doc.add(new BinaryDocValuesField(NAME, new BytesRef(PathParts.nameOf(entry.path()))));
        doc.add(new NumericDocValuesField(TYPE, entry.type().code()));
        doc.add(new NumericDocValuesField(SIZE, entry.size()));
        doc.add(new NumericDocValuesField(MTIME, entry.mtimeMillis()));
        return doc;
    }

    /**
     * A crawl root's documents: its path document and a one-path listing for it, both keyed
     * by the root, to be written as one block.
     */
    static List<Document> rootDocuments(Entry root) {
        Document path = pathDocument(root);
        path.add(new StringField(ROOT, new BytesRef(root.path()), Field.Store.NO));
        Document listing = listing(PathParts.parentOf(root.path()), List.of(root.path()));
        listing.add(new StringField(ROOT, new BytesRef(root.path()), Field.Store.NO));
        return List.of(path, listing);
    }

    /**
     * {@code directory}'s children as one block of documents: each run of up to
     * {@link #BLOCK_SIZE} path documents followed by its listing document, which records
     * the directory's mtime, when it was listed and under which rules ({@link #rulesStamp}).
     */
    static List<Document> directoryDocuments(Entry directory, List<Entry> children, long listedAtMillis,
            long rulesStamp) {
        byte[] dir = directory.path();
        List<Document> docs = new ArrayList<>(children.size() + children.size() / BLOCK_SIZE + 1);
        BytesRef dirRef = new BytesRef(dir);
        int from = 0;
        do { // an empty directory still gets one (empty) listing: a re-crawl can then reuse it
            List<Entry> block = children.subList(from, Math.min(children.size(), from + BLOCK_SIZE));
            List<byte[]> paths = new ArrayList<>(block.size());
            java.io.ByteArrayOutputStream subdirs = new java.io.ByteArrayOutputStream();
            for (Entry child : block) {
                docs.add(pathDocument(child));
                paths.add(child.path());
                if (child.isDirectory()) {
                    if (subdirs.size() > 0) {
                        subdirs.write('/');
                    }
                    subdirs.write(child.path(), child.nameOffset(), child.path().length - child.nameOffset());
                }
            }
            Document listing = listing(dir, paths);
            // the same field kinds as a path doc's PARENT: Lucene wants one schema per field
            listing.add(new StringField(PARENT, dirRef, Field.Store.NO));
            listing.add(new SortedDocValuesField(PARENT, dirRef));
            listing.add(new StringField(LISTED, dirRef, Field.Store.NO));
            listing.add(new NumericDocValuesField(LISTED_MTIME, directory.mtimeMillis()));
            listing.add(new NumericDocValuesField(LISTED_AT, listedAtMillis));
            listing.add(new NumericDocValuesField(LISTED_RULES, rulesStamp));
            if (subdirs.size() > 0) {
                listing.add(new BinaryDocValuesField(SUBDIRS, new BytesRef(subdirs.toByteArray())));
            }
            docs.add(listing);
            from += BLOCK_SIZE;
        } while (from < children.size());
        return docs;
    }

    static Term listedTerm(byte[] dir) {
        return new Term(LISTED, new BytesRef(dir));
    }

    /** A listing document for the paths just before it, children of {@code dir}. */
    private static Document listing(byte[] dir, List<byte[]> paths) {
        int[] grams = Trigrams.ofListing(dir, paths, PathParts::nameOffset);
        Document doc = new Document();
        doc.add(new NumericDocValuesField(LISTING_SIZE, paths.size()));
        // one token stream per document: a batch is consumed only after all are built
        doc.add(new Field(TRIGRAMS, new TrigramTokenStream().of(grams), TRIGRAM_TYPE));
        return doc;
    }

    private static FieldType trigramType() {
        FieldType type = new FieldType();
        type.setIndexOptions(IndexOptions.DOCS);
        type.setOmitNorms(true);
        type.setTokenized(true);
        type.setStored(false);
        type.freeze();
        return type;
    }
}
