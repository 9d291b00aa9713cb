package dev.jfind.server.access;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Completes what SO_PEERCRED tells about a Unix socket peer (pid, effective uid and gid) with
 * the supplementary groups, which it does not carry: they are read from the peer's
 * {@code /proc/PID/status} when it connects. That file is trusted only while its effective
 * uid and gid are the ones the kernel gave for the socket; otherwise (the process is gone, its
 * pid reused, or it changed identity) the caller gets its primary group alone, which can only
 * show it less.
 */
public final class ProcessCredentials {
    private ProcessCredentials() {}

    /** The caller behind a socket whose peer credentials are {@code pid}, {@code uid}, {@code gid}. */
    public static Caller ofPeer(int pid, int uid, int gid) {
        try {
            return fromStatus(Files.readString(Path.of("/proc", Integer.toString(pid), "status")), uid, gid);
        } catch (IOException | RuntimeException e) {
            return Caller.user(uid, gid);
        }
    }

    /** The caller described by a {@code /proc/PID/status} text, if it matches {@code uid} and {@code gid}. */
    static Caller fromStatus(String status, int uid, int gid) {
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
        return same && groups != null ? Caller.user(uid, gid, groups) : Caller.user(uid, gid);
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
