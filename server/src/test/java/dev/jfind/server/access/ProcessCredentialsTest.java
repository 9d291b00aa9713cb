package dev.jfind.server.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ProcessCredentialsTest {
    private static final String STATUS = "Name:\tjava\nUid:\t1000\t1001\t1001\t1001\nGid:\t100\t200\t200\t200\n"
            + "Groups:\t24 27 4000000000 \n";

    @Test
    void supplementaryGroupsComeFromStatusWhenItsEffectiveIdsMatch() {
        Caller c = ProcessCredentials.fromStatus(STATUS, 1001, 200);
        assertEquals(1001, c.uid());
        assertEquals(Set.of(200, 24, 27, (int) 4_000_000_000L), c.groups());
    }

    @Test
    void aStatusOfSomeoneElseGivesThePrimaryGroupOnly() {
        assertEquals(Set.of(300), ProcessCredentials.fromStatus(STATUS, 1002, 300).groups());
        assertEquals(Set.of(100), ProcessCredentials.fromStatus(STATUS, 1001, 100).groups(), "real gid is not effective");
        assertEquals(Set.of(5), ProcessCredentials.fromStatus("garbage", 7, 5).groups());
    }

    @Test
    void aProcessThatIsGoneGivesThePrimaryGroupOnly() {
        assertEquals(Set.of(5), ProcessCredentials.ofPeer(Integer.MAX_VALUE, 7, 5).groups());
    }

    @Test
    void thisProcessReadsItsOwnGroups() throws Exception {
        int uid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid", LinkOption.NOFOLLOW_LINKS);
        int gid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:gid", LinkOption.NOFOLLOW_LINKS);
        Caller me = ProcessCredentials.ofPeer((int) ProcessHandle.current().pid(), uid, gid);
        assertTrue(me.groups().contains(gid), me.toString());
        String line = Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(l -> l.startsWith("Groups:")).findFirst().orElseThrow();
        for (String g : line.substring(7).trim().split("\\s+")) {
            if (!g.isEmpty()) {
                assertTrue(me.groups().contains(Integer.parseUnsignedInt(g)), g + " in " + me);
            }
        }
    }
}
