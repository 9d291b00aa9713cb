package dev.jfind.server.match;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.automaton.Automata;
import org.apache.lucene.util.automaton.Automaton;
import org.apache.lucene.util.automaton.ByteRunAutomaton;
import org.apache.lucene.util.automaton.Operations;
import org.apache.lucene.util.automaton.TooComplexToDeterminizeException;

/**
 * Contains one of many substrings (thousands of --any patterns, an OR of names): one pass
 * over the text with a deterministic automaton for {@code .*(p1|p2|...).*} over bytes,
 * which is what Aho-Corasick builds, made by Lucene's automaton package. Testing the
 * patterns one by one cost a pass each: 2,000 patterns took seconds.
 *
 * <p>As {@link PathFilter}'s single substring, a pattern without '/' cannot span the slash
 * before the name, so the parent is tested once per directory and then each name alone; the
 * whole path only when some pattern holds a '/'. Caches the current parent: one thread.
 */
final class SubstringSet extends PathFilter {
    /** Determinization effort allowed: ample for patterns that fit in a request. */
    private static final int WORK_LIMIT = 50_000_000;

    private final byte[][] patterns;
    private final PathFilter.Scope scope;
    private final boolean ignoreCase;
    private final boolean anySpansSlash;
    /** Null when the patterns were too many to determinize: then they are tried one by one. */
    private final ByteRunAutomaton automaton;
    private byte[] parentSeen;
    private boolean inParent;

    /** @param patterns non-empty byte strings, already case-folded when {@code ignoreCase} */
    SubstringSet(List<byte[]> patterns, PathFilter.Scope scope, boolean ignoreCase) {
        TreeSet<BytesRef> distinct = new TreeSet<>();
        boolean spans = false;
        for (byte[] p : patterns) {
            distinct.add(new BytesRef(p));
            spans |= Bytes.contains(p, new byte[] {'/'});
        }
        this.patterns = new byte[distinct.size()][];
        int i = 0;
        for (BytesRef p : distinct) {
            this.patterns[i++] = BytesRef.deepCopyOf(p).bytes;
        }
        this.scope = scope;
        this.ignoreCase = ignoreCase;
        this.anySpansSlash = spans;
        this.automaton = compile(distinct);
    }

    private static ByteRunAutomaton compile(TreeSet<BytesRef> sorted) {
        for (BytesRef p : sorted) {
            if (p.length > Automata.MAX_STRING_UNION_TERM_LENGTH) {
                return null;
            }
        }
        Automaton contains = Operations.concatenate(List.of(Automata.makeAnyBinary(),
                Automata.makeBinaryStringUnion(sorted), Automata.makeAnyBinary()));
        try {
            return new ByteRunAutomaton(contains, /* isBinary= */ true, WORK_LIMIT);
        } catch (TooComplexToDeterminizeException e) {
            return null;
        }
    }

    @Override
    public boolean test(Candidate c) {
        if (scope == PathFilter.Scope.PATH) {
            byte[] parent = c.parent();
            if (parent != parentSeen) {
                parentSeen = parent;
                inParent = contains(ignoreCase ? c.foldedParent() : parent);
            }
            if (inParent) {
                return true;
            }
            if (anySpansSlash && contains(ignoreCase ? c.foldedPath() : c.path())) {
                return true;
            }
        }
        if (ignoreCase) {
            return contains(c.foldedName());
        }
        BytesRef name = c.name();
        return contains(name.bytes, name.offset, name.length);
    }

    private boolean contains(byte[] text) {
        return contains(text, 0, text.length);
    }

    private boolean contains(byte[] text, int offset, int length) {
        if (automaton != null) {
            return automaton.run(text, offset, length);
        }
        for (byte[] p : patterns) {
            if (Bytes.indexOf(text, offset, length, p) >= 0) {
                return true;
            }
        }
        return false;
    }

    @Override
    public Narrowing narrowing() {
        List<Narrowing> any = new ArrayList<>(patterns.length);
        for (byte[] p : patterns) {
            any.add(Narrowing.literal(p));
        }
        return Narrowing.anyOf(any);
    }
}
