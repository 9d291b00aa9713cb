package dev.jfind.server.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jfind.server.crawl.EntryType;
import dev.jfind.server.match.Candidate;
import dev.jfind.server.match.PathFilter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StructuredQueryTest {
    private static final Instant NOW = Instant.parse("2026-06-15T12:00:00Z");
    private static final long DAY = 86_400_000L;
    private static final long MB = 1 << 20;

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        // query | path | type | size | age in days | expected
        "ext:pdf AND size:>10M AND mtime:>30d | /d/big.pdf     | f | 20971520 | 3   | true",
        "ext:pdf AND size:>10M AND mtime:>30d | /d/big.pdf     | f | 20971520 | 40  | false",
        "ext:pdf AND size:>10M AND mtime:>30d | /d/small.pdf   | f | 1024     | 3   | false",
        "ext:pdf AND size:>10M AND mtime:>30d | /d/big.doc     | f | 20971520 | 3   | false",
        "ext:PDF                              | /d/x.pdf       | f | 1        | 1   | true",
        "ext:.pdf                             | /d/x.Pdf       | f | 1        | 1   | true",
        "ext:pdf                              | /d/.pdf        | f | 1        | 1   | false",
        "ext:jpg;png                          | /d/x.png       | f | 1        | 1   | true",
        "ext:tar.gz                           | /d/x.tar.gz    | f | 1        | 1   | true",
        "name:rep                             | /rep/x         | f | 1        | 1   | false",
        "path:rep                             | /rep/x         | f | 1        | 1   | true",
        "rep                                  | /rep/x         | f | 1        | 1   | true",
        "path:/rep/x                          | /rep/x         | f | 1        | 1   | true",
        "name:*.pdf                           | /d/a.pdf       | f | 1        | 1   | true",
        "name:*.pdf                           | /d/a.pdf.txt   | f | 1        | 1   | false",
        "name:\\*.pdf                         | /d/*.pdf       | f | 1        | 1   | true",
        "name:\\*.pdf                         | /d/a.pdf       | f | 1        | 1   | false",
        "'name:\"a b\"'                       | /d/x a b y     | f | 1        | 1   | true",
        "type:d                               | /d/x           | d | 1        | 1   | true",
        "type:d                               | /d/x           | f | 1        | 1   | false",
        "NOT type:d                           | /d/x           | f | 1        | 1   | true",
        "-type:d                              | /d/x           | d | 1        | 1   | false",
        "type:f OR type:l                     | /d/x           | l | 1        | 1   | true",
        "(name:a OR name:b) AND type:f        | /d/b           | f | 1        | 1   | true",
        "(name:a OR name:b) AND type:f        | /d/c           | f | 1        | 1   | false",
        "size:10M                             | /d/x           | f | 10485760 | 1   | true",
        "size:[1M TO 10M]                     | /d/x           | f | 10485760 | 1   | true",
        "size:[1M TO 10M}                     | /d/x           | f | 10485760 | 1   | false",
        "size:<=1K                            | /d/x           | f | 1024     | 1   | true",
        "size:<1K                             | /d/x           | f | 1024     | 1   | false",
        "size>=1.5K                           | /d/x           | f | 1536     | 1   | true",
        "mtime:<30d                           | /d/x           | f | 1        | 40  | true",
        "mtime:7d                             | /d/x           | f | 1        | 6   | true",
        "mtime:7d                             | /d/x           | f | 1        | 8   | false",
        "mtime:2026-06-15                     | /d/x           | f | 1        | 0   | true",
        "mtime:2026-06                        | /d/x           | f | 1        | 10  | true",
        "mtime:<2026                          | /d/x           | f | 1        | 200 | true",
        "mtime:[2026-06-01 TO 2026-06-10]     | /d/x           | f | 1        | 10  | true",
        "mtime:today                          | /d/x           | f | 1        | 0   | true",
        "mtime:>2026-06-01T00:00:00Z          | /d/x           | f | 1        | 1   | true",
        "mtime:<2026-06-01T00:00              | /d/x           | f | 1        | 1   | false",
        "path:a:b                             | /d/a:b         | f | 1        | 1   | true",
        "depth:2                              | /d/x           | f | 1        | 1   | true",
        "depth:<2                             | /d/x           | f | 1        | 1   | false",
        "depth:1                              | /d             | d | 1        | 1   | true",
    })
    void evaluates(String query, String path, String type, long size, long ageDays, boolean expected) {
        String q = query.startsWith("'") ? query.substring(1, query.length() - 1) : query;
        PathFilter f = StructuredQuery.parse(q, false, NOW, ZoneOffset.UTC);
        EntryType t = type.equals("d") ? EntryType.DIRECTORY : type.equals("l") ? EntryType.SYMLINK : EntryType.FILE;
        Candidate c = new Candidate.Fixed(path.getBytes(StandardCharsets.UTF_8), t, size, NOW.toEpochMilli() - ageDays * DAY);
        assertEquals(expected, f.test(c), q + " on " + path);
    }

    @Test
    void ignoreCaseAppliesToNameAndPath() {
        PathFilter f = StructuredQuery.parse("name:README", true, NOW, ZoneOffset.UTC);
        assertTrue(f.test(new Candidate.Fixed("/x/readme.md".getBytes(StandardCharsets.UTF_8), EntryType.FILE, 1, 1)));
    }

    @Test
    void narrowsByTextParts() {
        assertEquals("'.pdf'", StructuredQuery.parse("ext:pdf AND size:>10M", false, NOW, ZoneOffset.UTC).narrowing().toString());
        assertEquals("none", StructuredQuery.parse("NOT name:report", false, NOW, ZoneOffset.UTC).narrowing().toString());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "name:foo AND (       | the query ends too soon    | 15",
        "a AND AND b          | unexpected 'AND'           | 7",
        "colour:red           | unknown field 'colour'     | 8",
        "size:>ten            | 'ten' is not a size        | 7",
        "mtime:yesterday-ish  | is not a time              | 7",
        "type:q               | 'q' is not a type          | 6",
        "name:foo~            | not supported              | 6",
        "name:\"abc           | unclosed quote             | 10",
        "ext:pdf size:[1M TO  | the query ends too soon    | 20",
    })
    void errorsSayWhatAndWhere(String query, String what, int column) {
        InvalidQueryException e = assertThrows(InvalidQueryException.class,
                () -> StructuredQuery.parse(query, false, NOW, ZoneOffset.UTC));
        assertEquals("query", e.field());
        assertTrue(e.getMessage().contains(what), e.getMessage());
        assertTrue(e.getMessage().contains("at column " + column + ":"), e.getMessage());
        assertTrue(e.getMessage().endsWith(" ".repeat(column - 1) + "^"), e.getMessage());
    }
}
