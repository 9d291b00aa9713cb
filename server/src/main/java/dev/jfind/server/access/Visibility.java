package dev.jfind.server.access;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The rule of who sees what, daemon-wide: a caller sees a path only when they could find it
 * by listing their way down from {@code /}: every directory above it readable (r) and
 * searchable (x) by them. That is the parent readable and every ancestor searchable, as
 * plocate asks, and more: a directory that may be entered but not listed (mode 0711, as
 * many home directories are) hides the names below it, which nobody without them could
 * find. Judged from the live owner, group, mode and POSIX ACL of those directories, as the
 * kernel judges without capabilities. Root and the user the daemon runs as (who owns the
 * index and can read its files) see everything.
 *
 * <p>Decisions about directories are kept per caller for {@code ttl}, for at most
 * {@code directoriesPerCaller} directories each and {@code callers} callers, least recently
 * used dropped first.
 *
 * <p>Thread-safe.
 */
public final class Visibility {
    /** What a daemon uses: a chmod shows within 5 s; ~2 MiB per busy caller at most. */
    public static final Duration DEFAULT_TTL = Duration.ofSeconds(5);
    public static final int DEFAULT_DIRECTORIES_PER_CALLER = 16_384;
    public static final int DEFAULT_CALLERS = 64;

    private final int indexOwner;
    private final long ttlNanos;
    private final int directoriesPerCaller;
    private final Map<Caller, DirectoryVerdicts> byCaller;

    public Visibility(int indexOwner, Duration ttl, int callers, int directoriesPerCaller) {
        this.indexOwner = indexOwner;
        this.ttlNanos = ttl.toNanos();
        this.directoriesPerCaller = directoriesPerCaller;
        this.byCaller = new LinkedHashMap<>(16, 0.75f, /* accessOrder= */ true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Caller, DirectoryVerdicts> eldest) {
                return size() > callers;
            }
        };
    }

    /** The rule with the default cache, for a daemon running as the current process's user. */
    public static Visibility forThisProcess() throws IOException {
        int self = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid", LinkOption.NOFOLLOW_LINKS);
        return new Visibility(self, DEFAULT_TTL, DEFAULT_CALLERS, DEFAULT_DIRECTORIES_PER_CALLER);
    }

    /** The uid the daemon runs as: it sees everything it indexed. */
    public int indexOwner() {
        return indexOwner;
    }

    /** The verdicts kept for {@code caller}, or null when none are: for tests. */
    DirectoryVerdicts verdictsOf(Caller caller) {
        synchronized (byCaller) {
            return byCaller.get(caller);
        }
    }

    /** What {@code caller} may see. */
    public CallerView of(Caller caller) {
        if (caller.isRoot() || (!caller.anonymous() && caller.uid() == indexOwner)) {
            return new CallerView(caller, null, ttlNanos);
        }
        DirectoryVerdicts verdicts;
        synchronized (byCaller) {
            verdicts = byCaller.computeIfAbsent(caller, c -> new DirectoryVerdicts(directoriesPerCaller));
        }
        return new CallerView(caller, verdicts, ttlNanos);
    }
}
