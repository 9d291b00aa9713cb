package dev.jfind.server.update;

import dev.jfind.server.config.DaemonConfig;
import dev.jfind.server.watch.DirectoryWatcher;
import dev.jfind.server.watch.InotifyLimits;
import dev.jfind.server.watch.WatchBudget;
import java.io.IOException;
import java.util.function.Supplier;

/**
 * Opens the daemon's one inotify instance with its share of the user's watches, or says in
 * the log why live updates are off: a daemon without them still serves, crawling on its interval.
 */
public final class WatchSetup {
    private WatchSetup() {}

    /** The watcher for {@code config}, or null when live updates are off. */
    public static DirectoryWatcher open(DaemonConfig config, Supplier<InotifyLimits> kernel) {
        if (!config.watch()) {
            return null;
        }
        boolean automatic = config.watchLimit() == DaemonConfig.AUTOMATIC_WATCH_LIMIT;
        WatchBudget budget = WatchBudget.of(automatic ? WatchBudget.AUTOMATIC : config.watchLimit(),
                automatic ? kernel.get() : new InotifyLimits(-1, -1, 0, 0));
        if (!budget.liveUpdates()) {
            System.err.println("jfindd: " + budget.source() + "; changes show at the next crawl");
            return null;
        }
        try {
            DirectoryWatcher watcher = new DirectoryWatcher(budget, config.unwatchedRescanInterval().toMillis());
            System.err.printf("jfindd: live updates: watching at most %s directories (%s)%n",
                    budget.watches() == Long.MAX_VALUE ? "all" : String.format("%,d", budget.watches()), budget.source());
            return watcher;
        } catch (IOException e) {
            System.err.println("jfindd: no live updates: cannot get an inotify instance (" + e.getMessage()
                    + "); other programs of this user hold fs.inotify.max_user_instances: raise it (the drop-in"
                    + " deploy/sysctl/60-jfind-inotify.conf sets 1024) and restart jfindd; changes show at the next crawl");
            return null;
        }
    }
}
