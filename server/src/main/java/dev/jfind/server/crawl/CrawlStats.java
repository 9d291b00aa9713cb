package dev.jfind.server.crawl;

import java.time.Instant;
import java.util.concurrent.atomic.LongAdder;

/** Live counters of one crawl. Thread-safe: workers add, status readers take snapshots. */
public final class CrawlStats {
    private final Instant started = Instant.now();
    final LongAdder directories = new LongAdder();
    final LongAdder entries = new LongAdder();
    final LongAdder unreadable = new LongAdder();
    final LongAdder vanished = new LongAdder();
    final LongAdder excluded = new LongAdder();
    final LongAdder reused = new LongAdder();

    /** An immutable copy of the counters. */
    public Snapshot snapshot() {
        return new Snapshot(started, directories.sum(), entries.sum(), unreadable.sum(),
                vanished.sum(), excluded.sum(), reused.sum());
    }

    /**
     * @param directories directories listed
     * @param entries entries seen, of every type
     * @param unreadable directories that could not be listed (permission denied, I/O error)
     * @param vanished entries that disappeared between listing and stat, or directories
     *     that disappeared or became files before they were listed
     * @param excluded entries left out by an exclusion rule
     * @param reused directories not listed again because they had not changed since their
     *     last listing (their entries are not counted in {@code entries})
     */
    public record Snapshot(Instant started, long directories, long entries, long unreadable,
            long vanished, long excluded, long reused) {}
}
