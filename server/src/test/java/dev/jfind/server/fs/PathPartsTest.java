package dev.jfind.server.fs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class PathPartsTest {
    /** Bytes of {@code s}, one per char (ISO-8859-1): "\u00ff" is the byte 0xff, not UTF-8. */
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String s(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    /** One path and what each function says of it. */
    private record Row(String path, String parent, String name, int nameOffset, int depth, String below) {}

    private static final List<Row> ROWS = List.of(
            new Row("/", "", "/", 1, 0, "/"),
            new Row("/a", "/", "a", 1, 1, "/a/"),
            new Row("/a/b", "/a", "b", 3, 2, "/a/b/"),
            new Row("/usr/share/doc", "/usr/share", "doc", 11, 3, "/usr/share/doc/"),
            // a trailing slash (never from the kernel): an empty last name under "/a"
            new Row("/a/", "/a", "", 3, 2, "/a//"),
            // bytes that are not UTF-8 are names like any other
            new Row("/\u00ff\u00fe/x\u00c3", "/\u00ff\u00fe", "x\u00c3", 4, 2, "/\u00ff\u00fe/x\u00c3/"),
            new Row("/\u00c3\u0028", "/", "\u00c3\u0028", 1, 1, "/\u00c3\u0028/"),
            // a newline is a byte of a name, not a separator
            new Row("/a\nb/c\n", "/a\nb", "c\n", 5, 2, "/a\nb/c\n/"),
            new Row("/\n", "/", "\n", 1, 1, "/\n/"),
            // the empty path: the parent of "/"
            new Row("", "", "", 0, -1, "/"));

    @Test
    void eachPathSplitsIntoParentAndName() {
        for (Row r : ROWS) {
            byte[] path = b(r.path());
            String at = "for '" + r.path() + "'";
            assertEquals(r.parent(), s(PathParts.parentOf(path)), "parentOf " + at);
            assertEquals(r.name(), s(PathParts.nameOf(path)), "nameOf " + at);
            assertEquals(r.nameOffset(), PathParts.nameOffset(path), "nameOffset " + at);
            assertEquals(r.depth(), PathParts.depth(path), "depth " + at);
            assertEquals(r.path().equals("/"), PathParts.isRoot(path), "isRoot " + at);
            if (!r.path().isEmpty()) {
                assertEquals(r.below(), s(PathParts.below(path)), "below " + at);
                int parentEnd = PathParts.parentEnd(path, path.length);
                assertEquals(r.path().equals("/") ? -1 : r.parent().length(), parentEnd, "parentEnd " + at);
            }
        }
    }

    @Test
    void joiningParentAndNameGivesThePathBack() {
        for (Row r : ROWS) {
            if (r.path().isEmpty() || r.path().endsWith("/") && !r.path().equals("/")) {
                continue; // no trailing slash from the kernel: join never makes one
            }
            byte[] path = b(r.path());
            assertArrayEquals(path, PathParts.join(PathParts.parentOf(path), PathParts.nameOf(path)), r.path());
            assertEquals(PathParts.depth(PathParts.parentOf(path)) + 1, PathParts.depth(path),
                    "one deeper than its parent: " + r.path());
        }
    }

    @Test
    void joinTakesRangesOfLargerArrays() {
        byte[] parent = b("/a/bXXXX");
        byte[] names = b("--c\u00ff\n--");
        assertEquals("/a/b/c\u00ff\n", s(PathParts.join(parent, 4, names, 2, 3)));
        assertEquals("/c", s(PathParts.join(b("/"), 1, names, 2, 1)));
        assertEquals("c\u00ff", s(PathParts.join(parent, 0, names, 2, 2)), "no parent: the name alone");
    }

    @Test
    void parentEndWalksUpToTheRoot() {
        byte[] path = b("/a/\u00ff\n/c");
        int end = path.length;
        StringBuilder seen = new StringBuilder();
        while ((end = PathParts.parentEnd(path, end)) > 0) {
            seen.append(s(java.util.Arrays.copyOf(path, end))).append('|');
        }
        assertEquals("/a/\u00ff\n|/a|/|", seen.toString());
        assertEquals(-1, PathParts.parentEnd(b("x"), 1), "a bare name has no parent");
    }

    @Test
    void inputIsNeverModified() {
        byte[] root = b("/");
        PathParts.below(root);
        PathParts.nameOf(root)[0] = 'x';
        assertEquals("/", s(root));
        assertEquals("/", s(PathParts.nameOf(root)), "nameOf(\"/\") hands out a copy");
    }
}
