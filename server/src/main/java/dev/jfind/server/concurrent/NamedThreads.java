package dev.jfind.server.concurrent;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Daemon threads named for what they do ({@code jfind-crawl-3}), so a thread dump or a
 * profile says whose work it is. Daemon threads, so none keeps the JVM alive past a stop.
 * Thread-safe.
 */
public final class NamedThreads implements ThreadFactory {
    private final String prefix;
    private final boolean numbered;
    private final AtomicInteger next = new AtomicInteger();

    private NamedThreads(String prefix, boolean numbered) {
        this.prefix = prefix;
        this.numbered = numbered;
    }

    /** Threads named {@code prefix-1}, {@code prefix-2}, ... */
    public static NamedThreads numbered(String prefix) {
        return new NamedThreads(prefix, true);
    }

    /** Threads all named {@code name}: for an executor of one thread. */
    public static NamedThreads single(String name) {
        return new NamedThreads(name, false);
    }

    @Override
    public Thread newThread(Runnable r) {
        Thread t = new Thread(r, numbered ? prefix + "-" + next.incrementAndGet() : prefix);
        t.setDaemon(true);
        return t;
    }
}
