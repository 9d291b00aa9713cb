package dev.jfind.server.match;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CaseFoldingTest {

    static Stream<Arguments> folds() {
        return Stream.of(
                Arguments.of(b(""), b("")),
                Arguments.of(b("abc"), b("abc")),
                Arguments.of(b("ABC/Def.TXT"), b("abc/def.txt")),
                Arguments.of(b("\u00c9COLE"), b("\u00e9cole")),
                Arguments.of(b("\u212aelvin"), b("kelvin")),            // Kelvin sign folds with K
                Arguments.of(b("\u03a3\u03c2\u03c3"), b("\u03c3\u03c3\u03c3")), // sigma, final sigma
                Arguments.of(b("\u65e5\u672c"), b("\u65e5\u672c")),      // no case: unchanged
                Arguments.of(b("\ud83d\ude00X"), b("\ud83d\ude00x")),    // 4-byte code point kept
                // not valid UTF-8: bytes pass through, valid parts around them still fold
                Arguments.of(new byte[] {'A', (byte) 0xff, 'B'}, new byte[] {'a', (byte) 0xff, 'b'}),
                Arguments.of(new byte[] {(byte) 0xc3}, new byte[] {(byte) 0xc3}),             // truncated
                Arguments.of(new byte[] {(byte) 0xc0, (byte) 0x80}, new byte[] {(byte) 0xc0, (byte) 0x80}), // overlong
                Arguments.of(new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80},                 // surrogate
                        new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80}),
                Arguments.of(new byte[] {(byte) 0xc3, (byte) 0x89, (byte) 0xff},                 // É then junk
                        new byte[] {(byte) 0xc3, (byte) 0xa9, (byte) 0xff}));
    }

    @ParameterizedTest
    @MethodSource("folds")
    void foldsCodePointsAndKeepsInvalidBytes(byte[] in, byte[] expected) {
        assertArrayEquals(expected, CaseFolding.fold(in));
    }

    @Test
    void unchangedInputIsReturnedWithoutCopy() {
        byte[] lower = b("/home/user/file.txt");
        assertSame(lower, CaseFolding.fold(lower));
    }

    static Stream<Arguments> trims() {
        return Stream.of(
                Arguments.of(b("abc"), b("abc")),
                Arguments.of(new byte[] {(byte) 0xa9, 'x'}, b("x")),                     // leading continuation
                Arguments.of(new byte[] {'x', (byte) 0xc3}, b("x")),                     // cut 2-byte lead
                Arguments.of(new byte[] {'x', (byte) 0xe2, (byte) 0x82}, b("x")),        // cut 3-byte sequence
                Arguments.of(b("x\u20ac"), b("x\u20ac")),                                // complete stays
                Arguments.of(new byte[] {'x', (byte) 0xff}, new byte[] {'x', (byte) 0xff})); // invalid, not partial
    }

    @ParameterizedTest
    @MethodSource("trims")
    void trimsPartialCodePointsAtTheEdges(byte[] in, byte[] expected) {
        assertArrayEquals(expected, CaseFolding.trimPartialCodePoints(in));
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
