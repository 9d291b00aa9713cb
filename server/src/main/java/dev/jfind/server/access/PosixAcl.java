package dev.jfind.server.access;

import java.util.ArrayList;
import java.util.List;

/**
 * A POSIX access ACL as Linux stores it in the {@code system.posix_acl_access} extended
 * attribute: a 4-byte version (2), then 8-byte entries {tag u16, perm u16, id u32}, little
 * endian. A directory with only the three entries the mode bits hold has no such attribute.
 *
 * @param groupObj permissions of the owning group (the mode's group bits hold the mask instead)
 * @param mask upper bound for named users, named groups and the owning group; rwx when absent
 * @param users named-user entries
 * @param groups named-group entries
 */
record PosixAcl(int groupObj, int mask, List<Entry> users, List<Entry> groups) {
    static final int USER_OBJ = 0x01;
    static final int USER = 0x02;
    static final int GROUP_OBJ = 0x04;
    static final int GROUP = 0x08;
    static final int MASK = 0x10;
    static final int OTHER = 0x20;
    private static final int VERSION = 2;

    /** One named entry: who ({@code id}) may do what ({@code perm}, rwx bits). */
    record Entry(int id, int perm) {}

    PosixAcl {
        users = List.copyOf(users);
        groups = List.copyOf(groups);
    }

    /**
     * Parses the attribute's value.
     *
     * @throws IllegalArgumentException when it is not a version 2 ACL: the caller must then
     *     judge the directory as unreadable rather than guess
     */
    static PosixAcl parse(byte[] xattr) {
        if (xattr.length < 4 || (xattr.length - 4) % 8 != 0 || le32(xattr, 0) != VERSION) {
            throw new IllegalArgumentException("not a version 2 POSIX ACL (" + xattr.length + " bytes)");
        }
        int groupObj = 0;
        int mask = 7;
        List<Entry> users = new ArrayList<>();
        List<Entry> groups = new ArrayList<>();
        for (int at = 4; at < xattr.length; at += 8) {
            int tag = le16(xattr, at);
            int perm = le16(xattr, at + 2) & 7;
            int id = le32(xattr, at + 4);
            switch (tag) {
                case USER -> users.add(new Entry(id, perm));
                case GROUP -> groups.add(new Entry(id, perm));
                case GROUP_OBJ -> groupObj = perm;
                case MASK -> mask = perm;
                case USER_OBJ, OTHER -> {
                    // the mode bits hold these two exactly; they are read from there
                }
                default -> throw new IllegalArgumentException("unknown ACL tag " + tag);
            }
        }
        return new PosixAcl(groupObj, mask, users, groups);
    }

    private static int le16(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8;
    }

    private static int le32(byte[] b, int at) {
        return le16(b, at) | le16(b, at + 2) << 16;
    }
}
