package dev.jfind.client;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads of one client's channel, owned by the client and stopped with it. gRPC's own
 * shared pools would do, but creating them costs a short-lived JVM ~10 ms: their thread
 * factories check a name format with String.format, whose first call loads the locale data.
 * Daemon threads: an unclosed client never keeps a program alive.
 */
final class ClientThreads implements AutoCloseable {
    /** The okhttp transport's reader and writer, and the channel's own callbacks. */
    final ExecutorService work = Executors.newCachedThreadPool(named("jfind-client"));
    /** Deadlines and keep-alive pings. */
    final ScheduledExecutorService timers = new ScheduledThreadPoolExecutor(1, named("jfind-client-timer"));

    private static ThreadFactory named(String prefix) {
        AtomicInteger next = new AtomicInteger();
        return task -> {
            Thread t = new Thread(task, prefix + "-" + next.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Stops the threads; call once the channel has shut down. */
    @Override
    public void close() {
        work.shutdownNow();
        timers.shutdownNow();
    }
}
