package dev.jfind.server.access;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ProcessCredentialsTest {
    private static final String STATUS = "Name:\tjava\nUid:\t1000\t1001\t1001\t1001\nGid:\t100\t200\t200\t200\n"
            + "Groups:\t24 27 4000000000 \n";

    private final List<String> log = new ArrayList<>();

    @Test
    void supplementaryGroupsComeFromStatusWhenItsEffectiveIdsMatch() {
        assertArrayEquals(new int[] {24, 27, (int) 4_000_000_000L}, ProcessCredentials.fromStatus(STATUS, 1001, 200));
        Caller c = new ProcessCredentials(log::add, pid -> STATUS).ofPeer(42, 1001, 200, null);
        assertEquals(1001, c.uid());
        assertEquals(Set.of(200, 24, 27, (int) 4_000_000_000L), c.groups());
        assertEquals(List.of(), log);
    }

    @Test
    void aStatusOfSomeoneElseGivesNoGroups() {
        assertNull(ProcessCredentials.fromStatus(STATUS, 1002, 300));
        assertNull(ProcessCredentials.fromStatus(STATUS, 1001, 100), "real gid is not effective");
        assertNull(ProcessCredentials.fromStatus("garbage", 7, 5));
        assertEquals(Set.of(300), new ProcessCredentials(log::add, pid -> STATUS).ofPeer(42, 1002, 300, null).groups());
    }

    @Test
    void theKernelsGroupsWinAndProcIsNotRead() {
        ProcessCredentials processes = new ProcessCredentials(log::add, pid -> {
            throw new AssertionError("read /proc although the kernel gave the groups");
        });
        assertEquals(Set.of(200, 7, 8), processes.ofPeer(42, 1001, 200, new int[] {7, 8}).groups());
        assertEquals(Set.of(200), processes.ofPeer(42, 1001, 200, new int[0]).groups(), "known: no supplementary group");
        assertEquals(List.of(), log);
    }

    /** As under hidepid=invisible without SO_PEERGROUPS: primary group only, and one log line per uid. */
    @Test
    void unknownGroupsAreLoggedOncePerUid() {
        ProcessCredentials processes = new ProcessCredentials(log::add, pid -> {
            throw new UncheckedIOException("NoSuchFileException: /proc/" + pid + "/status", new java.io.IOException());
        });
        for (int i = 0; i < 3; i++) {
            assertEquals(Set.of(200), processes.ofPeer(42 + i, 1001, 200, null).groups());
        }
        processes.ofPeer(50, 1002, 300, null);
        assertEquals(2, log.size(), log.toString());
        assertTrue(log.get(0).contains("uid 1001") && log.get(0).contains("/proc/42/status")
                && log.get(0).contains("primary group 200"), log.get(0));
        assertTrue(log.get(1).contains("uid 1002"), log.get(1));
    }

    @Test
    void aProcessThatIsGoneGivesThePrimaryGroupOnly() {
        assertEquals(Set.of(5), new ProcessCredentials(log::add).ofPeer(Integer.MAX_VALUE, 7, 5, null).groups());
        assertEquals(1, log.size());
    }

    @Test
    void thisProcessReadsItsOwnGroups() throws Exception {
        int uid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid", LinkOption.NOFOLLOW_LINKS);
        int gid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:gid", LinkOption.NOFOLLOW_LINKS);
        Caller me = new ProcessCredentials(log::add).ofPeer((int) ProcessHandle.current().pid(), uid, gid, null);
        assertTrue(me.groups().contains(gid), me.toString());
        String line = Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(l -> l.startsWith("Groups:")).findFirst().orElseThrow();
        for (String g : line.substring(7).trim().split("\\s+")) {
            if (!g.isEmpty()) {
                assertTrue(me.groups().contains(Integer.parseUnsignedInt(g)), g + " in " + me);
            }
        }
        assertEquals(List.of(), log);
    }
}
