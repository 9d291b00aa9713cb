package dev.jfind.server.crawl;

import dev.jfind.server.fs.MountTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/** What every task of one crawl shares. Thread-safe. */
final class CrawlContext {
    final ListingSink sink;
    final Exclusions exclusions;
    final CrawlStats stats;
    final DirectoryLocks locks;
    private final MountTable mounts;
    private final BooleanSupplier stopRequested;
    /** Device and inode of every directory entered, so a bind-mount loop is entered once. */
    private final Set<Object> visited = ConcurrentHashMap.newKeySet();

    CrawlContext(ListingSink sink, Exclusions exclusions, CrawlStats stats, DirectoryLocks locks, MountTable mounts,
            BooleanSupplier stopRequested) {
        this.sink = sink;
        this.locks = locks;
        this.exclusions = exclusions;
        this.stats = stats;
        this.mounts = mounts;
        this.stopRequested = stopRequested;
    }

    boolean stopped() {
        return stopRequested.getAsBoolean();
    }

    /**
     * The directories of {@code dirs} to enter; the rest (mount points of excluded file
     * system types, directories already entered) are reported as not listed.
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

    boolean enter(Entry dir) {
        if (exclusions.excludesFsType(mounts.typeAt(dir.path()))) {
            stats.excluded.increment();
            sink.notListed(dir);
            return false;
        }
        if (dir.fileKey() != null && !visited.add(dir.fileKey())) {
            sink.notListed(dir); // a bind mount seen twice, or a loop
            return false;
        }
        return true;
    }
}
