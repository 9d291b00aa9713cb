package dev.jfind.server.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

class PosixAclTest {
    /** The kernel's layout: little-endian version 2, then {tag u16, perm u16, id u32}. */
    static byte[] xattr(int version, int[]... entries) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        le(out, version, 4);
        for (int[] e : entries) {
            le(out, e[0], 2);
            le(out, e[1], 2);
            le(out, e[2], 4);
        }
        return out.toByteArray();
    }

    private static void le(ByteArrayOutputStream out, int value, int bytes) {
        for (int i = 0; i < bytes; i++) {
            out.write(value >>> (8 * i) & 0xff);
        }
    }

    @Test
    void parsesEveryTag() {
        PosixAcl acl = PosixAcl.parse(xattr(2,
                new int[] {PosixAcl.USER_OBJ, 7, -1},
                new int[] {PosixAcl.USER, 5, 70000},
                new int[] {PosixAcl.GROUP_OBJ, 4, -1},
                new int[] {PosixAcl.GROUP, 1, 100},
                new int[] {PosixAcl.MASK, 5, -1},
                new int[] {PosixAcl.OTHER, 0, -1}));
        assertEquals(4, acl.groupObj());
        assertEquals(5, acl.mask());
        assertEquals(List.of(new PosixAcl.Entry(70000, 5)), acl.users());
        assertEquals(List.of(new PosixAcl.Entry(100, 1)), acl.groups());
    }

    @Test
    void withoutAMaskNothingIsMasked() {
        assertEquals(7, PosixAcl.parse(xattr(2, new int[] {PosixAcl.GROUP_OBJ, 5, -1})).mask());
    }

    @Test
    void aUidAboveTwoToThe31IsKeptBitForBit() {
        PosixAcl acl = PosixAcl.parse(xattr(2, new int[] {PosixAcl.USER, 5, (int) 3_000_000_000L}));
        assertEquals((int) 3_000_000_000L, acl.users().get(0).id());
    }

    @Test
    void anythingElseIsRefusedRatherThanGuessed() {
        assertThrows(IllegalArgumentException.class, () -> PosixAcl.parse(new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> PosixAcl.parse(xattr(1)));
        assertThrows(IllegalArgumentException.class, () -> PosixAcl.parse(java.util.Arrays.copyOf(
                xattr(2, new int[] {PosixAcl.USER, 5, 1}), 9)));
        assertThrows(IllegalArgumentException.class, () -> PosixAcl.parse(xattr(2, new int[] {0x40, 5, 1})));
    }
}
