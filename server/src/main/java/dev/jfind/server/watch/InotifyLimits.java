package dev.jfind.server.watch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The kernel's inotify limits for one user and what that user's processes hold already, read
 * from /proc. The kernel counts watches and instances per (effective) user, across all of the
 * user's programs: jfindd shares them with {@code tail -f}, editors, IDEs and test suites.
 * Taken from a /proc directory given by the caller, so tests can describe a machine of their own.
 *
 * @param maxUserWatches {@code fs.inotify.max_user_watches}, or -1 when it cannot be read
 * @param maxUserInstances {@code fs.inotify.max_user_instances}, or -1 when it cannot be read
 * @param watchesHeld watches held now by the user's processes (the caller's own included), as
 *     far as their {@code /proc/PID/fdinfo} can be read
 * @param instancesHeld inotify instances (descriptors) held now by the user's processes
 */
public record InotifyLimits(long maxUserWatches, long maxUserInstances, long watchesHeld, long instancesHeld) {
    private static final String INOTIFY_FD = "anon_inode:inotify";

    /** This machine's limits, for the user this process runs as. */
    public static InotifyLimits ofThisUser() {
        Path proc = Path.of("/proc");
        try {
            return read(proc, ((Number) Files.getAttribute(proc.resolve("self"), "unix:uid")).intValue());
        } catch (IOException | UnsupportedOperationException e) {
            return new InotifyLimits(-1, -1, 0, 0); // not Linux: no inotify limits to share
        }
    }

    /** The limits under {@code proc}/sys/fs/inotify and the inotify use of {@code uid}'s processes. */
    public static InotifyLimits read(Path proc, int uid) {
        Path sys = proc.resolve("sys/fs/inotify");
        long[] held = held(proc, uid);
        return new InotifyLimits(number(sys.resolve("max_user_watches")), number(sys.resolve("max_user_instances")),
                held[0], held[1]);
    }

    /** Watches and instances held by {@code uid}'s processes under {@code proc}. */
    static long[] held(Path proc, int uid) {
        long watches = 0;
        long instances = 0;
        try (DirectoryStream<Path> pids = Files.newDirectoryStream(proc, p -> isPid(p.getFileName().toString()))) {
            for (Path pid : pids) {
                if (owner(pid) != uid) {
                    continue;
                }
                // One descriptor shared by forked processes is counted in each: an overestimate,
                // which errs on the side of leaving more to others.
                try (DirectoryStream<Path> fds = Files.newDirectoryStream(pid.resolve("fd"))) {
                    for (Path fd : fds) {
                        if (isInotify(fd)) {
                            instances++;
                            watches += watchesIn(pid.resolve("fdinfo").resolve(fd.getFileName().toString()));
                        }
                    }
                } catch (IOException | SecurityException e) {
                    // the process ended, or its descriptors are not ours to read
                }
            }
        } catch (IOException e) {
            // no /proc: nothing known to be held
        }
        return new long[] {watches, instances};
    }

    private static boolean isPid(String name) {
        return !name.isEmpty() && name.chars().allMatch(Character::isDigit);
    }

    private static int owner(Path pid) {
        try {
            return ((Number) Files.getAttribute(pid, "unix:uid", java.nio.file.LinkOption.NOFOLLOW_LINKS)).intValue();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static boolean isInotify(Path fd) {
        try {
            return Files.isSymbolicLink(fd) && INOTIFY_FD.equals(Files.readSymbolicLink(fd).toString());
        } catch (IOException e) {
            return false;
        }
    }

    /** The watches of one inotify descriptor: one "inotify wd:" line each in its fdinfo. */
    private static long watchesIn(Path fdinfo) {
        try {
            List<String> lines = Files.readAllLines(fdinfo, StandardCharsets.ISO_8859_1);
            return lines.stream().filter(l -> l.startsWith("inotify wd:")).count();
        } catch (IOException e) {
            return 0;
        }
    }

    private static long number(Path file) {
        try {
            // read as a stream: /proc reports size 0, and Files.readString on JDK 17 then stops after one byte
            List<String> lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
            return lines.isEmpty() ? -1 : Long.parseLong(lines.get(0).trim());
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }
}
