package dev.jfind.server.index;

import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.ConstantScoreQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.util.BytesRef;

/**
 * A substring search: which directories' children to look at (trigram candidates) and the
 * exact check of each path. A path matches when it contains every pattern. Immutable; thread-safe.
 */
public final class PathPattern {
    private final List<byte[]> patterns;
    private final boolean ignoreCase;
    private final Query candidates;
    /** Whether each pattern holds a '/' and so may span a parent and a name. */
    private final boolean[] spansSlash;

    private PathPattern(List<byte[]> patterns, boolean ignoreCase) {
        this.ignoreCase = ignoreCase;
        List<byte[]> kept = new ArrayList<>();
        for (byte[] p : patterns) {
            if (p.length > 0) {
                kept.add(ignoreCase ? CaseFolding.fold(p) : p);
            }
        }
        this.patterns = List.copyOf(kept);
        this.spansSlash = new boolean[kept.size()];
        for (int i = 0; i < kept.size(); i++) {
            spansSlash[i] = indexOf(kept.get(i), 0, kept.get(i).length, new byte[] {'/'}) >= 0;
        }
        this.candidates = candidateQuery(patterns);
    }

    /**
     * Paths containing every pattern (raw bytes). Empty patterns match everything, as in
     * locate. With {@code ignoreCase}, Unicode simple case folding applies to both sides.
     */
    public static PathPattern substrings(List<byte[]> patterns, boolean ignoreCase) {
        return new PathPattern(patterns, ignoreCase);
    }

    /**
     * The listing documents of the directories whose children may match, or null when the
     * patterns are too short to narrow anything and every path must be checked.
     */
    Query listingCandidates() {
        return candidates;
    }

    /** The exact check of one candidate path. */
    boolean matches(byte[] path) {
        if (patterns.isEmpty()) {
            return true;
        }
        byte[] subject = ignoreCase ? CaseFolding.fold(path) : path;
        for (byte[] p : patterns) {
            if (indexOf(subject, 0, subject.length, p) < 0) {
                return false;
            }
        }
        return true;
    }

    /** A checker for one search; it remembers what it learned of the last parent. */
    Checker checker() {
        return new Checker();
    }

    /**
     * Checks a path given as parent and name without building it: a pattern without '/'
     * cannot span the slash between them, so it matches if it is in the parent (decided once
     * per directory) or in the name. Not thread-safe.
     */
    final class Checker {
        private final boolean[] inParent = new boolean[patterns.size()];
        private byte[] lastParent;

        boolean matches(byte[] parent, BytesRef name) {
            if (patterns.isEmpty()) {
                return true;
            }
            if (parent != lastParent) {
                byte[] subject = ignoreCase ? CaseFolding.fold(parent) : parent;
                for (int i = 0; i < inParent.length; i++) {
                    inParent[i] = indexOf(subject, 0, subject.length, patterns.get(i)) >= 0;
                }
                lastParent = parent;
            }
            byte[] nameBytes = name.bytes;
            int nameOffset = name.offset;
            int nameLength = name.length;
            if (ignoreCase) {
                nameBytes = CaseFolding.fold(java.util.Arrays.copyOfRange(name.bytes, name.offset, name.offset + name.length));
                nameOffset = 0;
                nameLength = nameBytes.length;
            }
            byte[] full = null;
            for (int i = 0; i < inParent.length; i++) {
                byte[] p = patterns.get(i);
                if (inParent[i]) {
                    continue;
                }
                if (!spansSlash[i]) {
                    if (indexOf(nameBytes, nameOffset, nameLength, p) < 0) {
                        return false;
                    }
                } else {
                    if (full == null) {
                        byte[] folded = ignoreCase ? CaseFolding.fold(parent) : parent;
                        full = PathParts.join(folded, folded.length, nameBytes, nameOffset, nameLength);
                    }
                    if (indexOf(full, 0, full.length, p) < 0) {
                        return false;
                    }
                }
            }
            return true;
        }
    }

    private static Query candidateQuery(List<byte[]> patterns) {
        java.util.TreeSet<Integer> grams = new java.util.TreeSet<>();
        for (byte[] p : patterns) {
            for (int g : Trigrams.required(p)) {
                grams.add(g);
            }
        }
        if (grams.isEmpty()) {
            return null; // too short to narrow: check every path
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

    static int indexOf(byte[] haystack, int from, int length, byte[] needle) {
        if (needle.length == 0) {
            return 0;
        }
        byte first = needle[0];
        int last = from + length - needle.length;
        outer:
        for (int i = from; i <= last; i++) {
            if (haystack[i] != first) {
                continue;
            }
            for (int k = 1; k < needle.length; k++) {
                if (haystack[i + k] != needle[k]) {
                    continue outer;
                }
            }
            return i - from;
        }
        return -1;
    }
}
