package dev.jfind.server.watch;

/**
 * How many directories the daemon may watch, and why, in words for the log and status.
 *
 * <p>By default jfindd takes at most half of the inotify watches its user has free when it
 * starts (the kernel's {@code fs.inotify.max_user_watches} less what the user's other programs
 * hold): whatever the tree, the user's other programs keep at least as many free watches as
 * jfindd takes, and never fewer than they had minus half. Half rather than a fixed reserve
 * because the limit ranges from 8,192 to millions: a fixed number would be everything on one
 * machine and nothing on another. Directories past the budget are re-listed on a timer.
 *
 * @param watches most directories to watch; {@link Long#MAX_VALUE} for no budget of our own
 * @param source why this many, for a person
 * @param liveUpdates false when taking even one inotify instance would leave the user none
 */
public record WatchBudget(long watches, String source, boolean liveUpdates) {
    /** {@code watch_limit} when it is not set: the share computed from the kernel's limits. */
    public static final long AUTOMATIC = -1;

    /** How to get more watches, for the log, status and quickstart. */
    public static final String HOW_TO_RAISE = "to watch more, raise fs.inotify.max_user_watches"
            + " (sudo sysctl fs.inotify.max_user_watches=1048576, or install the drop-in"
            + " deploy/sysctl/60-jfind-inotify.conf in /etc/sysctl.d and run sudo sysctl --system)"
            + " and restart jfindd, or set --watch-limit N";

    /** A budget of exactly {@code watches}, as set by {@code --watch-limit}. */
    public static WatchBudget fixed(long watches) {
        return new WatchBudget(watches, watches == Long.MAX_VALUE ? "no budget: as many as the kernel allows"
                : String.format("--watch-limit %,d", watches), true);
    }

    /**
     * The budget for {@code configured} ({@code --watch-limit}, or {@link #AUTOMATIC}) on a
     * machine with {@code limits}.
     */
    public static WatchBudget of(long configured, InotifyLimits limits) {
        if (configured != AUTOMATIC) {
            return fixed(configured);
        }
        if (limits.maxUserInstances() > 0 && limits.maxUserInstances() - limits.instancesHeld() < 2) {
            // jfindd needs one instance (one WatchService); taking the last would break the
            // next program that asks for one
            return new WatchBudget(0, String.format("no live updates: this user holds %,d of the %,d inotify"
                    + " instances fs.inotify.max_user_instances allows; raise it (the drop-in"
                    + " deploy/sysctl/60-jfind-inotify.conf sets 1024) or set --watch-limit N",
                    limits.instancesHeld(), limits.maxUserInstances()), false);
        }
        if (limits.maxUserWatches() < 0) {
            return new WatchBudget(Long.MAX_VALUE, "fs.inotify.max_user_watches unknown: as many as the kernel allows",
                    true);
        }
        long free = Math.max(0, limits.maxUserWatches() - limits.watchesHeld());
        return new WatchBudget(free / 2, String.format("half of the %,d inotify watches free for this user at start:"
                + " fs.inotify.max_user_watches = %,d, %,d held by other programs",
                free, limits.maxUserWatches(), limits.watchesHeld()), true);
    }
}
