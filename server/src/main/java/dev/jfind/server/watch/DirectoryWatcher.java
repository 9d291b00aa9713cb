package dev.jfind.server.watch;

import dev.jfind.server.concurrent.NamedThreads;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Watches every indexed directory with the JDK's WatchService (inotify on Linux) and turns
 * events into directories to re-list: the index is updated per directory, so which entry
 * changed does not matter, only where. Plans around what the JDK does on Linux:
 *
 * <ul>
 *   <li>its own map from key to directory, never {@code watchable()}: a renamed directory's
 *       watch keeps reporting under the old name, and registering it again under the new
 *       name returns the same key, which the map then points to the new path;
 *   <li>OVERFLOW (more than 512 events for one key, or the kernel queue full) is routine:
 *       the whole subtree of that key's directory is re-listed;
 *   <li>when inotify runs out of watches (or the budget does), directories go without one,
 *       are counted, and are re-listed on a timer instead; {@link #rebalance} then moves
 *       watches from directories that have not changed for longest to unwatched ones that
 *       changed more recently, so the budget goes where changes happen.
 * </ul>
 *
 * Events are batched: the first event of a burst waits {@link #BATCH_MILLIS} (or as long as
 * the previous batch took, if longer) for more, then all directories dirtied meanwhile are
 * re-listed at once. Thread-safe; one thread runs the
 * loop.
 */
public final class DirectoryWatcher implements Closeable {
    /** A directory to re-list; {@code subtree}: everything below too (events were lost). */
    public record Dirty(Path dir, boolean subtree) {}

    /** Applies a batch of dirty directories to the index. */
    @FunctionalInterface
    public interface Applier {
        void apply(List<Dirty> batch) throws Exception;
    }

    static final long BATCH_MILLIS = 20;
    /** Most watches moved by one {@link #rebalance}: each costs a listing or two; the rest wait a round. */
    static final int MAX_SWAPS_PER_ROUND = 4096;
    private static final String INOTIFY_LIMIT = "inotify";

    /** A directory without a watch: its mtime, and when it was last listed (or found unchanged). */
    private record Unwatched(long mtimeMillis, long listedAtMillis, Object fileKey) {}

    private final WatchService service;
    private final WatchBudget budget;
    private final long unwatchedRescanMillis;
    private final Map<WatchKey, Path> dirsByKey = new ConcurrentHashMap<>();
    private final Map<Path, WatchKey> keysByDir = new ConcurrentHashMap<>();
    private final Map<Path, Unwatched> unwatched = new ConcurrentHashMap<>();
    /** When each watched directory last changed, as far as we know: its mtime or its last event. */
    private final Map<Path, Long> changedAt = new ConcurrentHashMap<>();
    /** Device and inode each path was watched as, to notice a directory made anew there. */
    private final Map<Path, Object> fileKeys = new ConcurrentHashMap<>();
    /** Dirty directories in arrival order; guarded by itself. */
    private final LinkedHashMap<Path, Boolean> pending = new LinkedHashMap<>();
    private final LongAdder eventsApplied = new LongAdder();
    private final AtomicBoolean limitLogged = new AtomicBoolean();
    /** Why directories go without a watch (our budget or the kernel's limit); null while none do. */
    private volatile String limitReached;
    private volatile Instant lastEvent;
    private volatile boolean paused;
    private volatile boolean repairing;
    private volatile boolean closed;
    private Thread loop;

    /**
     * @param budget most directories to watch (the kernel's own limit may stop us sooner)
     * @param unwatchedRescanMillis how often directories without a watch are re-listed
     */
    public DirectoryWatcher(long budget, long unwatchedRescanMillis) throws IOException {
        this(WatchBudget.fixed(budget), unwatchedRescanMillis);
    }

    /** Takes one inotify instance (the daemon's only one). */
    public DirectoryWatcher(WatchBudget budget, long unwatchedRescanMillis) throws IOException {
        this.service = FileSystems.getDefault().newWatchService();
        this.budget = budget;
        this.unwatchedRescanMillis = unwatchedRescanMillis;
    }

    /**
     * Starts watching {@code dir} (called by the crawl before it lists the directory, or
     * finds it unchanged). Thread-safe; a directory already watched costs nothing.
     */
    public void watch(Path dir, Object fileKey, long mtimeMillis) {
        WatchKey known = keysByDir.get(dir);
        if (closed) {
            return;
        }
        if (known != null && known.isValid() && java.util.Objects.equals(fileKey, fileKeys.get(dir))) {
            changedAt.merge(dir, mtimeMillis, Math::max); // watched already, and still the same directory
            return;
        }
        synchronized (keysByDir) { // the budget check and the registration go together
            register(dir, fileKey, mtimeMillis);
        }
    }

    /** Whether {@code dir} has a watch now. */
    public boolean watches(Path dir) {
        WatchKey key = keysByDir.get(dir);
        return key != null && key.isValid();
    }

    private boolean register(Path dir, Object fileKey, long mtimeMillis) {
        if (keysByDir.size() >= budget.watches()) {
            noWatchFor(dir, fileKey, mtimeMillis, "the watch budget is reached");
            return false;
        }
        try {
            WatchKey key = dir.register(service, StandardWatchEventKinds.ENTRY_CREATE,
                    StandardWatchEventKinds.ENTRY_DELETE, StandardWatchEventKinds.ENTRY_MODIFY);
            Path previous = dirsByKey.put(key, dir);
            if (previous != null && !previous.equals(dir)) {
                keysByDir.remove(previous, key); // the same directory, renamed or moved
            }
            keysByDir.put(dir, key);
            if (fileKey != null) {
                fileKeys.put(dir, fileKey);
            }
            changedAt.put(dir, mtimeMillis);
            unwatched.remove(dir);
            return true;
        } catch (IOException e) {
            String message = String.valueOf(e.getMessage());
            if (message.contains(INOTIFY_LIMIT)) {
                noWatchFor(dir, fileKey, mtimeMillis, "the kernel refused a watch: " + message
                        + " (other programs of this user hold the rest of fs.inotify.max_user_watches)");
            }
            // otherwise the directory vanished or became unreadable: its parent's event tells
        } catch (ClosedWatchServiceException e) {
            // shutting down
        }
        return false;
    }

    /** Records a directory listed without a watch: it is re-listed on the timer. */
    private void noWatchFor(Path dir, Object fileKey, long mtimeMillis, String why) {
        unwatched.put(dir, new Unwatched(mtimeMillis, System.currentTimeMillis(), fileKey));
        limitReached = why;
        if (limitLogged.compareAndSet(false, true)) {
            System.err.println("jfindd: live updates limited: " + why + String.format(" (%,d directories watched; budget: %s)",
                    keysByDir.size(), budget.source()) + ". Directories past it get no watch;"
                    + " they stay current by being listed again every " + every() + " (--unwatched-rescan-interval),"
                    + " and the directories changed most recently get the watches. To " + WatchBudget.HOW_TO_RAISE.substring("to ".length())
                    + ". jfind-client status shows how many directories are unwatched.");
        }
    }

    private String every() {
        long s = unwatchedRescanMillis / 1000;
        return s % 60 == 0 && s >= 60 ? s / 60 + " min" : s + " s";
    }

    /**
     * Moves watches from the watched directories that changed longest ago to unwatched ones
     * that changed more recently (at most {@link #MAX_SWAPS_PER_ROUND}), and queues both to be
     * listed once more: the newly watched one may have changed before its watch existed, and
     * the other may have had events in flight. Called at the end of a crawl and before each
     * re-listing round. Thread-safe.
     *
     * @return how many watches moved
     */
    public int rebalance() {
        if (unwatched.isEmpty() || closed) {
            return 0;
        }
        List<Map.Entry<Path, Unwatched>> fresh = unwatched.entrySet().stream()
                .sorted(Map.Entry.comparingByValue(
                        java.util.Comparator.comparingLong(Unwatched::mtimeMillis).reversed()))
                .limit(MAX_SWAPS_PER_ROUND)
                .map(e -> Map.entry(e.getKey(), e.getValue()))
                .toList();
        int moved = 0;
        synchronized (keysByDir) {
            List<Map.Entry<Path, Long>> stale = changedAt.entrySet().stream()
                    .sorted(Map.Entry.comparingByValue())
                    .limit(fresh.size())
                    .map(e -> Map.entry(e.getKey(), e.getValue()))
                    .toList();
            int next = 0;
            for (Map.Entry<Path, Unwatched> candidate : fresh) {
                if (closed || next >= stale.size() || stale.get(next).getValue() >= candidate.getValue().mtimeMillis()) {
                    break; // every watched directory changed at least as recently as the rest
                }
                if (!unwatched.containsKey(candidate.getKey())) {
                    continue; // forgotten meanwhile
                }
                Path old = stale.get(next++).getKey();
                WatchKey key = keysByDir.remove(old);
                if (key == null) {
                    continue;
                }
                dirsByKey.remove(key);
                key.cancel(); // gives the watch back to the kernel before the next one is taken
                Object oldFileKey = fileKeys.remove(old);
                Long oldChange = changedAt.remove(old);
                unwatched.put(old, new Unwatched(oldChange == null ? 0 : oldChange, System.currentTimeMillis(),
                        oldFileKey));
                Unwatched u = candidate.getValue();
                if (register(candidate.getKey(), u.fileKey(), u.mtimeMillis())) {
                    moved++;
                }
                markDirty(old, false);
                markDirty(candidate.getKey(), false);
            }
        }
        return moved;
    }

    /** Holds events back (they keep accumulating) until {@link #resume}; for the first crawl. */
    public void pause() {
        paused = true;
    }

    public void resume() {
        paused = false;
    }

    /** Starts the event loop, which hands batches to {@code applier}. */
    public synchronized void start(Applier applier) {
        loop = NamedThreads.single("jfind-watch").newThread(() -> run(applier));
        loop.start();
    }

    private void run(Applier applier) {
        long nextUnwatchedRescan = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(unwatchedRescanMillis);
        long firstPending = 0;
        // At least as long as the last batch took: during a burst into a big directory each
        // batch re-lists it, so batches grow rather than the work growing with their number.
        long batchNanos = TimeUnit.MILLISECONDS.toNanos(BATCH_MILLIS);
        while (!closed) {
            try {
                WatchKey key = service.poll(BATCH_MILLIS, TimeUnit.MILLISECONDS);
                while (key != null) {
                    take(key);
                    key = service.poll();
                }
            } catch (InterruptedException | ClosedWatchServiceException e) {
                return;
            }
            long now = System.nanoTime();
            if (!unwatched.isEmpty() && now >= nextUnwatchedRescan) {
                rebalance();
                unwatched.keySet().forEach(d -> markDirty(d, false));
                nextUnwatchedRescan = now + TimeUnit.MILLISECONDS.toNanos(unwatchedRescanMillis);
            }
            List<Dirty> batch;
            synchronized (pending) {
                if (pending.isEmpty()) {
                    firstPending = 0;
                    continue;
                }
                if (firstPending == 0) {
                    firstPending = now; // wait one batch interval for the rest of a burst
                    continue;
                }
                if (paused || now - firstPending < batchNanos) {
                    continue;
                }
                batch = new ArrayList<>();
                pending.forEach((dir, subtree) -> batch.add(new Dirty(dir, subtree)));
                pending.clear();
                firstPending = 0;
            }
            long started = System.nanoTime();
            apply(applier, batch);
            batchNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(BATCH_MILLIS), System.nanoTime() - started);
        }
    }

    private void apply(Applier applier, List<Dirty> batch) {
        repairing = batch.stream().anyMatch(Dirty::subtree);
        try {
            applier.apply(batch);
        } catch (Exception e) {
            System.err.println("jfindd: applying changes failed, they will be picked up by the next crawl: " + e);
        } finally {
            repairing = false;
        }
    }

    private void take(WatchKey key) {
        Path dir = dirsByKey.get(key);
        List<WatchEvent<?>> events = key.pollEvents();
        if (dir != null) {
            for (WatchEvent<?> event : events) {
                markDirty(dir, event.kind() == StandardWatchEventKinds.OVERFLOW);
            }
            changedAt.computeIfPresent(dir, (d, t) -> System.currentTimeMillis()); // it changes: keep its watch
            eventsApplied.add(events.size());
            lastEvent = Instant.now();
        }
        if (!key.reset()) {
            // the directory is gone (or unmounted): its parent's listing accounts for it
            dirsByKey.remove(key);
            if (dir != null && keysByDir.remove(dir, key)) {
                fileKeys.remove(dir);
                changedAt.remove(dir);
            }
        }
    }

    private void markDirty(Path dir, boolean subtree) {
        synchronized (pending) {
            pending.merge(dir, subtree, Boolean::logicalOr);
        }
    }

    /**
     * Stops watching a directory that turned out to be gone or outside the index, and every
     * directory below it (moved out with it, their watches would report from elsewhere).
     */
    public void forget(Path dir) {
        for (Path watched : List.copyOf(keysByDir.keySet())) {
            if (watched.startsWith(dir)) {
                WatchKey key = keysByDir.remove(watched);
                if (key != null) {
                    dirsByKey.remove(key);
                    key.cancel();
                }
                fileKeys.remove(watched);
                changedAt.remove(watched);
            }
        }
        unwatched.keySet().removeIf(p -> p.startsWith(dir));
    }

    /** Whether {@link #close} was called: long work on its behalf should stop. */
    public boolean isClosed() {
        return closed;
    }

    public WatchStats stats() {
        int waiting;
        synchronized (pending) {
            waiting = pending.size();
        }
        // no counts in the reason: callers who may not see every path get it too
        String degraded = !unwatched.isEmpty()
                ? "live updates limited: " + limitReached + "; directories without a watch are listed again every "
                        + every() + ", so their changes show up late; " + WatchBudget.HOW_TO_RAISE
                : repairing ? "re-listing directories whose events were lost (overflow)" : null;
        long oldest = Long.MAX_VALUE;
        for (Unwatched u : unwatched.values()) {
            oldest = Math.min(oldest, u.listedAtMillis());
        }
        return new WatchStats(keysByDir.size(), unwatched.size(), eventsApplied.sum(), lastEvent, waiting, degraded,
                budget, oldest == Long.MAX_VALUE ? null : Instant.ofEpochMilli(oldest),
                java.time.Duration.ofMillis(unwatchedRescanMillis));
    }

    @Override
    public void close() throws IOException {
        closed = true;
        service.close();
        Thread t;
        synchronized (this) {
            t = loop;
        }
        if (t != null) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
