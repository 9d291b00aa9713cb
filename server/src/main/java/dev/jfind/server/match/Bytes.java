package dev.jfind.server.match;

/** Byte-string search, the inner loop of every substring match. Stateless. */
public final class Bytes {
    private Bytes() {}

    /** Offset of {@code needle} in {@code haystack[from, from + length)} relative to {@code from}, or -1. */
    public static int indexOf(byte[] haystack, int from, int length, byte[] needle) {
        if (needle.length == 0) {
            return 0;
        }
        byte first = needle[0];
        int last = from + length - needle.length;
        outer:
        for (int i = from; i <= last; i++) {
            if (haystack[i] != first) {
                continue;
            }
            for (int k = 1; k < needle.length; k++) {
                if (haystack[i + k] != needle[k]) {
                    continue outer;
                }
            }
            return i - from;
        }
        return -1;
    }

    public static boolean contains(byte[] haystack, byte[] needle) {
        return indexOf(haystack, 0, haystack.length, needle) >= 0;
    }

    static boolean endsWith(byte[] s, int offset, int length, byte[] suffix) {
        if (suffix.length > length) {
            return false;
        }
        int start = offset + length - suffix.length;
        for (int i = 0; i < suffix.length; i++) {
            if (s[start + i] != suffix[i]) {
                return false;
            }
        }
        return true;
    }
}
