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

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
