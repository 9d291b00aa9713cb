package dev.jfind.server.testing;

import dev.jfind.server.match.PathFilter;
import dev.jfind.server.query.Patterns;
import dev.jfind.server.query.Syntax;
import java.util.List;

/** Filters as tests need them. */
public final class Filters {
    private Filters() {}

    /** Paths containing every pattern, as plain jfind-client PATTERN... asks. */
    public static PathFilter substrings(List<byte[]> patterns, boolean ignoreCase) {
        return Patterns.compile(patterns, Syntax.LITERAL, false, false, ignoreCase);
    }
}
