package dev.jfind.server.watch;

import dev.jfind.server.crawl.Entry;
import dev.jfind.server.crawl.ListingSink;
import java.util.List;

/**
 * A sink that starts watching every directory just before the crawl lists (or reuses) it,
 * and passes everything else on.
 */
public final class WatchingSink implements ListingSink {
    private final ListingSink delegate;
    private final DirectoryWatcher watcher;

    public WatchingSink(ListingSink delegate, DirectoryWatcher watcher) {
        this.delegate = delegate;
        this.watcher = watcher;
    }

    @Override
    public void root(Entry root) {
        delegate.root(root);
    }

    @Override
    public void rootMissing(byte[] root) {
        delegate.rootMissing(root);
    }

    @Override
    public List<Entry> reuse(Entry dir) {
        return delegate.reuse(dir);
    }

    @Override
    public void entering(Entry dir) {
        watcher.watch(dir.file(), dir.fileKey(), dir.mtimeMillis());
        delegate.entering(dir);
    }

    @Override
    public List<Entry> listed(Entry dir, List<Entry> children) {
        return delegate.listed(dir, children);
    }

    @Override
    public void notListed(Entry dir) {
        delegate.notListed(dir);
    }
}
