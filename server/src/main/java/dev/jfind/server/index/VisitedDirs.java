package dev.jfind.server.index;

/**
 * The directories one crawl has seen, as 64-bit hashes of their paths in an open-addressing
 * table of primitive longs: 8 to 16 bytes per directory, no object per entry, so marking
 * costs next to nothing beside the index lookup each directory needs anyway. Two paths with
 * the same hash (about one chance in 10^7 on a million directories) only let an orphaned
 * listing live until the next crawl; nothing seen is ever taken for unseen.
 *
 * <p>Thread-safe: crawl workers add concurrently.
 */
final class VisitedDirs {
    /** Marks an empty slot; a path that hashes to it is stored as {@link #ZERO_STAND_IN}. */
    private static final long EMPTY = 0;
    private static final long ZERO_STAND_IN = 1;

    private long[] slots = new long[1 << 12];
    private int size;

    /** Records {@code dir} as seen. */
    void add(byte[] dir) {
        add(hash(dir, 0, dir.length));
    }

    /** Whether {@code dir} (the bytes {@code offset} to {@code offset + length}) was seen. */
    boolean contains(byte[] dir, int offset, int length) {
        return contains(hash(dir, offset, length));
    }

    synchronized int size() {
        return size;
    }

    private synchronized void add(long h) {
        if (insert(slots, h)) {
            size++;
            if (size * 4L > slots.length * 3L) { // keep the load under 3/4: probes stay short
                long[] bigger = new long[slots.length * 2];
                for (long old : slots) {
                    if (old != EMPTY) {
                        insert(bigger, old);
                    }
                }
                slots = bigger;
            }
        }
    }

    private synchronized boolean contains(long h) {
        int mask = slots.length - 1;
        for (int i = (int) h & mask; ; i = (i + 1) & mask) {
            if (slots[i] == h) {
                return true;
            }
            if (slots[i] == EMPTY) {
                return false;
            }
        }
    }

    /** Adds {@code h} to {@code table} (which has a free slot); false if it was there. */
    private static boolean insert(long[] table, long h) {
        int mask = table.length - 1;
        for (int i = (int) h & mask; ; i = (i + 1) & mask) {
            if (table[i] == h) {
                return false;
            }
            if (table[i] == EMPTY) {
                table[i] = h;
                return true;
            }
        }
    }

    /**
     * 64-bit FNV-1a of the bytes, then MurmurHash3's finalizer so that the low bits (the
     * table index) depend on every byte. Never {@link #EMPTY}.
     */
    static long hash(byte[] bytes, int offset, int length) {
        long h = 0xcbf29ce484222325L;
        for (int i = offset; i < offset + length; i++) {
            h ^= bytes[i] & 0xff;
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h == EMPTY ? ZERO_STAND_IN : h;
    }
}
