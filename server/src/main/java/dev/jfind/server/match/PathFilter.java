package dev.jfind.server.match;

import dev.jfind.server.crawl.EntryType;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.lucene.util.BytesRef;

/**
 * What a path must satisfy to be a result: a tree of tests (substring, glob or regex over
 * the path or its name, type, size, mtime, depth) joined by AND, OR and NOT, each able to
 * say what text every match contains ({@link #narrowing()}) so the index can skip the rest.
 *
 * <p>Nodes may cache what they learned of the current parent directory: build one tree per
 * search (building is cheap) and use it on one thread.
 */
public abstract class PathFilter {
    /** Which part of the path a text test looks at. */
    public enum Scope { PATH, NAME }

    /** A numeric attribute of an indexed path. */
    public enum Attribute { SIZE, MTIME, DEPTH }

    PathFilter() {}

    public abstract boolean test(Candidate c);

    public abstract Narrowing narrowing();

    /** Matches every path. */
    public static PathFilter all() {
        return new All();
    }

    public static PathFilter allOf(List<PathFilter> parts) {
        return parts.size() == 1 ? parts.get(0) : parts.isEmpty() ? all() : new AllOf(parts);
    }

    public static PathFilter anyOf(List<PathFilter> parts) {
        parts = groupSubstrings(parts);
        return parts.size() == 1 ? parts.get(0) : parts.isEmpty() ? all() : new AnyOf(parts);
    }

    /** Alternatives from this many substrings of one scope and case are tested in one pass. */
    static final int SUBSTRING_SET_FROM = 4;

    /** {@code parts} with its substrings of the same scope and case joined into {@link SubstringSet}s. */
    private static List<PathFilter> groupSubstrings(List<PathFilter> parts) {
        java.util.Map<List<Object>, List<byte[]>> groups = new java.util.LinkedHashMap<>();
        for (PathFilter p : parts) {
            if (p instanceof Substring s && s.pattern.length > 0) {
                groups.computeIfAbsent(List.of(s.scope, s.ignoreCase), k -> new ArrayList<>()).add(s.pattern);
            }
        }
        if (groups.values().stream().noneMatch(g -> g.size() >= SUBSTRING_SET_FROM)) {
            return parts;
        }
        List<PathFilter> kept = new ArrayList<>();
        for (PathFilter p : parts) {
            if (!(p instanceof Substring s && s.pattern.length > 0
                    && groups.get(List.of(s.scope, s.ignoreCase)).size() >= SUBSTRING_SET_FROM)) {
                kept.add(p);
            }
        }
        groups.forEach((key, patterns) -> {
            if (patterns.size() >= SUBSTRING_SET_FROM) {
                kept.add(new SubstringSet(patterns, (Scope) key.get(0), (Boolean) key.get(1)));
            }
        });
        return kept;
    }

    public static PathFilter not(PathFilter part) {
        return new Not(part);
    }

    /** Contains {@code pattern} (raw bytes); with {@code ignoreCase}, both sides are case-folded. */
    public static PathFilter substring(byte[] pattern, Scope scope, boolean ignoreCase) {
        return new Substring(pattern, scope, ignoreCase);
    }

    /**
     * Matches {@code regex} over the text of the path or name: found anywhere, or (for globs)
     * matching the whole. {@code narrowing} says what every match contains.
     */
    public static PathFilter regex(Pattern regex, Scope scope, boolean wholeText, Narrowing narrowing) {
        return new Regex(regex, scope, wholeText, narrowing);
    }

    /** The name ends with "." + one of {@code extensions}, ignoring case. */
    public static PathFilter extension(List<byte[]> extensions) {
        return new Extension(extensions);
    }

    public static PathFilter type(Set<EntryType> types) {
        return new Type(types);
    }

    /** {@code min <= attribute <= max}. */
    public static PathFilter range(Attribute attribute, long min, long max) {
        return new Range(attribute, min, max);
    }

    private static final class All extends PathFilter {
        @Override
        public boolean test(Candidate c) {
            return true;
        }

        @Override
        public Narrowing narrowing() {
            return Narrowing.none();
        }
    }

    private static final class AllOf extends PathFilter {
        private final PathFilter[] parts;

        AllOf(List<PathFilter> parts) {
            this.parts = parts.toArray(new PathFilter[0]);
        }

