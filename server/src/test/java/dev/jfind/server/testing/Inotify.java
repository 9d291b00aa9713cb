package dev.jfind.server.testing;

import static org.junit.jupiter.api.Assertions.fail;

import dev.jfind.server.watch.WatchStats;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchService;

/**
 * For tests that need inotify watches: when the kernel refuses one, they fail saying so,
 * rather than with a timeout that hides why (the user's other programs, or a daemon left
 * running, may hold every watch fs.inotify.max_user_watches allows).
 */
public final class Inotify {
    public static final String REFUSED = "inotify watch refused by the kernel: fs.inotify.max_user_watches"
            + " (or max_user_instances) exhausted by other processes of this user; stop them or raise the limit";

    private Inotify() {}

    /** Registers one watch on {@code dir} and gives it back; fails with {@link #REFUSED} if refused. */
    public static void requireWatch(Path dir) {
        try (WatchService service = FileSystems.getDefault().newWatchService()) {
            dir.register(service, StandardWatchEventKinds.ENTRY_CREATE).cancel();
        } catch (IOException e) {
            if (String.valueOf(e.getMessage()).contains("inotify")) {
                fail(REFUSED + " (" + e.getMessage() + ")", e);
            }
            fail("cannot watch " + dir + ": " + e, e);
        }
    }

    /** Fails with {@link #REFUSED} when the daemon's watcher met the kernel's limit. */
    public static void requireNoKernelRefusal(WatchStats stats) {
        if (stats != null && stats.degraded() != null && stats.degraded().contains("kernel refused")) {
            fail(REFUSED + ": " + stats.degraded());
        }
    }
}
