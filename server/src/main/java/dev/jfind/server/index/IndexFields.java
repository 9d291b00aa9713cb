package dev.jfind.server.index;

import dev.jfind.server.crawl.Entry;
import java.util.Arrays;
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
import org.apache.lucene.search.FieldExistsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.util.BytesRef;

/**
 * Every field of the index, defined in one place. The index holds two kinds of documents:
 *
 * <ul>
 *   <li>a <b>path document</b> for every indexed path: its parent directory and name (which
 *       together are its exact bytes), type, size and mtime. A directory's children are
 *       written, and replaced, together: the parent term is their update key. They are
 *       grouped in blocks of {@link #BLOCK_SIZE}.
 *   <li>a <b>listing document</b> for every block of a directory's children, and one per
 *       crawl root: the trigrams of the children's full paths. A substring search finds the
 *       candidate blocks from these and then checks their paths' real bytes. Trigrams per
 *       block rather than per path make indexing several times cheaper and the postings far
 *       smaller, the way plocate indexes blocks of paths.
 * </ul>
 *
 * Nothing is a stored field; values live in doc values. No term is unique per path, so
 * indexing a million paths hashes only directory and block keys.
 */
final class IndexFields {
    /**
     * Path doc: the parent directory's bytes, as a term (finds a directory's children; the
     * update key of a listing) and as sorted doc values (read back when scanning every path).
     */
    static final String PARENT = "parent";
    /** Path doc: the name's bytes as binary doc values ("/" for the root directory itself). */
    static final String NAME = "name";
    /**
     * Path doc: the key of the block of its directory's children it belongs to (see
     * {@link #blockKey}), a term: a search expands a candidate block to its paths.
     */
    static final String BLOCK = "block";
    /** Path doc of a crawl root: the root's path as a term, its update key. */
    static final String ROOT = "root";
    /** Path doc: {@link dev.jfind.server.crawl.EntryType#code()}, numeric doc values. */
    static final String TYPE = "type";
    /** Path doc: size in bytes, numeric doc values. */
    static final String SIZE = "size";
    /** Path doc: modification time in epoch milliseconds, numeric doc values. */
    static final String MTIME = "mtime";

    /**
     * Listing doc: the directory's path as a term, shared by all blocks of that directory, so
     * they are replaced together (for a root's listing: a NUL byte and the root's path; no
     * path starts with NUL, so the two never collide).
     */
    static final String LISTING_KEY = "listing";
    /** Listing doc: binary doc values, the key of the block of children it covers. */
    static final String LISTING_BLOCK = "listing_block";
    /** Listing doc: trigrams of the case-folded full paths of the children (documents only). */
    static final String TRIGRAMS = "tri";

    /**
     * Children per listing document. Small blocks keep a big directory's trigram set from
     * matching almost any pattern and sending the search through all its children.
     */
    static final int BLOCK_SIZE = 64;

    /** Bumped whenever a field changes meaning; an index of another version is rebuilt. */
    static final String FORMAT_VERSION = "3";

    private static final FieldType TRIGRAM_TYPE = trigramType();

    private IndexFields() {}

    static Term parentTerm(byte[] parent) {
        return new Term(PARENT, new BytesRef(parent));
    }

    static Term rootTerm(byte[] root) {
        return new Term(ROOT, new BytesRef(root));
    }

    static Term listingTerm(byte[] dir) {
        return new Term(LISTING_KEY, new BytesRef(dir));
    }

    static Term rootListingTerm(byte[] root) {
        return new Term(LISTING_KEY, new BytesRef(rootBlockKey(root)));
    }

    /** Matches every path document (and no listing document). */
    static Query allPaths() {
        return new FieldExistsQuery(NAME);
    }

    /** Key of block {@code n} of {@code dir}'s children: the directory, a NUL, the number. */
    static byte[] blockKey(byte[] dir, int n) {
        byte[] key = Arrays.copyOf(dir, dir.length + 5);
        key[dir.length + 1] = (byte) (n >>> 24);
        key[dir.length + 2] = (byte) (n >>> 16);
        key[dir.length + 3] = (byte) (n >>> 8);
        key[dir.length + 4] = (byte) n;
        return key;
    }

    /** Key of the one-path block of a crawl root: a NUL and the root's path. */
    static byte[] rootBlockKey(byte[] root) {
        byte[] key = new byte[root.length + 1];
        System.arraycopy(root, 0, key, 1, root.length);
        return key;
    }

    /** The directory whose children a block key covers. */
    static byte[] blockParent(BytesRef key) {
        if (key.length > 0 && key.bytes[key.offset] == 0) {
            return PathParts.parentOf(Arrays.copyOfRange(key.bytes, key.offset + 1, key.offset + key.length));
        }
        return Arrays.copyOfRange(key.bytes, key.offset, key.offset + key.length - 5);
    }

    /** The path document for {@code entry}, a member of block {@code block}. */
    static Document pathDocument(Entry entry, byte[] block) {
        BytesRef parent = new BytesRef(PathParts.parentOf(entry.path()));
        Document doc = new Document();
        doc.add(new StringField(PARENT, parent, Field.Store.NO));
        doc.add(new SortedDocValuesField(PARENT, parent));
        doc.add(new BinaryDocValuesField(NAME, new BytesRef(PathParts.nameOf(entry.path()))));
        doc.add(new StringField(BLOCK, new BytesRef(block), Field.Store.NO));
        doc.add(new NumericDocValuesField(TYPE, entry.type().code()));
        doc.add(new NumericDocValuesField(SIZE, entry.size()));
        doc.add(new NumericDocValuesField(MTIME, entry.mtimeMillis()));
        return doc;
    }

    /** The path document of a crawl root, which carries its own update key. */
    static Document rootDocument(Entry root) {
        Document doc = pathDocument(root, rootBlockKey(root.path()));
        doc.add(new StringField(ROOT, new BytesRef(root.path()), Field.Store.NO));
        return doc;
    }

    /**
     * The listing document of one block of {@code dir}'s children (full paths). Each gets its
     * own token stream: a batch of documents is consumed only after all are built.
     */
    static Document listingDocument(Term key, byte[] block, byte[] dir, List<byte[]> children) {
        int[] grams = Trigrams.ofListing(dir, children, PathParts::nameOffset);
        Document doc = new Document();
        doc.add(new StringField(LISTING_KEY, key.bytes(), Field.Store.NO));
        doc.add(new BinaryDocValuesField(LISTING_BLOCK, new BytesRef(block)));
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
