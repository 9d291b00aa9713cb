package dev.jfind.server.access;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One caller's recent decisions about directories, least recently used dropped first and
 * each forgotten after its time to live, so a chmod takes effect within that time.
 *
 * <p>Thread-safe (searches of one caller may run at once).
 */
final class DirectoryVerdicts {
    /**
     * What one caller may do with one directory.
     *
     * @param listable it and every directory above it are readable and searchable (r and x):
     *     the caller could list their way down to it, so its entries are visible to them
     */
    record Verdict(boolean listable, long expiresNanos) {}

    private final int capacity;
    private final Map<ByteBuffer, Verdict> verdicts;

    DirectoryVerdicts(int capacity) {
        this.capacity = capacity;
        this.verdicts = new LinkedHashMap<>(64, 0.75f, /* accessOrder= */ true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<ByteBuffer, Verdict> eldest) {
                return size() > DirectoryVerdicts.this.capacity;
            }
        };
    }

    /** The verdict on {@code dir} if one is known and still fresh at {@code nowNanos}, else null. */
    synchronized Verdict get(ByteBuffer dir, long nowNanos) {
        Verdict v = verdicts.get(dir);
        if (v != null && nowNanos - v.expiresNanos() >= 0) {
            verdicts.remove(dir);
            return null;
        }
        return v;
    }

    /** Remembers a verdict; {@code dir} must not change afterwards. */
    synchronized void put(ByteBuffer dir, Verdict v) {
        verdicts.put(dir, v);
    }

    synchronized int size() {
        return verdicts.size();
    }
}
