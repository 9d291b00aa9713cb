package dev.jfind.server.query;

import dev.jfind.server.match.PathFilter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.lucene.queryparser.flexible.core.QueryNodeParseException;
import org.apache.lucene.queryparser.flexible.core.nodes.AndQueryNode;
import org.apache.lucene.queryparser.flexible.core.nodes.BooleanQueryNode;
import org.apache.lucene.queryparser.flexible.core.nodes.FieldQueryNode;
import org.apache.lucene.queryparser.flexible.core.nodes.GroupQueryNode;
import org.apache.lucene.queryparser.flexible.core.nodes.MatchAllDocsQueryNode;
import org.apache.lucene.queryparser.flexible.core.nodes.ModifierQueryNode;
import org.apache.lucene.queryparser.flexible.core.nodes.OrQueryNode;
import org.apache.lucene.queryparser.flexible.core.nodes.QueryNode;
import org.apache.lucene.queryparser.flexible.core.nodes.QuotedFieldQueryNode;
import org.apache.lucene.queryparser.flexible.core.util.UnescapedCharSequence;
import org.apache.lucene.queryparser.flexible.standard.nodes.TermRangeQueryNode;
import org.apache.lucene.queryparser.flexible.standard.parser.ParseException;
import org.apache.lucene.queryparser.flexible.standard.parser.StandardSyntaxParser;

/**
 * Structured queries ({@code jfind-client -q}): Lucene's query syntax (AND, OR, NOT,
 * parentheses, quotes, {@code field:[a TO b]}) read by lucene-queryparser's syntax parser,
 * over jfind's own fields, turned into a {@link PathFilter}:
 *
 * <pre>
 *   name:VALUE   path:VALUE   bare VALUE (= path)   substring; a glob when it holds * or ?; quoted: literal
 *   ext:pdf  ext:jpg;png     the name ends with .pdf (any case)
 *   type:f|d|l|o             file, directory, symlink, other
 *   size:10M  size:&gt;10M  size:&lt;=1K  size:[1M TO 10M]
 *   mtime:2024-05-01  mtime:&gt;30d  mtime:&lt;2024  mtime:[2024-01 TO 2024-03]  mtime:7d (within 7 days)
 *   depth:3  depth:&lt;=2         components in the path: /a is 1 deep
 * </pre>
 *
 * Times compare as points in time: {@code mtime:>30d} is "modified after the moment 30
 * days ago", i.e. within the last 30 days; {@code mtime:<30d} is older than that. Lucene
 * writes comparisons as {@code size>10M}; the {@code size:>10M} spelling is accepted too.
 */
public final class StructuredQuery {
    static final List<String> FIELDS = List.of("name", "path", "ext", "type", "size", "mtime", "depth");
    private static final Pattern LEXICAL_COLUMN = Pattern.compile("column (\\d+)");
    static final int MAX_QUERY_CHARS = 64 * 1024;

    private final String original;
    private final boolean ignoreCase;
    private final QueryValues values;
    /** For each character of the rewritten query, its index in the original. */
    private int[] origin;

    private StructuredQuery(String original, boolean ignoreCase, QueryValues values) {
        this.original = original;
        this.ignoreCase = ignoreCase;
        this.values = values;
    }

    /** Parses {@code query}; throws {@link InvalidQueryException} saying what is wrong and where. */
    public static PathFilter parse(String query, boolean ignoreCase) {
        return parse(query, ignoreCase, Instant.now(), ZoneId.systemDefault());
    }

    static PathFilter parse(String query, boolean ignoreCase, Instant now, ZoneId zone) {
        if (query.length() > MAX_QUERY_CHARS) {
            throw new InvalidQueryException("query", "the query is " + query.length()
                    + " characters long; at most " + MAX_QUERY_CHARS + " are allowed");
        }
        if (query.isBlank()) {
            return PathFilter.all();
        }
        return new StructuredQuery(query, ignoreCase, new QueryValues(now, zone)).parse();
    }

    private PathFilter parse() {
        String rewritten = rewrite(original);
        QueryNode root;
        try {
            root = new StandardSyntaxParser().parse(rewritten, "path");
        } catch (ParseException e) {
            int at = e.currentToken != null && e.currentToken.next != null
                    ? e.currentToken.next.beginColumn : rewritten.length();
            boolean end = e.currentToken != null && e.currentToken.next != null && e.currentToken.next.kind == 0;
            throw error(at, end ? "the query ends too soon (an operand, ')', ']' or '\"' is missing)"
                    : "unexpected '" + e.currentToken.next.image + "'");
        } catch (QueryNodeParseException e) {
            Matcher column = LEXICAL_COLUMN.matcher(String.valueOf(e.getMessage()));
            int at = column.find() ? Integer.parseInt(column.group(1)) - 1 : rewritten.length();
            throw error(at, "cannot read the query here (an unclosed quote?)");
        }
        return filter(root);
    }

