package dev.jfind.server.index;

import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.ConstantScoreQuery;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.util.BytesRef;

/**
 * A substring search: which paths to look at (trigram candidates) and the exact check of
 * each. A path matches when it contains every pattern. Immutable; thread-safe.
 */
public final class PathMatcher {
    private final List<byte[]> patterns;
    private final boolean ignoreCase;
    private final Query candidates;

    private PathMatcher(List<byte[]> patterns, boolean ignoreCase) {
        this.ignoreCase = ignoreCase;
        List<byte[]> kept = new ArrayList<>();
        for (byte[] p : patterns) {
            if (p.length > 0) {
                kept.add(ignoreCase ? CaseFolding.fold(p) : p);
            }
        }
        this.patterns = List.copyOf(kept);
        this.candidates = candidateQuery(patterns);
    }

    /**
     * Paths containing every pattern (raw bytes). Empty patterns match everything, as in
     * locate. With {@code ignoreCase}, Unicode simple case folding applies to both sides.
     */
    public static PathMatcher substrings(List<byte[]> patterns, boolean ignoreCase) {
        return new PathMatcher(patterns, ignoreCase);
    }

    Query candidates() {
        return candidates;
    }

    /** The exact check of one candidate path. */
    boolean matches(byte[] path) {
        if (patterns.isEmpty()) {
            return true;
        }
        byte[] subject = ignoreCase ? CaseFolding.fold(path) : path;
        for (byte[] p : patterns) {
            if (indexOf(subject, p) < 0) {
                return false;
            }
        }
        return true;
    }

    private static Query candidateQuery(List<byte[]> patterns) {
        java.util.TreeSet<Integer> grams = new java.util.TreeSet<>();
        for (byte[] p : patterns) {
            for (int g : Trigrams.required(p)) {
                grams.add(g);
            }
        }
        if (grams.isEmpty()) {
            return new MatchAllDocsQuery(); // too short to narrow: check every path
        }
        BooleanQuery.Builder all = new BooleanQuery.Builder();
        int added = 0;
        for (int g : grams) {
            if (added++ == Trigrams.MAX_QUERY_TRIGRAMS * 2) {
                break; // several long patterns: enough to narrow, bounded cost
            }
            byte[] b = new byte[Trigrams.LENGTH];
            Trigrams.unpack(g, b);
            all.add(new TermQuery(new Term(IndexFields.TRIGRAMS, new BytesRef(b))), BooleanClause.Occur.FILTER);
        }
        return new ConstantScoreQuery(all.build());
    }

    static int indexOf(byte[] haystack, byte[] needle) {
        if (needle.length == 0) {
            return 0;
        }
        byte first = needle[0];
        int last = haystack.length - needle.length;
        outer:
        for (int i = 0; i <= last; i++) {
            if (haystack[i] != first) {
                continue;
            }
            for (int k = 1; k < needle.length; k++) {
                if (haystack[i + k] != needle[k]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
