package dev.jfind.server.access;

import java.util.Set;

/**
 * Who is asking: a user and the groups the kernel counts them in, or an anonymous caller
 * (TCP without credentials) who is judged as "other" everywhere. Learned from the kernel
 * or from a credential the daemon checked, never from what a client says about itself.
 *
 * @param uid the caller's user id; meaningless when {@code anonymous}
 * @param groups the primary group and every supplementary group
 * @param anonymous true for a caller with no identity: sees only what everyone may see
 */
public record Caller(int uid, Set<Integer> groups, boolean anonymous) {
    /** The caller TCP on loopback gets: no user, no group, only the "other" permission bits. */
    public static final Caller ANONYMOUS = new Caller(-1, Set.of(), true);

    public Caller {
        groups = Set.copyOf(groups);
    }

    /** A user with primary group {@code gid} and the supplementary {@code groups}. */
    public static Caller user(int uid, int gid, int... supplementary) {
        java.util.HashSet<Integer> all = new java.util.HashSet<>();
        all.add(gid);
        for (int g : supplementary) {
            all.add(g);
        }
        return new Caller(uid, all, false);
    }

    public boolean isRoot() {
        return !anonymous && uid == 0;
    }

    boolean inGroup(int gid) {
        return groups.contains(gid);
    }

    @Override
    public String toString() {
        return anonymous ? "anonymous" : "uid " + Integer.toUnsignedString(uid) + " groups " + groups;
    }
}