    private PathFilter filter(QueryNode node) {
        if (node instanceof ModifierQueryNode) {
            ModifierQueryNode m = (ModifierQueryNode) node;
            PathFilter inner = filter(m.getChild());
            return m.getModifier() == ModifierQueryNode.Modifier.MOD_NOT ? PathFilter.not(inner) : inner;
        }
        if (node instanceof GroupQueryNode) {
            return filter(((GroupQueryNode) node).getChild());
        }
        if (node instanceof OrQueryNode) {
            return PathFilter.anyOf(children(node));
        }
        if (node instanceof AndQueryNode || node.getClass() == BooleanQueryNode.class) {
            return PathFilter.allOf(children(node)); // no operator between terms means AND, as in locate
        }
        if (node instanceof MatchAllDocsQueryNode) {
            return PathFilter.all();
        }
        if (node instanceof TermRangeQueryNode) {
            return range((TermRangeQueryNode) node);
        }
        if (node.getClass() == FieldQueryNode.class || node.getClass() == QuotedFieldQueryNode.class) {
            return field((FieldQueryNode) node);
        }
        int at = node instanceof FieldQueryNode ? ((FieldQueryNode) node).getBegin() : -1;
        throw error(at, "this part of Lucene's syntax (fuzzy '~', boosts '^', proximity, regex) is not supported");
    }

    private List<PathFilter> children(QueryNode node) {
        List<PathFilter> parts = new ArrayList<>();
        for (QueryNode child : node.getChildren()) {
            parts.add(filter(child));
        }
        return parts;
    }

    private PathFilter field(FieldQueryNode node) {
        String field = fieldName(node, node.getFieldAsString());
        String text = node.getTextAsString();
        boolean quoted = node instanceof QuotedFieldQueryNode;
        try {
            switch (field) {
                case "path":
                case "name":
                    return text(field, node, quoted);
                case "ext":
                    List<byte[]> exts = new ArrayList<>();
                    for (String e : text.split("[;,]")) {
                        String ext = e.startsWith(".") ? e.substring(1) : e;
                        if (!ext.isEmpty()) {
                            exts.add(ext.getBytes(StandardCharsets.UTF_8));
                        }
                    }
                    if (exts.isEmpty()) {
                        throw new InvalidQueryException("query", "ext: needs an extension, such as ext:pdf");
                    }
                    return PathFilter.extension(exts);
                case "type":
                    return PathFilter.type(QueryValues.types(text));
                case "mtime":
                    long[] t = values.time(field, text);
                    // an age alone ("mtime:7d") means within that age; a date, that day
                    boolean age = Character.isDigit(text.charAt(0)) && Character.isLetter(text.charAt(text.length() - 1))
                            && !text.matches("\\d{4}.*");
                    return PathFilter.range(PathFilter.Attribute.MTIME, t[0], age ? Long.MAX_VALUE : t[1]);
                default:
                    long[] v = interval(field, text);
                    return PathFilter.range(attribute(field), v[0], v[1]);
            }
        } catch (InvalidQueryException e) {
            throw error(node.getBegin(), e.getMessage());
        }
    }

    /** name: and path: values: substring, glob (unescaped * or ?), or literal when quoted. */
    private PathFilter text(String field, FieldQueryNode node, boolean quoted) {
        PathFilter.Scope scope = field.equals("name") ? PathFilter.Scope.NAME : PathFilter.Scope.PATH;
        CharSequence raw = node.getText();
        String text = raw.toString();
        if (!quoted && raw instanceof UnescapedCharSequence && hasWildcard((UnescapedCharSequence) raw)) {
            return Patterns.glob(reescape((UnescapedCharSequence) raw), scope, ignoreCase);
        }
        return PathFilter.substring(text.getBytes(StandardCharsets.UTF_8), scope, ignoreCase);
    }

    private static boolean hasWildcard(UnescapedCharSequence s) {
        for (int i = 0; i < s.length(); i++) {
            if ((s.charAt(i) == '*' || s.charAt(i) == '?') && !s.wasEscaped(i)) {
                return true;
            }
        }
        return false;
    }

