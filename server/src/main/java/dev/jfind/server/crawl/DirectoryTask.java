package dev.jfind.server.crawl;

import dev.jfind.server.fs.PathBytes;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * Lists one directory: reports its entries to the sink and returns the subdirectories to
 * crawl next. All it shares with other tasks is the sink, the stats and the visited set,
 * each of them thread-safe.
 */
final class DirectoryTask implements Callable<List<Entry>> {
    private Entry dir;
    private final CrawlContext context;

    DirectoryTask(Entry dir, CrawlContext context) {
        this.dir = dir;
        this.context = context;
    }

    @Override
    public List<Entry> call() {
        if (context.stopped()) {
            return List.of();
        }
        if (dir.fileKey() == null) {
            if (!refresh()) {
                return List.of(); // known from the index only, and no longer a directory
            }
            if (!context.enterRefreshed(dir)) {
                return List.of(); // reached twice (a bind mount): entered once only
            }
        }
        context.sink.entering(dir);
        // Listing and writing one directory happen under its lock, so a live update and a
        // crawl of the same directory cannot interleave: the later listing is written last.
        java.util.concurrent.locks.Lock lock = context.locks.lockFor(dir.path());
        lock.lock();
        try {
            return listAndReport();
        } finally {
            lock.unlock();
        }
    }

    private List<Entry> listAndReport() {
        List<Entry> reused = context.sink.reuse(dir);
        if (reused != null) {
            context.stats.reused.increment();
            return context.descendable(reused);
        }
        List<Entry> children = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir.file())) {
            // Relative to the open directory (fstatat) when the platform allows: the kernel
            // skips walking the whole path again for every entry.
            SecureDirectoryStream<Path> relative =
                    stream instanceof SecureDirectoryStream ? (SecureDirectoryStream<Path>) stream : null;
            for (Path child : stream) {
                Entry entry = stat(child, relative);
                if (entry == null) {
                    continue;
                }
                context.stats.entries.increment();
                if (context.exclusions.excludesName(entry.path(), entry.nameOffset())
                        || context.exclusions.excludesPath(entry.path())) {
                    context.stats.excluded.increment();
                    continue;
                }
                children.add(entry);
            }
        } catch (NoSuchFileException | NotDirectoryException e) {
            context.stats.vanished.increment(); // removed or replaced by a file since listed
            context.sink.notListed(dir);
            return List.of();
        } catch (AccessDeniedException e) {
            context.stats.unreadable.increment();
            context.sink.notListed(dir);
            return List.of();
        } catch (IOException | DirectoryIteratorException e) {
            context.stats.unreadable.increment();
            context.sink.notListed(dir);
            return List.of();
        }
        context.stats.directories.increment();
        return context.descendable(context.sink.listed(dir, children));
    }

    /**
     * Reads the attributes of a directory the crawl knows only from the index (its parent's
     * listing was reused): its current mtime decides whether it must be listed again.
     */
    private boolean refresh() {
        try {
            BasicFileAttributes attrs =
                    Files.readAttributes(dir.file(), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!attrs.isDirectory()) {
                return false;
            }
            dir = Entry.of(dir.path(), dir.file(), attrs);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The child's entry, or null when it vanished before we could stat it. */
    private Entry stat(Path child, SecureDirectoryStream<Path> relative) {
        try {
            BasicFileAttributes attrs = relative != null
                    ? relative.getFileAttributeView(child.getFileName(), BasicFileAttributeView.class,
                            LinkOption.NOFOLLOW_LINKS).readAttributes()
                    : Files.readAttributes(child, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return Entry.of(PathBytes.of(child), child, attrs);
        } catch (NoSuchFileException e) {
            context.stats.vanished.increment();
            return null;
        } catch (FileSystemException e) {
            // e.g. ENAMETOOLONG beyond PATH_MAX: counted, not fatal
            context.stats.unreadable.increment();
            return null;
        } catch (IOException e) {
            context.stats.unreadable.increment();
            return null;
        }
    }
}
