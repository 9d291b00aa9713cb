package dev.jfind.server.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MountTableTest {
    private static final String SAMPLE = String.join("\n",
            "22 1 0:21 / /proc rw,nosuid,nodev,noexec,relatime shared:5 - proc proc rw",
            "23 1 0:22 / /sys rw,nosuid shared:6 - sysfs sysfs rw",
            "40 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw",
            "51 40 0:45 / /mnt/my\\040disk rw,relatime - vfat /dev/sdb1 rw",
            "52 40 0:46 / /srv/back\\134slash rw - nfs4 server:/x rw,vers=4.2",
            "53 40 0:47 / /tmp rw shared:9 opt:tag - tmpfs tmpfs rw",
            "");

    @Test
    void readsTypesAndUnescapesMountPoints() {
        MountTable table = MountTable.parse(SAMPLE.getBytes(StandardCharsets.ISO_8859_1));
        assertEquals("proc", table.typeAt(b("/proc")));
        assertEquals("ext4", table.typeAt(b("/")));
        assertEquals("vfat", table.typeAt(b("/mnt/my disk")));
        assertEquals("nfs4", table.typeAt(b("/srv/back\\slash")));
        assertEquals("tmpfs", table.typeAt(b("/tmp")), "optional fields before the separator are skipped");
        assertNull(table.typeAt(b("/home")));
    }

    @Test
    void currentTableHasTheRootMount() {
        assertEquals(true, MountTable.current().typeAt(b("/")) != null);
    }

    @Test
    void bindMountsAreFoundAsUpdatedbFindsThem() {
        MountTable table = MountTable.parse(String.join("\n",
                "1 0 8:1 / / rw - ext4 /dev/sda1 rw",
                "2 1 8:1 /srv/data /mnt/data rw - ext4 /dev/sda1 rw", // a directory of / bound elsewhere
                "3 1 0:40 / /run rw - tmpfs tmpfs rw",
                "4 3 0:40 /x /run/x-again rw - tmpfs tmpfs rw", // under a pruned type: set aside
                "5 1 8:2 / /home rw - ext4 /dev/sda2 rw",
                "6 1 8:2 / /home2 rw - ext4 /dev/sda2 rw", // the same root again, later id
                "7 1 8:3 / /data rw - xfs /dev/sda3 rw",
                "").getBytes(StandardCharsets.ISO_8859_1));
        java.util.function.Predicate<String> tmpfs = "tmpfs"::equalsIgnoreCase;
        assertEquals(java.util.Set.of(buf("/mnt/data"), buf("/home2")), table.bindMountPoints(tmpfs));
        assertEquals(java.util.Set.of(buf("/mnt/data"), buf("/home2"), buf("/run/x-again")),
                table.bindMountPoints(t -> false));
        assertEquals(true, table.anyTypeAt(b("/run"), tmpfs));
        assertEquals(false, table.anyTypeAt(b("/run/x"), tmpfs));
    }

    private static java.nio.ByteBuffer buf(String s) {
        return java.nio.ByteBuffer.wrap(b(s));
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