    /** The value as a glob: characters that were escaped in the query stay literal. */
    private static String reescape(UnescapedCharSequence s) {
        StringBuilder glob = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (s.wasEscaped(i) || c == '[' || c == '\\') {
                glob.append('\\');
            }
            glob.append(c);
        }
        return glob.toString();
    }

    private PathFilter range(TermRangeQueryNode node) {
        FieldQueryNode lower = node.getLowerBound();
        FieldQueryNode upper = node.getUpperBound();
        String field = fieldName(lower, node.getField().toString());
        if (!field.equals("size") && !field.equals("mtime") && !field.equals("depth")) {
            throw error(lower.getBegin(), field + ": only size, mtime and depth take ranges and comparisons");
        }
        try {
            long min = Long.MIN_VALUE;
            long max = Long.MAX_VALUE;
            String lo = lower.getTextAsString();
            String hi = upper.getTextAsString();
            if (!lo.equals("*") && !lo.isEmpty()) {
                long[] v = interval(field, lo);
                min = node.isLowerInclusive() ? v[0] : v[1] + 1;
            }
            if (!hi.equals("*") && !hi.isEmpty()) {
                long[] v = interval(field, hi);
                max = node.isUpperInclusive() ? v[1] : v[0] - 1;
            }
            return PathFilter.range(attribute(field), min, max);
        } catch (InvalidQueryException e) {
            throw error(lower.getBegin(), e.getMessage());
        }
    }

    private long[] interval(String field, String text) {
        switch (field) {
            case "size":
                return QueryValues.size(field, text);
            case "mtime":
                return values.time(field, text);
            case "depth":
                return QueryValues.number(field, text);
            default:
                throw new InvalidQueryException("query", field + ": takes no comparison");
        }
    }

    private static PathFilter.Attribute attribute(String field) {
        switch (field) {
            case "size":
                return PathFilter.Attribute.SIZE;
            case "mtime":
                return PathFilter.Attribute.MTIME;
            default:
                return PathFilter.Attribute.DEPTH;
        }
    }

    private String fieldName(FieldQueryNode node, String field) {
        String f = field.toLowerCase(java.util.Locale.ROOT);
        if (!FIELDS.contains(f)) {
            throw error(node.getBegin(), "unknown field '" + field + "'; the fields are " + String.join(", ", FIELDS));
        }
        return f;
    }

    /**
     * Lucene spells comparisons {@code size>10M}; people also write {@code size:>10M}. A '/'
     * starts a regex in Lucene's syntax, but here it is part of a path, and a ':' after the
     * field's own is part of a time (mtime:>2024-06-01T12:00): escape them.
     * Quoted text is left alone. Remembers where each character came from.
     */
    private String rewrite(String query) {
        StringBuilder out = new StringBuilder(query.length() + 8);
        List<Integer> from = new ArrayList<>(query.length() + 8);
        boolean quoted = false;
        boolean fielded = false; // this term already has its field: later ':' are part of the value
        for (int i = 0; i < query.length(); i++) {
            char c = query.charAt(i);
            if (c == '\\' && i + 1 < query.length()) {
                out.append(c).append(query.charAt(i + 1));
                from.add(i);
                from.add(i + 1);
                i++;
                continue;
            }
            if (c == '"') {
                quoted = !quoted;
            } else if (!quoted && (Character.isWhitespace(c) || c == '(' || c == ')')) {
                fielded = false;
            } else if (!quoted && c == ':' && !fielded && i + 1 < query.length()
                    && (query.charAt(i + 1) == '>' || query.charAt(i + 1) == '<')) {
                fielded = true;
                continue; // size:>10M -> size>10M
            } else if (!quoted && (c == ':' || c == '>' || c == '<' || c == '=') && !fielded) {
                fielded = true;
            } else if (!quoted && (c == '/' || c == ':')) {
                out.append('\\'); // a path's '/', a time's ':'
                from.add(i);
            }
            out.append(c);
            from.add(i);
        }
        origin = from.stream().mapToInt(Integer::intValue).toArray();
        return out.toString();
    }

    /** An error at {@code at} (an index into the rewritten query, or -1), shown with a caret. */
    private InvalidQueryException error(int at, String what) {
        if (at < 0 || origin == null) {
            return new InvalidQueryException("query", "query: " + what);
        }
        int column = at < origin.length ? origin[at] : original.length();
        return new InvalidQueryException("query", "query: " + what + ", at column " + (column + 1) + ":\n  "
                + original + "\n  " + " ".repeat(column) + "^");
    }
}
