package dev.jfind.server.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jfind.server.match.CaseFolding;
import dev.jfind.server.match.Narrowing;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class RegexLiteralsTest {
    @ParameterizedTest
    @CsvSource(delimiterString = " => ", quoteCharacter = '"', value = {
        "report-\\d+\\.pdf$ => ALL_OF['report-', '.pdf']",
        "abc => 'abc'",
        "ab?c => ALL_OF['a', 'c']",
        "abc*d => ALL_OF['ab', 'd']",
        "abc+d => ALL_OF['abc', 'd']",
        "(foo|bar)baz => ALL_OF[ANY_OF['foo', 'bar'], 'baz']",
        "(foo|bar)?baz => 'baz'",
        "foo|b => ANY_OF['foo', 'b']",
        "foo| => none",
        "[abc]def => 'def'",
        "(?i)readme => 'readme'",
        "(?x) a b c => none",
        "(?=abc)x => 'x'",
        "a{0,3}bcd => 'bcd'",
        "a{2}bcd => ALL_OF['a', 'bcd']",
        "\\Qa.b\\Ecde => 'cde'",
        "\\.tar\\.gz$ => '.tar.gz'",
        ".* => none",
    })
    void requiredLiterals(String regex, String expected) {
        assertEquals(expected, RegexLiterals.of(regex.strip()).toString());
    }

    /** Soundness: every text a regex finds contains what the narrowing promises. */
    @Test
    void neverPromisesMoreThanEveryMatchHolds() {
        List<String> regexes = List.of("ab?c", "a+b", "(ab|cd)e", "a(bc)*d", "ab{0,2}c", "[ab]c|d", "a.c",
                "(?:ab)+c", "a|bc", "(a|b)(c|d)", "ab?", "a*b*c", "^ab$", "(?i)AbC", "x(?!a)bc", "a{1,2}bc");
        Random random = new Random(7);
        for (String regex : regexes) {
            Pattern p = Pattern.compile(regex);
            Narrowing n = RegexLiterals.of(regex);
            for (int i = 0; i < 4000; i++) {
                String text = randomText(random);
                if (p.matcher(text).find()) {
                    assertTrue(holds(n, CaseFolding.fold(text.getBytes(StandardCharsets.UTF_8))),
                            regex + " found in '" + text + "' but narrowing " + n + " does not hold");
                }
            }
        }
    }

    private static boolean holds(Narrowing n, byte[] folded) {
        switch (n.kind()) {
            case NONE:
                return true;
            case LITERAL:
                return dev.jfind.server.match.Bytes.contains(folded, CaseFolding.fold(n.literal()));
            case ALL_OF:
                return n.parts().stream().allMatch(p -> holds(p, folded));
            default:
                return n.parts().stream().anyMatch(p -> holds(p, folded));
        }
    }

    private static String randomText(Random random) {
        StringBuilder s = new StringBuilder();
        int length = random.nextInt(8);
        for (int i = 0; i < length; i++) {
            s.append("abcdABx".charAt(random.nextInt(7)));
        }
        return s.toString();
    }
}
