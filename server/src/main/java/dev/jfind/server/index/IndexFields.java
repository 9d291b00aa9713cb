package dev.jfind.server.index;

import dev.jfind.server.crawl.Entry;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.FieldType;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.IndexOptions;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.util.BytesRef;

/**
 * Every field of the index, defined in one place. One document per path. Nothing is a
 * stored field: the path bytes live once in the sorted doc values (which also sort the
 * index, so neighbouring paths compress together) and once as the update key.
 */
final class IndexFields {
    /**
     * Exact path bytes. Indexed as a single term (the key for updates and subtree deletes)
     * and as sorted doc values (read back for every candidate, and the index sort).
     */
    static final String PATH = "path";
    /** Path bytes of the parent directory, a single term: lists a directory's children. */
    static final String PARENT = "parent";
    /** Trigrams of the case-folded path, documents only (no positions, no norms). */
    static final String TRIGRAMS = "tri";
    /** {@link dev.jfind.server.crawl.EntryType#code()} as numeric doc values. */
    static final String TYPE = "type";
    /** Size in bytes as numeric doc values. */
    static final String SIZE = "size";
    /** Modification time in epoch milliseconds as numeric doc values. */
    static final String MTIME = "mtime";

    /** Bumped whenever a field changes meaning; an index of another version is rebuilt. */
    static final String FORMAT_VERSION = "1";

    static final Sort INDEX_SORT = new Sort(new SortField(PATH, SortField.Type.STRING));

    private static final FieldType TRIGRAM_TYPE = trigramType();

    private static final ThreadLocal<TrigramTokenStream> TRIGRAM_STREAMS =
            ThreadLocal.withInitial(TrigramTokenStream::new);

    private IndexFields() {}

    static Term pathTerm(byte[] path) {
        return new Term(PATH, new BytesRef(path));
    }

    static Term parentTerm(byte[] parent) {
        return new Term(PARENT, new BytesRef(parent));
    }

    /** The document for {@code entry}. Must be indexed by the calling thread before it builds another. */
    static Document document(Entry entry) {
        BytesRef path = new BytesRef(entry.path());
        Document doc = new Document();
        doc.add(new StringField(PATH, path, Field.Store.NO));
        doc.add(new SortedDocValuesField(PATH, path));
        doc.add(new StringField(PARENT, new BytesRef(Entry.parentOf(entry.path())), Field.Store.NO));
        int[] grams = Trigrams.distinct(CaseFolding.fold(entry.path()));
        doc.add(new Field(TRIGRAMS, TRIGRAM_STREAMS.get().of(grams), TRIGRAM_TYPE));
        doc.add(new NumericDocValuesField(TYPE, entry.type().code()));
        doc.add(new NumericDocValuesField(SIZE, entry.size()));
        doc.add(new NumericDocValuesField(MTIME, entry.mtimeMillis()));
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
