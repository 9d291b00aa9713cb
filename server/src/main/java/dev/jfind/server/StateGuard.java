package dev.jfind.server;

import dev.jfind.server.concurrent.NamedThreads;
import dev.jfind.server.config.DaemonConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Notices when the daemon's own files are taken from under it: the index's write lock (the
 * state directory deleted, as a user resetting jfind does with rm -r ~/.local/state/jfind) or
 * the socket (deleted, or its runtime directory removed at logout). Either leaves a daemon that
 * nobody can reach, that cannot write its index, and that a second daemon would start beside.
 *
 * <p>The daemon then stops, with a line that says why, and exits with status 1: recreating the
 * files in place would keep serving an index whose files are gone, while a fresh start builds a
 * new index where the user expects one, and systemd's Restart=on-failure does that by itself.
 *
 * <p>Thread-safe: checks run on one daemon thread.
 */
final class StateGuard {
    static final long CHECK_MILLIS = 2_000;

    private final Path lock;
    private final Path socket;
    private final Object lockKey;
    private final Object socketKey;
    private final PrintWriter log;
    private final Runnable onLost;
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(NamedThreads.single("jfind-state-guard"));

    private StateGuard(Path lock, Path socket, PrintWriter log, Runnable onLost) {
        this.lock = lock;
        this.socket = socket;
        this.lockKey = key(lock);
        this.socketKey = key(socket);
        this.log = log;
        this.onLost = onLost;
    }

    /**
     * Starts checking every {@code periodMillis} the files of a daemon started with {@code config};
     * runs {@code onLost} once (after logging why) when one is gone or replaced.
     */
    static StateGuard start(DaemonConfig config, PrintWriter log, Runnable onLost, long periodMillis) {
        StateGuard guard = new StateGuard(config.indexDir().resolve("write.lock"), config.socket(), log, onLost);
        guard.timer.scheduleWithFixedDelay(guard::check, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
        return guard;
    }

    void close() {
        timer.shutdownNow();
    }

    /** One check (the timer's; tests call it directly). */
    void check() {
        String lost = lost(lock, lockKey, "the index lock");
        if (lost == null) {
            lost = lost(socket, socketKey, "the socket");
        }
        if (lost == null) {
            return;
        }
        log.println("jfindd: " + lost + " was removed or replaced under the running daemon (state directory "
                + lock.getParent().getParent() + " deleted?): stopping, since nobody can reach this daemon and"
                + " its index cannot be written; start jfindd again to build a new index there"
                + " (the systemd service restarts by itself)");
        timer.shutdown();
        onLost.run();
    }

    private static String lost(Path file, Object key, String what) {
        if (key == null) {
            return null; // not there at start: nothing to guard
        }
        Object now = key(file);
        return now == null || !Objects.equals(now, key) ? what + " " + file : null;
    }

    /** The file's identity (device and inode), or null when it is gone. */
    private static Object key(Path file) {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
        } catch (IOException e) {
            return null;
        }
    }
}