        @Override
        public boolean test(Candidate c) {
            for (PathFilter p : parts) {
                if (!p.test(c)) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public Narrowing narrowing() {
            List<Narrowing> all = new ArrayList<>();
            for (PathFilter p : parts) {
                all.add(p.narrowing());
            }
            return Narrowing.allOf(all);
        }
    }

    private static final class AnyOf extends PathFilter {
        private final PathFilter[] parts;

        AnyOf(List<PathFilter> parts) {
            this.parts = parts.toArray(new PathFilter[0]);
        }

        @Override
        public boolean test(Candidate c) {
            for (PathFilter p : parts) {
                if (p.test(c)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public Narrowing narrowing() {
            List<Narrowing> any = new ArrayList<>();
            for (PathFilter p : parts) {
                any.add(p.narrowing());
            }
            return Narrowing.anyOf(any);
        }
    }

    private static final class Not extends PathFilter {
        private final PathFilter part;

        Not(PathFilter part) {
            this.part = part;
        }

        @Override
        public boolean test(Candidate c) {
            return !part.test(c);
        }

        @Override
        public Narrowing narrowing() {
            return Narrowing.none(); // a path lacking something can contain anything
        }
    }

    /**
     * A substring of the path or of the name. For the path, a pattern without '/' cannot
     * span the slash before the name: it matches if it is in the parent (decided once per
     * directory) or in the name, and the path is never joined.
     */
    private static final class Substring extends PathFilter {
        private final byte[] pattern;
        private final Scope scope;
        private final boolean ignoreCase;
        private final boolean spansSlash;
        private byte[] parentSeen;
        private boolean inParent;

        Substring(byte[] pattern, Scope scope, boolean ignoreCase) {
            this.pattern = ignoreCase ? CaseFolding.fold(pattern) : pattern.clone();
            this.scope = scope;
            this.ignoreCase = ignoreCase;
            this.spansSlash = Bytes.contains(this.pattern, new byte[] {'/'});
        }

        @Override
        public boolean test(Candidate c) {
            if (pattern.length == 0) {
                return true;
            }
            if (scope == Scope.PATH) {
                if (spansSlash) {
                    return Bytes.contains(ignoreCase ? c.foldedPath() : c.path(), pattern);
                }
                byte[] parent = c.parent();
                if (parent != parentSeen) {
                    parentSeen = parent;
                    inParent = Bytes.contains(ignoreCase ? c.foldedParent() : parent, pattern);
                }
                if (inParent) {
                    return true;
                }
            }
            if (ignoreCase) {
                return Bytes.contains(c.foldedName(), pattern);
            }
            BytesRef name = c.name();
            return Bytes.indexOf(name.bytes, name.offset, name.length, pattern) >= 0;
        }

        @Override
        public Narrowing narrowing() {
            return Narrowing.literal(pattern);
        }
    }

    private static final class Regex extends PathFilter {
        private final Pattern regex;
        private final Scope scope;
        private final boolean wholeText;
        private final Narrowing narrowing;
        private java.util.regex.Matcher matcher;

        Regex(Pattern regex, Scope scope, boolean wholeText, Narrowing narrowing) {
            this.regex = regex;
            this.scope = scope;
            this.wholeText = wholeText;
            this.narrowing = narrowing;
        }

        @Override
        public boolean test(Candidate c) {
            CharSequence text = c.budget().guard(scope == Scope.PATH ? c.pathText() : c.nameText());
            if (matcher == null) {
                matcher = regex.matcher(text);
            } else {
                matcher.reset(text);
            }
            return wholeText ? matcher.matches() : matcher.find();
        }

        @Override
        public Narrowing narrowing() {
            return narrowing;
        }
    }

    /** Ends with one of a set of extensions: a set lookup per dot in the name, however many there are. */
    private static final class Extension extends PathFilter {
        private final java.util.Set<BytesRef> extensions = new java.util.HashSet<>();

        Extension(List<byte[]> extensions) {
            for (byte[] ext : extensions) {
                this.extensions.add(new BytesRef(CaseFolding.fold(ext)));
            }
        }

        @Override
        public boolean test(Candidate c) {
            byte[] name = c.foldedName();
            BytesRef suffix = new BytesRef(name);
            // from 1: "a.pdf" has the extension pdf; ".pdf" alone is a hidden file's name, not an extension
            for (int dot = 1; dot < name.length; dot++) {
                if (name[dot] == '.') {
                    suffix.offset = dot + 1;
                    suffix.length = name.length - dot - 1;
                    if (extensions.contains(suffix)) {
                        return true;
                    }
                }
            }
            return false;
        }

        @Override
        public Narrowing narrowing() {
            List<Narrowing> any = new ArrayList<>();
            for (BytesRef ext : extensions) {
                byte[] dotted = new byte[ext.length + 1];
                dotted[0] = '.';
                System.arraycopy(ext.bytes, ext.offset, dotted, 1, ext.length);
                any.add(Narrowing.literal(dotted));
            }
            return Narrowing.anyOf(any);
        }
    }

    private static final class Type extends PathFilter {
        private final Set<EntryType> types;

        Type(Set<EntryType> types) {
            this.types = EnumSet.copyOf(types);
        }

        @Override
        public boolean test(Candidate c) {
            return types.contains(c.type());
        }

        @Override
        public Narrowing narrowing() {
            return Narrowing.none();
        }
    }

    private static final class Range extends PathFilter {
        private final Attribute attribute;
        private final long min;
        private final long max;

        Range(Attribute attribute, long min, long max) {
            this.attribute = attribute;
            this.min = min;
            this.max = max;
        }

        @Override
        public boolean test(Candidate c) {
            long v;
            switch (attribute) {
                case SIZE:
                    v = c.size();
                    break;
                case MTIME:
                    v = c.mtimeMillis();
                    break;
                default:
                    v = c.depth();
                    break;
            }
            return v >= min && v <= max;
        }

        @Override
        public Narrowing narrowing() {
            return Narrowing.none();
        }
    }
}
