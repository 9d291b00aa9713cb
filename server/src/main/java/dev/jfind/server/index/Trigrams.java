package dev.jfind.server.index;

import dev.jfind.server.match.CaseFolding;
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
     * The distinct trigrams of every path {@code dir + "/" + name}, for the listing of one
     * directory: the folded directory's own trigrams once, plus for each name the trigrams of
     * the directory's last two folded bytes, the slash and the folded name. Folding works per
     * code point and '/' is ASCII, so this is exactly the union of the folded full paths'
     * trigrams, at a fraction of the work.
     *
     * @param names each child's name as {@code (path, nameOffset)} pairs of its full path
     */
    static int[] ofListing(byte[] dir, java.util.List<byte[]> childPaths, java.util.function.ToIntFunction<byte[]> nameOffset) {
        byte[] foldedDir = CaseFolding.fold(dir);
        IntSet grams = new IntSet(Math.max(64, childPaths.size() * 8));
        for (int g : distinct(foldedDir)) {
            grams.add(g);
        }
        int tail = Math.min(2, foldedDir.length);
        boolean rootDir = dir.length == 1; // "/": children are "/name"
        for (byte[] path : childPaths) {
            int offset = nameOffset.applyAsInt(path);
            byte[] name = CaseFolding.fold(java.util.Arrays.copyOfRange(path, offset, path.length));
            int head = rootDir ? 1 : tail + 1;
            byte[] joined = new byte[head + name.length];
            if (rootDir) {
                joined[0] = '/';
            } else {
                System.arraycopy(foldedDir, foldedDir.length - tail, joined, 0, tail);
                joined[tail] = '/';
            }
            System.arraycopy(name, 0, joined, head, name.length);
            for (int i = 0; i + LENGTH <= joined.length; i++) {
                grams.add(pack(joined, i));
            }
        }
        int[] all = grams.toArray();
        Arrays.sort(all);
        return all;
    }

    /** An open-addressing set of non-negative ints (trigrams use 24 bits); not thread-safe. */
    private static final class IntSet {
        private int[] slots;
        private int size;

        IntSet(int expected) {
            slots = new int[Integer.highestOneBit(expected * 2 - 1) << 1];
            Arrays.fill(slots, -1);
        }

        void add(int v) {
            if (size * 2 >= slots.length) {
                grow();
            }
            int mask = slots.length - 1;
            int i = (v * 0x9E3779B1) >>> 7 & mask;
            while (slots[i] != -1) {
                if (slots[i] == v) {
                    return;
                }
                i = (i + 1) & mask;
            }
            slots[i] = v;
            size++;
        }

        private void grow() {
            int[] old = slots;
            slots = new int[old.length * 2];
            Arrays.fill(slots, -1);
            size = 0;
            for (int v : old) {
                if (v != -1) {
                    add(v);
                }
            }
        }

        int[] toArray() {
            int[] out = new int[size];
            int n = 0;
            for (int v : slots) {
                if (v != -1) {
                    out[n++] = v;
                }
            }
            return out;
        }
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
