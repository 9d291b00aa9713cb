package dev.jfind.server;

import dev.jfind.server.crawl.CrawlStats;
import dev.jfind.server.crawl.Crawler;
import dev.jfind.server.index.PathIndex;
import dev.jfind.server.watch.DirectoryWatcher;
import dev.jfind.server.watch.WatchingSink;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Applies batches of changed directories from the watcher to the index: each is listed
 * again and compared with the index; new directories below are watched, then listed, with
 * their whole subtree; directories whose events were lost are re-listed with their subtree.
 * Runs on the watcher's thread.
 */
final class LiveUpdates implements DirectoryWatcher.Applier {
    private final PathIndex index;
    private final Crawler crawler;
    private final DirectoryWatcher watcher;
    private final List<Path> roots;

    LiveUpdates(PathIndex index, Crawler crawler, DirectoryWatcher watcher, List<Path> roots) {
        this.index = index;
        this.crawler = crawler;
        this.watcher = watcher;
        this.roots = List.copyOf(roots);
    }

    @Override
    public void apply(List<DirectoryWatcher.Dirty> batch) throws Exception {
        List<Path> shallow = new ArrayList<>();
        List<Path> subtrees = new ArrayList<>();
        for (DirectoryWatcher.Dirty d : batch) {
            boolean isRoot = roots.contains(d.dir()); // a root may be a symlink to a directory: follow it
            boolean isDir = isRoot ? Files.isDirectory(d.dir()) : Files.isDirectory(d.dir(), LinkOption.NOFOLLOW_LINKS);
            if (!underRoots(d.dir()) || !isDir) {
                // gone, or a watched directory moved out of the tree: its parent's listing
                // accounts for it, and its watch would only report from elsewhere
                watcher.forget(d.dir());
            } else if (d.subtree()) {
                subtrees.add(d.dir());
            } else {
                shallow.add(d.dir());
            }
        }
        relist(shallow, /* wholeSubtrees= */ false);
        relist(subtrees, /* wholeSubtrees= */ true);
    }

    private void relist(List<Path> dirs, boolean wholeSubtrees) throws Exception {
        if (dirs.isEmpty()) {
            return;
        }
        PathIndex.CrawlSession session = index.startUpdate(wholeSubtrees);
        try {
            crawler.relist(dirs, new WatchingSink(session.sink(), watcher), new CrawlStats(), watcher::isClosed);
        } finally {
            index.finishUpdate(session);
        }
    }

    private boolean underRoots(Path dir) {
        return roots.stream().anyMatch(dir::startsWith);
    }
}
