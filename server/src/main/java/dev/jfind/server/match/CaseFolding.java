package dev.jfind.server.match;

/**
 * Unicode simple case folding over raw file-name bytes. Valid UTF-8 code points are folded
 * ({@code toLowerCase(toUpperCase(c))}, so K and the Kelvin sign, or σ and ς, meet); every
 * byte that is not part of a valid sequence passes through unchanged. So a folded name is
 * still the same bytes wherever it was not valid text, and folding a substring (cut on code
 * point boundaries) gives a substring of the folded whole.
 *
 * <p>Stateless; thread-safe.
 */
public final class CaseFolding {
    private CaseFolding() {}

    /** The folded bytes; {@code s} itself when folding changes nothing. */
    public static byte[] fold(byte[] s) {
        boolean ascii = true;
        boolean upper = false;
        for (byte b : s) {
            if (b < 0) {
                ascii = false;
                break;
            }
            upper |= b >= 'A' && b <= 'Z';
        }
        if (ascii) {
            return upper ? foldAscii(s) : s;
        }
        return foldUtf8(s);
    }

    private static byte[] foldAscii(byte[] s) {
        byte[] out = s.clone();
        for (int i = 0; i < out.length; i++) {
            if (out[i] >= 'A' && out[i] <= 'Z') {
                out[i] += 'a' - 'A';
            }
        }
        return out;
    }

    private static byte[] foldUtf8(byte[] s) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(s.length + 8);
        int i = 0;
        while (i < s.length) {
            int len = sequenceLength(s, i);
            if (len == 0) {
                out.write(s[i]); // not valid UTF-8: the raw byte is its own fold
                i++;
                continue;
            }
            int cp = decode(s, i, len);
            int folded = Character.toLowerCase(Character.toUpperCase(cp));
            if (folded == cp) {
                out.write(s, i, len);
            } else {
                encode(folded, out);
            }
            i += len;
        }
        return out.toByteArray();
    }

    /**
     * Drops what may be a partial code point at either end of a pattern: leading
     * continuation bytes and a trailing sequence that is cut short. What is left folds to a
     * substring of the folded path wherever the pattern occurs in the path.
     */
    public static byte[] trimPartialCodePoints(byte[] p) {
        int start = 0;
        while (start < p.length && start < 3 && isContinuation(p[start])) {
            start++;
        }
        int end = p.length;
        for (int back = 1; back <= 3 && end - back >= start; back++) {
            int b = p[end - back] & 0xff;
            if (b >= 0xC2 && b <= 0xF4) { // a lead byte (C0, C1, F5-FF never are)
                int expected = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2;
                if (expected > back) {
                    end -= back;
                }
                break;
            }
            if (!isContinuation((byte) b)) {
                break;
            }
        }
        return start == 0 && end == p.length ? p : java.util.Arrays.copyOfRange(p, start, end);
    }

    private static boolean isContinuation(byte b) {
        return (b & 0xC0) == 0x80;
    }

    /** Length of the valid UTF-8 sequence at {@code i}, or 0 if none starts there. */
    public static int sequenceLength(byte[] s, int i) {
        int b0 = s[i] & 0xff;
        if (b0 < 0x80) {
            return 1;
        }
        int len;
        int lo = 0x80;
        int hi = 0xBF;
        if (b0 >= 0xC2 && b0 <= 0xDF) {
            len = 2;
        } else if (b0 >= 0xE0 && b0 <= 0xEF) {
            len = 3;
            if (b0 == 0xE0) {
                lo = 0xA0; // no overlong forms
            } else if (b0 == 0xED) {
                hi = 0x9F; // no surrogates
            }
        } else if (b0 >= 0xF0 && b0 <= 0xF4) {
            len = 4;
            if (b0 == 0xF0) {
                lo = 0x90;
            } else if (b0 == 0xF4) {
                hi = 0x8F; // nothing above U+10FFFF
            }
        } else {
            return 0;
        }
        if (i + len > s.length) {
            return 0;
        }
        int b1 = s[i + 1] & 0xff;
        if (b1 < lo || b1 > hi) {
            return 0;
        }
        for (int k = 2; k < len; k++) {
            if (!isContinuation(s[i + k])) {
                return 0;
            }
        }
        return len;
    }

    private static int decode(byte[] s, int i, int len) {
        int b0 = s[i] & 0xff;
        switch (len) {
            case 1:
                return b0;
            case 2:
                return ((b0 & 0x1F) << 6) | (s[i + 1] & 0x3F);
            case 3:
                return ((b0 & 0x0F) << 12) | ((s[i + 1] & 0x3F) << 6) | (s[i + 2] & 0x3F);
            default:
                return ((b0 & 0x07) << 18) | ((s[i + 1] & 0x3F) << 12) | ((s[i + 2] & 0x3F) << 6)
                        | (s[i + 3] & 0x3F);
        }
    }

    private static void encode(int cp, java.io.ByteArrayOutputStream out) {
        if (cp < 0x80) {
            out.write(cp);
        } else if (cp < 0x800) {
            out.write(0xC0 | (cp >> 6));
            out.write(0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            out.write(0xE0 | (cp >> 12));
            out.write(0x80 | ((cp >> 6) & 0x3F));
            out.write(0x80 | (cp & 0x3F));
        } else {
            out.write(0xF0 | (cp >> 18));
            out.write(0x80 | ((cp >> 12) & 0x3F));
            out.write(0x80 | ((cp >> 6) & 0x3F));
            out.write(0x80 | (cp & 0x3F));
        }
    }
}
