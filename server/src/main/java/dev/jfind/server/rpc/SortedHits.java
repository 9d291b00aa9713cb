package dev.jfind.server.rpc;

import dev.jfind.api.v1.SortKey;
import dev.jfind.server.fs.PathParts;
import dev.jfind.server.index.Hit;
import dev.jfind.server.index.HitConsumer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Collects the matches of a sorted search, then hands them on in order. With a limit only
 * the best {@code limit} are kept (a heap), so "the 10 largest files" costs little memory
 * however many paths match. Without one, at most {@link #MAX_UNLIMITED} are held.
 */
final class SortedHits implements HitConsumer {
    /** Matches a sorted search without a limit may hold (about 150 bytes each). */
    static final int MAX_UNLIMITED = 2_000_000;

    private final Comparator<Hit> order;
    private final long limit;
    private final PriorityQueue<Hit> best;
    private final List<Hit> all;
    private boolean overflowed;

    SortedHits(SortKey key, boolean reverse, long limit) {
        Comparator<Hit> byKey = comparator(key);
        this.order = reverse ? byKey.reversed() : byKey;
        this.limit = limit;
        if (limit > 0 && limit <= MAX_UNLIMITED) {
            best = new PriorityQueue<>(order.reversed()); // the worst kept hit on top, to drop
            all = null;
        } else {
            best = null;
            all = new ArrayList<>();
        }
    }

    static Comparator<Hit> comparator(SortKey key) {
        Comparator<Hit> byPath = (a, b) -> Arrays.compareUnsigned(a.path(), b.path());
        switch (key) {
            case SORT_KEY_NAME:
                return Comparator.<Hit, byte[]>comparing(h -> PathParts.nameOf(h.path()), Arrays::compareUnsigned).thenComparing(byPath);
            case SORT_KEY_SIZE:
                return Comparator.comparingLong(Hit::size).thenComparing(byPath);
            case SORT_KEY_MTIME:
                return Comparator.comparingLong(Hit::mtimeMillis).thenComparing(byPath);
            default:
                return byPath;
        }
    }

    @Override
    public boolean accept(Hit hit) {
        if (best != null) {
            best.add(hit);
            if (best.size() > limit) {
                best.poll();
            }
            return true;
        }
        if (all.size() >= MAX_UNLIMITED) {
            overflowed = true;
            return false;
        }
        all.add(hit);
        return true;
    }

    /** Whether more matched than an unlimited sort may hold: the results would be wrong. */
    boolean overflowed() {
        return overflowed;
    }

    /** Feeds the collected hits to {@code next} in order, until it says stop. */
    void drainTo(HitConsumer next) {
        List<Hit> sorted = best != null ? new ArrayList<>(best) : all;
        sorted.sort(order);
        for (Hit hit : sorted) {
            if (!next.accept(hit)) {
                return;
            }
        }
    }
}
