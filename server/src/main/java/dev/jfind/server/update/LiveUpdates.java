package dev.jfind.server.update;

import dev.jfind.server.crawl.CrawlStats;
import dev.jfind.server.index.PathIndex;
import dev.jfind.server.watch.DirectoryWatcher;
import dev.jfind.server.watch.WatchingSink;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Applies batches of changed directories from the watcher to the index: each is listed
 * again and compared with the index; new directories below are watched, then listed, with
 * their whole subtree; directories whose events were lost are re-listed with their subtree.
 * Runs on the watcher's thread.
 */
public final class LiveUpdates implements DirectoryWatcher.Applier {
    private final PathIndex index;
    private final DirectoryWatcher watcher;
    /** The current roots and rules: a reload may change them between two batches. */
    private final Supplier<CrawlPlan> plans;

    public LiveUpdates(PathIndex index, DirectoryWatcher watcher, Supplier<CrawlPlan> plans) {
        this.index = index;
        this.watcher = watcher;
        this.plans = plans;
    }

    @Override
    public void apply(List<DirectoryWatcher.Dirty> batch) throws Exception {
        CrawlPlan plan = plans.get();
        List<Path> shallow = new ArrayList<>();
        List<Path> subtrees = new ArrayList<>();
        for (DirectoryWatcher.Dirty d : batch) {
            boolean isRoot = plan.roots().contains(d.dir()); // a root may be a symlink to a directory: follow it
            boolean isDir = isRoot ? Files.isDirectory(d.dir()) : Files.isDirectory(d.dir(), LinkOption.NOFOLLOW_LINKS);
            Path root = rootOf(plan, d.dir());
            if (root == null || !isDir || plan.crawler().excludes(root, d.dir())) {
                // gone, or a watched directory moved out of the tree, or left out by rules
                // changed since it was watched: its parent's listing accounts for it, and its
                // watch would only report what is not to be indexed
                watcher.forget(d.dir());
            } else if (d.subtree()) {
                subtrees.add(d.dir());
            } else {
                shallow.add(d.dir());
            }
        }
        relist(plan, shallow, /* wholeSubtrees= */ false);
        relist(plan, subtrees, /* wholeSubtrees= */ true);
    }

    private void relist(CrawlPlan plan, List<Path> dirs, boolean wholeSubtrees) throws Exception {
        if (dirs.isEmpty()) {
            return;
        }
        PathIndex.CrawlSession session = index.startUpdate(plan.rules(), wholeSubtrees);
        try {
            plan.crawler().relist(dirs, new WatchingSink(session.sink(), watcher), new CrawlStats(),
                    () -> watcher.isClosed() || !index.writable());
        } finally {
            index.finishUpdate(session);
        }
    }

    /** The root {@code dir} is in, or null when it is under none. */
    private static Path rootOf(CrawlPlan plan, Path dir) {
        return plan.roots().stream().filter(dir::startsWith).findFirst().orElse(null);
    }
}
