package dev.jfind.server.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jfind.server.crawl.EntryType;
import dev.jfind.server.match.Candidate;
import dev.jfind.server.match.Narrowing;
import dev.jfind.server.match.PathFilter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PatternsTest {
    private static final byte[] INVALID = {'/', 'x', '/', 'b', 'a', 'd', (byte) 0xff, '.', 't'};

    static Stream<Arguments> literal() {
        return Stream.of(
                // path, patterns, ignoreCase, expected
                Arguments.of(b("/a/Report.pdf"), List.of(b("Report")), false, true),
                Arguments.of(b("/a/Report.pdf"), List.of(b("report")), false, false),
                Arguments.of(b("/a/Report.pdf"), List.of(b("report")), true, true),
                Arguments.of(b("/a/Report.pdf"), List.of(b("REPORT.PDF")), true, true),
                Arguments.of(b("/a/Report.pdf"), List.of(b("a/R"), b(".pdf")), false, true),   // all must match
                Arguments.of(b("/a/Report.pdf"), List.of(b("a/R"), b(".doc")), false, false),
                Arguments.of(b("/a/Report.pdf"), List.of(b("")), false, true),                 // empty matches all
                Arguments.of(b("/a/Report.pdf"), List.of(), false, true),
                Arguments.of(b("/a/b"), List.of(b("/")), false, true),                         // 1 byte
                Arguments.of(b("/a/b"), List.of(b("a/")), false, true),                        // 2 bytes
                Arguments.of(b("/\u00c9cole"), List.of(b("\u00e9COLE")), true, true),
                Arguments.of(b("/\u212aelvin"), List.of(b("kelvin")), true, true),
                Arguments.of(b("/caf\u00e9"), List.of(b("cafe\u0301")), false, false),          // NFC is not NFD
                Arguments.of(INVALID, List.of(new byte[] {'d', (byte) 0xff}), false, true),
                Arguments.of(INVALID, List.of(new byte[] {'D', (byte) 0xff, '.', 'T'}), true, true),
                Arguments.of(INVALID, List.of(new byte[] {'d', (byte) 0xfe}), false, false),
                Arguments.of(b("/g/star*name"), List.of(b("*")), false, true),                 // no glob meaning
                Arguments.of(b("/g/line\nbreak"), List.of(b("e\nb")), false, true));
    }

    @ParameterizedTest
    @MethodSource("literal")
    void literalPatternsMatchBytes(byte[] path, List<byte[]> patterns, boolean ignoreCase, boolean expected) {
        assertEquals(expected, matches(Syntax.LITERAL, false, false, ignoreCase, path, patterns));
    }

    static Stream<Arguments> locate() {
        return Stream.of(
                // syntax, basename, any, ignoreCase, path, patterns, expected
                Arguments.of(Syntax.LOCATE, false, false, false, "/a/b.pdf", List.of("*.pdf"), true),
                Arguments.of(Syntax.LOCATE, false, false, false, "/a/b.pdf.txt", List.of("*.pdf"), false), // whole path
                Arguments.of(Syntax.LOCATE, false, false, false, "/a/b.pdf", List.of("b.pdf"), true),     // substring
                Arguments.of(Syntax.LOCATE, false, false, false, "/a/b.pdf", List.of("b?pdf"), false),    // anchored
                Arguments.of(Syntax.LOCATE, false, false, false, "/a/b.pdf", List.of("*b?pdf"), true),
                Arguments.of(Syntax.LOCATE, false, false, false, "/a/x/b", List.of("/a*b"), true),         // * spans /
                Arguments.of(Syntax.LOCATE, false, false, false, "/a/b1", List.of("*b[0-9]"), true),
                Arguments.of(Syntax.LOCATE, false, false, false, "/a/bx", List.of("*b[!0-9]"), true),
                Arguments.of(Syntax.LOCATE, false, false, false, "/a/b1", List.of("*b[!0-9]"), false),
                Arguments.of(Syntax.LOCATE, false, false, false, "/a/b*c", List.of("*b\\*c"), true),
                Arguments.of(Syntax.LOCATE, false, false, false, "/a/bxc", List.of("*b\\*c"), false),
                Arguments.of(Syntax.LOCATE, false, false, false, "/a/b.(x)", List.of("*.(x)"), true),    // regex chars are literal
                Arguments.of(Syntax.LOCATE, false, false, false, "/a/star*name", List.of("star\\*"), true), // escaped: a substring
                Arguments.of(Syntax.LOCATE, false, false, false, "/a/starname", List.of("star\\*"), false),
                Arguments.of(Syntax.LOCATE, false, false, false, "/a/back\\slash", List.of("k\\\\s"), true),
                Arguments.of(Syntax.LOCATE, false, false, true, "/a/B.PDF", List.of("*.pdf"), true),
                Arguments.of(Syntax.LOCATE, true, false, false, "/a/b.pdf", List.of("b*"), true),          // -b: the name
                Arguments.of(Syntax.LOCATE, true, false, false, "/b/x.pdf", List.of("b*"), false),
                Arguments.of(Syntax.LITERAL, true, false, false, "/report/x", List.of("report"), false),
                Arguments.of(Syntax.LITERAL, true, false, false, "/x/report", List.of("report"), true),
                Arguments.of(Syntax.LITERAL, false, true, false, "/x/a", List.of("zzz", "/x/"), true),    // --any
                Arguments.of(Syntax.LITERAL, false, true, false, "/x/a", List.of("zzz", "yyy"), false),
                Arguments.of(Syntax.REGEX, false, false, false, "/a/report-12.pdf", List.of("report-\\d+\\.pdf$"), true),
                Arguments.of(Syntax.REGEX, false, false, false, "/a/report-x.pdf", List.of("report-\\d+\\.pdf$"), false),
                Arguments.of(Syntax.REGEX, false, false, true, "/a/REPORT-1.PDF", List.of("report-\\d+\\.pdf$"), true),
                Arguments.of(Syntax.REGEX, true, false, false, "/report/a", List.of("^rep"), false),
                Arguments.of(Syntax.REGEX, false, false, false, "/caf\u00e9/x", List.of("caf.$|f\u00e9/"), true),
                Arguments.of(Syntax.GLOB, false, false, false, "/a/b", List.of("/a/b"), true),
                Arguments.of(Syntax.GLOB, false, false, false, "/a/bc", List.of("/a/b"), false));
    }

    @ParameterizedTest
    @MethodSource("locate")
    void globsRegexesBasenameAndAny(Syntax syntax, boolean basename, boolean any, boolean ignoreCase, String path,
            List<String> patterns, boolean expected) {
        List<byte[]> raw = patterns.stream().map(PatternsTest::b).toList();
        assertEquals(expected, matches(syntax, basename, any, ignoreCase, b(path), raw), path + " " + patterns);
    }

    @Test
    void aGlobOverInvalidUtf8StillMatchesAndNarrowsOnlyByValidRuns() {
        PathFilter f = Patterns.compile(List.of(new byte[] {'*', 'b', 'a', 'd', (byte) 0xff, '.', 't'}),
                Syntax.LOCATE, false, false, false);
        assertTrue(f.test(new Candidate.Fixed(INVALID, EntryType.FILE, 0, 0)));
        assertEquals("ALL_OF['bad', '.t']", f.narrowing().toString());
    }

    @Test
    void anInvalidRegexIsRefusedWithWhereAndWhat() {
        InvalidQueryException e = assertThrows(InvalidQueryException.class,
                () -> Patterns.compile(List.of(b("a(b")), Syntax.REGEX, false, false, false));
        assertEquals("patterns", e.field());
        assertTrue(e.getMessage().contains("Unclosed group"), e.getMessage());
    }

    @Test
    void narrowingKeepsWhatEveryMatchContains() {
        assertEquals("'report'", narrowing(Syntax.LITERAL, false, "report"));
        assertEquals("ALL_OF['report', '.pdf']", narrowing(Syntax.LOCATE, false, "*report*.pdf"));
        assertEquals("ANY_OF['abc', 'xyz']", narrowing(Syntax.LITERAL, true, "abc", "xyz"));
        assertEquals("none", narrowing(Syntax.LITERAL, true, "abc", ""));
    }

    private static String narrowing(Syntax syntax, boolean any, String... patterns) {
        List<byte[]> raw = java.util.Arrays.stream(patterns).map(PatternsTest::b).toList();
        Narrowing n = Patterns.compile(raw, syntax, false, any, false).narrowing();
        return n.toString();
    }

    private static boolean matches(Syntax syntax, boolean basename, boolean any, boolean ignoreCase, byte[] path,
            List<byte[]> patterns) {
        return Patterns.compile(patterns, syntax, basename, any, ignoreCase)
                .test(new Candidate.Fixed(path, EntryType.FILE, 0, 0));
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
