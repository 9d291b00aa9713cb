package dev.jfind.server.access;

import dev.jfind.server.fs.ExtendedAttributes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;

/**
 * What decides who may list or enter one directory: its owner, group, mode and, when it
 * has one, its POSIX access ACL.
 *
 * @param acl the extended ACL, or null when the mode bits say everything
 */
record DirectoryFacts(int uid, int gid, int mode, PosixAcl acl) {
    static final int READ = 4;
    static final int EXECUTE = 1;
    private static final int TYPE_MASK = 0170000;
    private static final int SYMLINK = 0120000;
    private static final String ACL_ATTRIBUTE = "system.posix_acl_access";

    /**
     * Reads the facts of {@code dir} as they are now (lstat, links not followed).
     *
     * The ACL is read only when it can matter to {@code caller}: not for its owner nor for an
     * anonymous caller, whom the mode's owner and other bits judge exactly as the ACL would.
     *
     * @throws IOException when {@code dir} cannot be stat-ed or its ACL cannot be read; the
     *     caller must then treat it as closed
     */
    static DirectoryFacts read(Path dir, Caller caller) throws IOException {
        Map<String, Object> a = Files.readAttributes(dir, "unix:uid,gid,mode", LinkOption.NOFOLLOW_LINKS);
        int mode = (Integer) a.get("mode");
        int uid = (Integer) a.get("uid");
        boolean aclMatters = !caller.anonymous() && caller.uid() != uid;
        PosixAcl acl = null;
        if (aclMatters && (mode & TYPE_MASK) != SYMLINK && ExtendedAttributes.available()) {
            byte[] xattr = ExtendedAttributes.read(dir, ACL_ATTRIBUTE);
            if (xattr != null) {
                try {
                    acl = PosixAcl.parse(xattr);
                } catch (IllegalArgumentException e) {
                    throw new IOException(dir + ": " + e.getMessage(), e);
                }
            }
        }
        return new DirectoryFacts(uid, (Integer) a.get("gid"), mode, acl);
    }

    /** True for a symbolic link (only a root or an ancestor of one can be: crawls never follow links). */
    boolean isSymlink() {
        return (mode & TYPE_MASK) == SYMLINK;
    }

    /**
     * Whether {@code caller} is granted every bit of {@code want} (rwx bits), as the kernel's
     * permission check decides without capabilities: the owner gets the owner bits and nothing
     * else; then a named-user ACL entry; then the groups (the owning group and named groups:
     * one matching entry must grant all of {@code want}, and a caller who matches some group
     * but is granted by none is refused rather than judged as other); then the other bits.
     * Named entries and the owning group are limited by the ACL mask.
     */
    boolean allows(Caller caller, int want) {
        int owner = (mode >> 6) & 7;
        int group = (mode >> 3) & 7;
        int other = mode & 7;
        if (caller.anonymous()) {
            return grants(other, want);
        }
        if (caller.uid() == uid) {
            return grants(owner, want);
        }
        if (acl == null) {
            return caller.inGroup(gid) ? grants(group, want) : grants(other, want);
        }
        for (PosixAcl.Entry user : acl.users()) {
            if (user.id() == caller.uid()) {
                return grants(user.perm() & acl.mask(), want);
            }
        }
        boolean inSomeGroup = false;
        if (caller.inGroup(gid)) {
            inSomeGroup = true;
            if (grants(acl.groupObj() & acl.mask(), want)) {
                return true;
            }
        }
        for (PosixAcl.Entry g : acl.groups()) {
            if (caller.inGroup(g.id())) {
                inSomeGroup = true;
                if (grants(g.perm() & acl.mask(), want)) {
                    return true;
                }
            }
        }
        return !inSomeGroup && grants(other, want);
    }

    private static boolean grants(int bits, int want) {
        return (bits & want) == want;
    }
}
