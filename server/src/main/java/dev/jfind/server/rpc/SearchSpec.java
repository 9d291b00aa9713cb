package dev.jfind.server.rpc;

import dev.jfind.api.v1.SearchRequest;
import dev.jfind.api.v1.SortKey;
import dev.jfind.server.match.PathFilter;
import dev.jfind.server.query.InvalidQueryException;
import dev.jfind.server.query.Patterns;
import dev.jfind.server.query.StructuredQuery;
import dev.jfind.server.query.Syntax;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link SearchRequest} read and checked: what to match and how to return it. Reading
 * compiles the patterns and the query once, so a bad one is refused before any work;
 * {@link #newFilter()} compiles them again for each consumer, because a filter caches what
 * it learns of the current directory and so belongs to one thread.
 */
final class SearchSpec {
    private final SearchRequest request;
    private final PathFilter first;
    private boolean firstTaken;

    private SearchSpec(SearchRequest request, PathFilter first) {
        this.request = request;
        this.first = first;
    }

    /** @throws InvalidQueryException naming the request field at fault */
    static SearchSpec of(SearchRequest request) {
        if (request.getLimit() < 0) {
            throw new InvalidQueryException("limit",
                    "limit must be 0 (no limit) or a positive number, not " + request.getLimit());
        }
        if (request.getSyntax() == dev.jfind.api.v1.PatternSyntax.UNRECOGNIZED) {
            throw new InvalidQueryException("syntax", "unknown pattern syntax " + request.getSyntaxValue()
                    + "; this daemon knows " + knownSyntaxes());
        }
        if (request.getSort() == SortKey.UNRECOGNIZED) {
            throw new InvalidQueryException("sort", "unknown sort key " + request.getSortValue()
                    + "; this daemon sorts by path, name, size or mtime");
        }
        return new SearchSpec(request, compile(request));
    }

    private static String knownSyntaxes() {
        return "literal, locate, glob and regex";
    }

    private static PathFilter compile(SearchRequest request) {
        List<byte[]> patterns = new ArrayList<>();
        request.getPatternsList().forEach(p -> patterns.add(p.toByteArray()));
        PathFilter byPatterns = Patterns.compile(patterns, syntax(request), request.getBasename(),
                request.getMatchAny(), request.getIgnoreCase());
        if (request.getQuery().isEmpty()) {
            return byPatterns;
        }
        PathFilter byQuery = StructuredQuery.parse(request.getQuery(), request.getIgnoreCase());
        return patterns.isEmpty() ? byQuery : PathFilter.allOf(List.of(byPatterns, byQuery));
    }

    private static Syntax syntax(SearchRequest request) {
        switch (request.getSyntax()) {
            case PATTERN_SYNTAX_LOCATE:
                return Syntax.LOCATE;
            case PATTERN_SYNTAX_GLOB:
                return Syntax.GLOB;
            case PATTERN_SYNTAX_REGEX:
                return Syntax.REGEX;
            default:
                return Syntax.LITERAL;
        }
    }

    /** A filter for one search on one thread. */
    synchronized PathFilter newFilter() {
        if (!firstTaken) {
            firstTaken = true;
            return first;
        }
        return compile(request);
    }

    SearchRequest request() {
        return request;
    }

    boolean sorted() {
        return request.getSort() != SortKey.SORT_KEY_UNSPECIFIED;
    }
}
