package dev.jfind.server.index;

import dev.jfind.server.fs.PathParts;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.jfind.server.match.CaseFolding;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import dev.jfind.server.match.CaseFolding;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class TrigramsTest {

    @Test
    void distinctTrigramsAreSortedAndDeduplicated() {
        int[] grams = Trigrams.distinct(b("aaaa"));
        assertArrayEquals(new int[] {Trigrams.pack(b("aaa"), 0)}, grams);
        assertEquals(3, Trigrams.distinct(b("abcab")).length); // abc bca cab
    }

    @Test
    void tooShortForATrigram() {
        assertEquals(0, Trigrams.distinct(b("")).length);
        assertEquals(0, Trigrams.distinct(b("ab")).length);
        assertEquals(0, Trigrams.required(b("ab")).length);
    }

    @Test
    void requiredTrigramsAreFoldedSoOneFieldServesBothCases() {
        assertArrayEquals(Trigrams.required(b("abc")), Trigrams.required(b("ABC")));
    }

    @Test
    void everyRequiredTrigramOccursInAPathThatContainsThePattern() {
        byte[] path = b("/home/\u00c9cole/R\u00e9sum\u00e9 2024 \u212aelvin.PDF");
        byte[][] patterns = {b("sum\u00e9 20"), b("\u00c9cole"), b("PDF"), sub(path, 9, 14), sub(path, 10, 20)};
        int[] pathGrams = Trigrams.distinct(CaseFolding.fold(path));
        for (byte[] p : patterns) {
            for (int g : Trigrams.required(p)) {
                assertTrue(Arrays.binarySearch(pathGrams, g) >= 0, () -> "missing trigram of " + Arrays.toString(p));
            }
        }
    }

    @Test
    void listingTrigramsAreExactlyTheUnionOfTheChildrensFoldedPaths() {
        String[][] listings = {
            {"/", "/Home", "/\u00c9tc", "/x"},
            {"/srv/\u2160DATA\u24b6", "/srv/\u2160DATA\u24b6/\u24b6b\u00c7", "/srv/\u2160DATA\u24b6/Q"},
            {"", "/"},
            {"/a", "/a/b", "/a/LONGER-name.TXT"},
        };
        for (String[] listing : listings) {
            byte[] dir = b(listing[0]);
            java.util.List<byte[]> children = new java.util.ArrayList<>();
            java.util.TreeSet<Integer> expected = new java.util.TreeSet<>();
            for (int i = 1; i < listing.length; i++) {
                children.add(b(listing[i]));
                for (int g : Trigrams.distinct(CaseFolding.fold(b(listing[i])))) {
                    expected.add(g);
                }
            }
            int[] actual = Trigrams.ofListing(dir, children, PathParts::nameOffset);
            assertArrayEquals(expected.stream().mapToInt(Integer::intValue).toArray(), actual, listing[0]);
        }
    }

    @Test
    void longPatternsAreSampled() {
        byte[] longPattern = new byte[10_000];
        for (int i = 0; i < longPattern.length; i++) {
            longPattern[i] = (byte) ('a' + (i * 7 % 26));
        }
        assertTrue(Trigrams.required(longPattern).length <= Trigrams.MAX_QUERY_TRIGRAMS);
    }

    @Test
    void packAndUnpackRoundTrip() {
        byte[] in = {(byte) 0xff, 0, '/'};
        byte[] out = new byte[3];
        Trigrams.unpack(Trigrams.pack(in, 0), out);
        assertArrayEquals(in, out);
    }

    private static byte[] sub(byte[] b, int from, int to) {
        return Arrays.copyOfRange(b, from, to);
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
