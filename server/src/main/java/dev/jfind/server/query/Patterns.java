package dev.jfind.server.query;

import dev.jfind.server.match.Narrowing;
import dev.jfind.server.match.PathFilter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Turns the patterns of a search (locate's positional arguments) into a {@link PathFilter}. */
public final class Patterns {
    /** Longest pattern accepted: far beyond any path, small enough to cost nothing. */
    static final int MAX_PATTERN_BYTES = 64 * 1024;
    /**
     * All the patterns of one search together, at most: room for tens of thousands of
     * names (2,000 patterns of 20 bytes are 40 KB), and well under gRPC's 4 MiB per message.
     */
    public static final int MAX_TOTAL_BYTES = 1024 * 1024;

    private Patterns() {}

    /**
     * @param basename match the name only (locate -b)
     * @param any a path matches when any pattern does (else all must)
     * @throws InvalidQueryException for a regex that does not compile or an oversized pattern
     */
    public static PathFilter compile(List<byte[]> patterns, Syntax syntax, boolean basename, boolean any,
            boolean ignoreCase) {
        PathFilter.Scope scope = basename ? PathFilter.Scope.NAME : PathFilter.Scope.PATH;
        long total = 0;
        for (byte[] p : patterns) {
            total += p.length;
        }
        if (total > MAX_TOTAL_BYTES) {
            throw new InvalidQueryException("patterns", "the " + patterns.size() + " patterns take " + total
                    + " bytes; a search takes at most " + MAX_TOTAL_BYTES + " bytes (1 MiB) of patterns:"
                    + " split it into several searches");
        }
        List<PathFilter> parts = new ArrayList<>();
        for (byte[] p : patterns) {
            if (p.length > MAX_PATTERN_BYTES) {
                throw new InvalidQueryException("patterns", "a pattern of " + p.length + " bytes is longer than the "
                        + MAX_PATTERN_BYTES + " bytes allowed; no path is that long");
            }
            if (p.length == 0 && syntax != Syntax.REGEX && syntax != Syntax.GLOB) {
                parts.add(PathFilter.all()); // an empty pattern matches every path, as in locate
                continue;
            }
            parts.add(one(p, syntax, scope, ignoreCase));
        }
        return any ? PathFilter.anyOf(parts) : PathFilter.allOf(parts);
    }

    private static PathFilter one(byte[] pattern, Syntax syntax, PathFilter.Scope scope, boolean ignoreCase) {
        String text = new String(pattern, StandardCharsets.UTF_8);
        switch (syntax) {
            case REGEX:
                return regex(text, scope, ignoreCase);
            case GLOB:
                return glob(text, scope, ignoreCase);
            case LOCATE:
                // no unescaped wildcard: a substring, its escapes undone ("star\\*" finds "star*")
                return Globs.isGlob(text) ? glob(text, scope, ignoreCase)
                        : PathFilter.substring(unescape(pattern), scope, ignoreCase);
            default:
                return PathFilter.substring(pattern, scope, ignoreCase);
        }
    }

    /** {@code pattern} with each backslash escape replaced by the byte it escapes. */
    static byte[] unescape(byte[] pattern) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(pattern.length);
        for (int i = 0; i < pattern.length; i++) {
            if (pattern[i] == '\\' && i + 1 < pattern.length) {
                i++;
            }
            out.write(pattern[i]);
        }
        return out.toByteArray();
    }

    static PathFilter glob(String glob, PathFilter.Scope scope, boolean ignoreCase) {
        List<Narrowing> runs = new ArrayList<>();
        for (byte[] run : Globs.literalRuns(glob)) {
            runs.add(Narrowing.literal(run));
        }
        Pattern compiled = Pattern.compile(Globs.toRegex(glob), flags(ignoreCase));
        return PathFilter.regex(compiled, scope, true, Narrowing.allOf(runs));
    }

    static PathFilter regex(String regex, PathFilter.Scope scope, boolean ignoreCase) {
        Pattern compiled;
        try {
            compiled = Pattern.compile(regex, flags(ignoreCase));
        } catch (PatternSyntaxException e) {
            throw new InvalidQueryException("patterns", "invalid regular expression '" + regex + "': "
                    + e.getDescription() + (e.getIndex() >= 0 ? " at character " + (e.getIndex() + 1) : ""));
        }
        return PathFilter.regex(compiled, scope, false, RegexLiterals.of(regex));
    }

    private static int flags(boolean ignoreCase) {
        return ignoreCase ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0;
    }
}
