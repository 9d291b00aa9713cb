package dev.jfind.server.access;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * Completes what SO_PEERCRED tells about a Unix socket peer (pid, effective uid and gid) with
 * its supplementary groups. The transport first asks the kernel for them (SO_PEERGROUPS, see
 * rpc.PeerGroups); only where that fails (a kernel before 4.13) are they read from the peer's
 * {@code /proc/PID/status}, trusted only while its effective uid and gid are the ones the
 * kernel gave for the socket. If neither tells (no SO_PEERGROUPS and a /proc that hides the
 * peer, as {@code hidepid} or systemd's {@code ProtectProc=invisible} do), the caller gets its
 * primary group alone, which can only show it less, and the log says so once per uid.
 */
public final class ProcessCredentials {
    private final Consumer<String> log;
    private final IntFunction<String> statusOf;
    /** Uids whose unknown groups were logged: a line per caller, not per request. */
    private final Set<Integer> warned = ConcurrentHashMap.newKeySet();

    /** Reads the real {@code /proc}; says in {@code log} when a caller's groups cannot be known. */
    public ProcessCredentials(Consumer<String> log) {
        this(log, ProcessCredentials::readStatus);
    }

    /** @param statusOf the {@code /proc/PID/status} text of a pid; throws if it cannot be read */
    ProcessCredentials(Consumer<String> log, IntFunction<String> statusOf) {
        this.log = log;
        this.statusOf = statusOf;
    }

    /**
     * The caller behind a socket whose peer credentials are {@code pid}, {@code uid},
     * {@code gid}, and whose supplementary groups the kernel gave as {@code supplementary}
     * (null if it would not say).
     */
    public Caller ofPeer(int pid, int uid, int gid, int[] supplementary) {
        int[] groups = supplementary;
        String why = "";
        if (groups == null) {
            try {
                groups = fromStatus(statusOf.apply(pid), uid, gid);
                why = groups == null ? "/proc/" + pid + "/status names other ids (the process is gone or changed identity)" : "";
            } catch (RuntimeException e) {
                why = "/proc/" + pid + "/status cannot be read (" + e.getMessage() + ")";
            }
        }
        if (groups != null) {
            return Caller.user(uid, gid, groups);
        }
        if (warned.add(uid)) {
            log.accept("jfindd: cannot learn the supplementary groups of uid " + Integer.toUnsignedString(uid)
                    + " (pid " + pid + "): the kernel gave none by SO_PEERGROUPS (Linux 4.13+) and " + why
                    + "; it is judged by its primary group " + Integer.toUnsignedString(gid) + " alone, so it"
                    + " does not see what only its other groups may reach (said once per uid)");
        }
        return Caller.user(uid, gid);
    }

    /** The supplementary groups in a {@code /proc/PID/status} text, or null unless it matches {@code uid} and {@code gid}. */
    static int[] fromStatus(String status, int uid, int gid) {
        int[] uids = null;
        int[] gids = null;
        int[] groups = null;
        for (String line : status.split("\n")) {
            if (line.startsWith("Uid:")) {
                uids = numbers(line);
            } else if (line.startsWith("Gid:")) {
                gids = numbers(line);
            } else if (line.startsWith("Groups:")) {
                groups = numbers(line);
            }
        }
        // Uid: and Gid: list real, effective, saved and file-system ids; SO_PEERCRED has the effective ones
        boolean same = uids != null && gids != null && uids.length >= 2 && gids.length >= 2
                && uids[1] == uid && gids[1] == gid;
        return same ? groups : null;
    }

    private static String readStatus(int pid) {
        try {
            return Files.readString(Path.of("/proc", Integer.toString(pid), "status"));
        } catch (IOException e) {
            throw new UncheckedIOException(e.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    private static int[] numbers(String line) {
        String[] words = line.substring(line.indexOf(':') + 1).trim().split("\\s+");
        List<Integer> out = new ArrayList<>();
        for (String w : words) {
            if (!w.isEmpty()) {
                out.add(Integer.parseUnsignedInt(w));
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }
}
