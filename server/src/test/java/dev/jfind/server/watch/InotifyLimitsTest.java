package dev.jfind.server.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchService;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InotifyLimitsTest {
    @TempDir
    Path tmp;

    /** A /proc of our own: the limits, and one process of {@code uid} with the given descriptors. */
    private Path fakeProc(int pid, int uid, List<Integer> watchesPerInotifyFd) throws Exception {
        Path proc = tmp.resolve("proc");
        Files.createDirectories(proc.resolve("sys/fs/inotify"));
        Files.writeString(proc.resolve("sys/fs/inotify/max_user_watches"), "8192\n");
        Files.writeString(proc.resolve("sys/fs/inotify/max_user_instances"), "128\n");
        Path p = proc.resolve(Integer.toString(pid));
        Files.createDirectories(p.resolve("fd"));
        Files.createDirectories(p.resolve("fdinfo"));
        Files.createSymbolicLink(p.resolve("fd/0"), Path.of("/dev/null")); // not inotify: not counted
        int fd = 3;
        for (int watches : watchesPerInotifyFd) {
            Files.createSymbolicLink(p.resolve("fd/" + fd), Path.of("anon_inode:inotify"));
            StringBuilder info = new StringBuilder("pos:\t0\nflags:\t02004000\nmnt_id:\t15\nino:\t1057\n");
            for (int w = 1; w <= watches; w++) {
                info.append("inotify wd:").append(w).append(" ino:2 sdev:800001 mask:3c6 ignored_mask:0\n");
            }
            Files.writeString(p.resolve("fdinfo/" + fd), info);
            fd++;
        }
        Files.setAttribute(p, "unix:uid", uid);
        return proc;
    }

    @Test
    void readsTheLimitsAndCountsTheWatchesOfTheUsersInotifyDescriptors() throws Exception {
        int uid = (Integer) Files.getAttribute(tmp, "unix:uid");
        Path proc = fakeProc(4711, uid, List.of(3, 0, 5));
        assertEquals(new InotifyLimits(8192, 128, 8, 3), InotifyLimits.read(proc, uid));
    }

    @Test
    void anotherUsersProcessesAreNotCounted() throws Exception {
        int uid = (Integer) Files.getAttribute(tmp, "unix:uid");
        Path proc = fakeProc(4711, uid + 1, List.of(3));
        assertEquals(new InotifyLimits(8192, 128, 0, 0), InotifyLimits.read(proc, uid));
    }

    @Test
    void noProcMeansUnknownLimitsAndNothingHeld() {
        assertEquals(new InotifyLimits(-1, -1, 0, 0), InotifyLimits.read(tmp.resolve("none"), 0));
    }

    /** The real /proc, whose files report size 0: the whole number is read, not its first digit. */
    @Test
    void readsTheMachinesLimits() throws Exception {
        long expected;
        try (var in = Files.newInputStream(Path.of("/proc/sys/fs/inotify/max_user_watches"))) {
            expected = Long.parseLong(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII).trim());
        }
        assertEquals(expected, InotifyLimits.ofThisUser().maxUserWatches());
    }

    /** The real kernel: a watch this process takes shows in its own fdinfo. */
    @Test
    void countsThisProcessesRealWatches() throws Exception {
        // a /proc holding only this process, so other programs of the user do not disturb the count
        Path proc = Files.createDirectory(tmp.resolve("self-only"));
        long pid = ProcessHandle.current().pid();
        Files.createSymbolicLink(proc.resolve(Long.toString(pid)), Path.of("/proc/" + pid));
        int uid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        long[] before = InotifyLimits.held(proc, uid);
        try (WatchService service = FileSystems.getDefault().newWatchService()) {
            Files.createDirectories(tmp.resolve("a"));
            Files.createDirectories(tmp.resolve("b"));
            tmp.resolve("a").register(service, StandardWatchEventKinds.ENTRY_CREATE);
            tmp.resolve("b").register(service, StandardWatchEventKinds.ENTRY_CREATE);
            long[] during = InotifyLimits.held(proc, uid);
            assertEquals(before[0] + 2, during[0], "watches");
            assertEquals(before[1] + 1, during[1], "instances");
        }
    }
}
