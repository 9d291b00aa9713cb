package dev.jfind.server.crawl;

import dev.jfind.server.concurrent.NamedThreads;
import dev.jfind.server.fs.MountTable;
import dev.jfind.server.fs.PathBytes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * The parallel breadth-first crawl. A pool of workers runs {@link DirectoryTask}s; each
 * lists one directory and returns the subdirectories to enter, which the coordinator (the
 * thread that calls {@link #crawl} or {@link #relist}) submits as new tasks, until no task
 * is left. Symbolic links are indexed but never followed. Knows nothing of the index: all it
 * sees goes to a {@link ListingSink}.
 *
 * <p>Thread-safe: a full crawl and live updates may run at once; listings of one directory
 * are serialized.
 */
public final class Crawler {
    private final Exclusions exclusions;
    private final int threads;
    private final DirectoryLocks locks;

    public Crawler(Exclusions exclusions, int threads) {
        this(exclusions, threads, new DirectoryLocks());
    }

    private Crawler(Exclusions exclusions, int threads, DirectoryLocks locks) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        this.exclusions = exclusions;
        this.threads = threads;
        this.locks = locks;
    }

    /**
     * A crawler with other rules (after a reload) that shares this one's per-directory locks:
     * a crawl still running with the old rules and live updates made with the new ones never
     * list the same directory at once.
     */
    public Crawler withRules(Exclusions exclusions, int threads) {
        return new Crawler(exclusions, threads, locks);
    }

    /**
     * Whether these rules leave out {@code dir} (a path below {@code root}) or a directory
     * between the two: a directory watched under older rules that is excluded now.
     */
    public boolean excludes(Path root, Path dir) {
        return exclusions.excludesBelow(PathBytes.of(root.toAbsolutePath().normalize()),
                PathBytes.of(dir.toAbsolutePath().normalize()));
    }

    /**
     * Crawls every root and blocks until done. Roots are followed if they are symbolic links
     * to directories (as {@code find -H}); below them, links never are.
     *
     * @param stopRequested polled by the workers; when it turns true the crawl ends early
     * @return true if the crawl went through every directory, false if it was stopped or a
     *     task failed unexpectedly (the sink threw)
     */
    public boolean crawl(List<Path> roots, ListingSink sink, CrawlStats stats, BooleanSupplier stopRequested)
            throws InterruptedException {
        List<Entry> start = new ArrayList<>();
        for (Path root : roots) {
            Path absolute = root.toAbsolutePath().normalize();
            Entry entry = stat(absolute, stats, /* followLinks= */ true);
            if (entry == null) {
                sink.rootMissing(PathBytes.of(absolute)); // gone, or a dangling link
            } else {
                sink.root(entry);
                if (entry.isDirectory()) {
                    start.add(entry);
                } else {
                    sink.notListed(entry); // was a directory once? nothing may stay below it
                }
            }
        }
        return run(start, sink, stats, stopRequested);
    }

    /**
     * Lists {@code dirs} again (not as roots: they are already indexed as paths) and enters
     * what the sink asks for. A directory that is gone or no longer a directory is skipped:
     * its parent's listing accounts for it.
     */
    public boolean relist(List<Path> dirs, ListingSink sink, CrawlStats stats, BooleanSupplier stopRequested)
            throws InterruptedException {
        List<Entry> start = new ArrayList<>();
        for (Path dir : dirs) {
            // a crawl root may be a symlink to its directory; below the roots nothing is followed
            boolean root = java.nio.file.Files.isSymbolicLink(dir) && java.nio.file.Files.isDirectory(dir);
            Entry entry = root ? statRoot(dir, stats) : stat(dir, stats, /* followLinks= */ false);
            if (entry != null && entry.isDirectory()) {
                start.add(entry);
            }
        }
        return run(start, sink, stats, stopRequested);
    }

    private boolean run(List<Entry> start, ListingSink sink, CrawlStats stats, BooleanSupplier stopRequested)
            throws InterruptedException {
        AtomicBoolean stopWorkers = new AtomicBoolean();
        CrawlContext context = new CrawlContext(sink, exclusions, stats, locks, MountTable.current(),
                () -> stopWorkers.get() || stopRequested.getAsBoolean());
        ExecutorService pool = Executors.newFixedThreadPool(threads, NamedThreads.numbered("jfind-crawl"));
        try {
            CompletionService<List<Entry>> tasks = new ExecutorCompletionService<>(pool);
            int pending = 0;
            for (Entry dir : start) {
                if (dir.isDirectory() && context.enter(dir)) {
                    tasks.submit(new DirectoryTask(dir, context));
                    pending++;
                }
            }
            int failed = 0;
            while (pending > 0) {
                Future<List<Entry>> done = tasks.take();
                pending--;
                List<Entry> subdirs = result(done, /* log= */ failed == 0);
                if (subdirs == null) {
                    failed++;
                    continue;
                }
                for (Entry subdir : subdirs) {
                    tasks.submit(new DirectoryTask(subdir, context));
                    pending++;
                }
            }
            if (failed > 1) {
                System.err.println("jfindd: " + failed + " crawl tasks failed in all (the first is logged above)");
            }
            return failed == 0 && !stopRequested.getAsBoolean();
        } finally {
            // Workers are never interrupted (they may be inside the index writer, where an
            // interrupt closes files); they see the stop request and finish quickly.
            stopWorkers.set(true);
            pool.shutdown();
            awaitUninterruptibly(pool);
        }
    }

    private static void awaitUninterruptibly(ExecutorService pool) {
        boolean interrupted = false;
        while (true) {
            try {
                if (pool.awaitTermination(1, TimeUnit.SECONDS)) {
                    break;
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** The subdirectories a task found, or null if it failed in a way it did not expect. */
    private static List<Entry> result(Future<List<Entry>> done, boolean log) throws InterruptedException {
        try {
            return done.get();
        } catch (ExecutionException e) {
            // Must not end the crawl, but the crawl is then incomplete: the caller will not
            // take it as a full picture of the tree. One line, not one per directory, when
            // the index fails under every task (a full disk).
            if (log) {
                System.err.println("jfindd: crawl task failed: " + e.getCause());
            }
            return null;
        }
    }

    private static Entry statRoot(Path path, CrawlStats stats) {
        return stat(path, stats, /* followLinks= */ true);
    }

    private static Entry stat(Path path, CrawlStats stats, boolean followLinks) {
        try {
            BasicFileAttributes attrs = followLinks
                    ? Files.readAttributes(path, BasicFileAttributes.class)
                    : Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            stats.entries.increment();
            return Entry.of(PathBytes.of(path), path, attrs);
        } catch (IOException e) {
            if (followLinks) {
                stats.unreadable.increment();
                System.err.println("jfindd: cannot crawl root " + path + ": " + e.getMessage());
            }
            return null;
        }
    }

}
