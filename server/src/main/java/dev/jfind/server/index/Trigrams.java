package dev.jfind.server.index;

import java.util.Arrays;

/**
 * Byte trigrams, the n-grams that let a substring search skip the term dictionary: a path
 * contains a pattern only if it contains every trigram of the pattern. Trigrams are taken
 * from case-folded bytes, so one index field serves case-sensitive and -i searches alike
 * (the exact check afterwards restores case sensitivity). A trigram is packed into the low
 * 24 bits of an int.
 *
 * <p>Stateless; thread-safe.
 */
final class Trigrams {
    static final int LENGTH = 3;
    /** A longer pattern's trigrams are sampled: more narrow little and each one costs a lookup. */
    static final int MAX_QUERY_TRIGRAMS = 16;

    private Trigrams() {}

    /** The distinct trigrams of {@code bytes}, sorted. */
    static int[] distinct(byte[] bytes) {
        int n = bytes.length - LENGTH + 1;
        if (n <= 0) {
            return new int[0];
        }
        int[] grams = new int[n];
        for (int i = 0; i < n; i++) {
            grams[i] = pack(bytes, i);
        }
        Arrays.sort(grams);
        int unique = 0;
        for (int i = 0; i < n; i++) {
            if (unique == 0 || grams[unique - 1] != grams[i]) {
                grams[unique++] = grams[i];
            }
        }
        return unique == n ? grams : Arrays.copyOf(grams, unique);
    }

    /**
     * Trigrams every path containing {@code pattern} must have (folded). Empty when the
     * pattern is too short to narrow anything: the caller then checks every path.
     */
    static int[] required(byte[] pattern) {
        byte[] folded = CaseFolding.fold(CaseFolding.trimPartialCodePoints(pattern));
        int[] all = distinct(folded);
        if (all.length <= MAX_QUERY_TRIGRAMS) {
            return all;
        }
        int[] sample = new int[MAX_QUERY_TRIGRAMS];
        for (int i = 0; i < sample.length; i++) {
            sample[i] = all[(int) ((long) i * all.length / sample.length)];
        }
        return sample;
    }

    static int pack(byte[] b, int i) {
        return ((b[i] & 0xff) << 16) | ((b[i + 1] & 0xff) << 8) | (b[i + 2] & 0xff);
    }

    static void unpack(int gram, byte[] into) {
        into[0] = (byte) (gram >>> 16);
        into[1] = (byte) (gram >>> 8);
        into[2] = (byte) gram;
    }
}
