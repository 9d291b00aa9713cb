package dev.jfind.server.crawl;

import dev.jfind.server.fs.MountTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/** What every task of one crawl shares. Thread-safe. */
final class CrawlContext {
    final ListingSink sink;
    final Exclusions exclusions;
    final CrawlStats stats;
    final DirectoryLocks locks;
    private final MountTable mounts;
    /** The bind mounts updatedb's rules keep the crawl out of, found once per crawl. */
    private final java.util.Set<java.nio.ByteBuffer> prunedBindMounts;
    private final BooleanSupplier stopRequested;
    /**
     * Device and inode of every directory entered, with the path it was entered by, so a
     * bind mount (or loop) is entered once; the same path reached twice (an update that
     * re-lists a directory and its changed parent) is simply skipped.
     */
    private final Map<Object, java.nio.ByteBuffer> visited = new ConcurrentHashMap<>();

    CrawlContext(ListingSink sink, Exclusions exclusions, CrawlStats stats, DirectoryLocks locks, MountTable mounts,
            BooleanSupplier stopRequested) {
        this.sink = sink;
        this.locks = locks;
        this.exclusions = exclusions;
        this.stats = stats;
        this.mounts = mounts;
        this.prunedBindMounts = exclusions.bindMountsIn(mounts);
        this.stopRequested = stopRequested;
    }

    boolean stopped() {
        return stopRequested.getAsBoolean();
    }

    /**
     * The directories of {@code dirs} to enter; the rest (mount points of excluded file
     * system types, directories pruned by updatedb's rules, directories already entered) are
     * reported as not listed.
     */
    List<Entry> descendable(List<Entry> dirs) {
        List<Entry> result = new ArrayList<>(dirs.size());
        for (Entry d : dirs) {
            if (enter(d)) {
                result.add(d);
            }
        }
        return result;
    }

    /** For a directory whose file key was read only now: the check {@link #enter} could not make. */
    boolean enterRefreshed(Entry dir) {
        return firstVisit(dir);
    }

    /** False for a directory entered before: by another path it is reported not listed. */
    private boolean firstVisit(Entry dir) {
        java.nio.ByteBuffer path = java.nio.ByteBuffer.wrap(dir.path());
        java.nio.ByteBuffer earlier = visited.putIfAbsent(dir.fileKey(), path);
        if (earlier == null) {
            return true;
        }
        if (!earlier.equals(path)) {
            sink.notListed(dir); // a bind mount seen twice, or a loop
        }
        return false;
    }

    boolean enter(Entry dir) {
        if (exclusions.excludesFsType(mounts.typeAt(dir.path()))
                || exclusions.prunes(dir, mounts, prunedBindMounts)) {
            stats.excluded.increment();
            sink.notListed(dir);
            return false;
        }
        return dir.fileKey() == null || firstVisit(dir);
    }
}
