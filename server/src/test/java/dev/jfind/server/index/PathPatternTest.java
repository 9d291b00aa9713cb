package dev.jfind.server.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PathPatternTest {
    private static final byte[] INVALID = {'/', 'x', '/', 'b', 'a', 'd', (byte) 0xff, '.', 't'};

    static Stream<Arguments> cases() {
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
    @MethodSource("cases")
    void matchesExactly(byte[] path, List<byte[]> patterns, boolean ignoreCase, boolean expected) {
        assertEquals(expected, PathPattern.substrings(patterns, ignoreCase).matches(path));
    }

    @Test
    void shortPatternsCheckEveryPath() {
        assertNull(PathPattern.substrings(List.of(b("ab")), false).listingCandidates());
        assertNull(PathPattern.substrings(List.of(), false).listingCandidates());
        assertNotNull(PathPattern.substrings(List.of(b("abc")), false).listingCandidates());
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
