package dev.jfind.server.index;

import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.BytesTermAttribute;
import org.apache.lucene.util.BytesRef;

/**
 * Feeds a document's trigrams to Lucene as 3-byte binary terms. One per document: a batch
 * of documents given to addDocuments is consumed only after all are built. Not thread-safe.
 */
final class TrigramTokenStream extends TokenStream {
    private final BytesTermAttribute term = addAttribute(BytesTermAttribute.class);
    private final BytesRef bytes = new BytesRef(new byte[Trigrams.LENGTH]);
    private int[] grams = new int[0];
    private int next;

    TrigramTokenStream of(int[] grams) {
        this.grams = grams;
        this.next = 0;
        return this;
    }

    @Override
    public boolean incrementToken() {
        if (next >= grams.length) {
            return false;
        }
        clearAttributes();
        Trigrams.unpack(grams[next++], bytes.bytes);
        bytes.length = Trigrams.LENGTH;
        term.setBytesRef(bytes);
        return true;
    }

    @Override
    public void reset() throws java.io.IOException {
        super.reset();
        next = 0;
    }
}
