package dev.jfind.server.access;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The permission check, case by case, as the kernel decides without capabilities. */
class DirectoryFactsTest {
    private static final int OWNER = 1000;
    private static final int GROUP = 100;
    private static final int R = DirectoryFacts.READ;
    private static final int X = DirectoryFacts.EXECUTE;
    private static final int RX = R | X;

    private static final Caller OWNER_CALLER = Caller.user(OWNER, 5000);
    private static final Caller MEMBER = Caller.user(2000, 5000, GROUP);
    private static final Caller PRIMARY_MEMBER = Caller.user(2001, GROUP);
    private static final Caller STRANGER = Caller.user(3000, 3000);

    private record Case(String why, int mode, PosixAcl acl, Caller caller, int want, boolean allowed) {}

    private static DirectoryFacts dir(int mode, PosixAcl acl) {
        return new DirectoryFacts(OWNER, GROUP, 040000 | mode, acl);
    }

    private static PosixAcl acl(int groupObj, int mask, List<PosixAcl.Entry> users, List<PosixAcl.Entry> groups) {
        return new PosixAcl(groupObj, mask, users, groups);
    }

    @Test
    void modeBits() {
        List<Case> cases = List.of(
                new Case("owner bits for the owner", 0700, null, OWNER_CALLER, RX, true),
                new Case("owner without x", 0600, null, OWNER_CALLER, X, false),
                new Case("the owner gets the owner bits only, even when others get more", 0077, null,
                        OWNER_CALLER, R, false),
                new Case("private to others", 0700, null, STRANGER, X, false),
                new Case("group bits for a supplementary member", 0750, null, MEMBER, RX, true),
                new Case("group bits for a primary member", 0750, null, PRIMARY_MEMBER, RX, true),
                new Case("group-only is closed to others", 0750, null, STRANGER, X, false),
                new Case("a member gets the group bits, not other's", 0705, null, MEMBER, R, false),
                new Case("world-readable", 0755, null, STRANGER, RX, true),
                new Case("readable but not searchable", 0744, null, STRANGER, X, false),
                new Case("searchable but not readable", 0711, null, STRANGER, R, false),
                new Case("searchable but not readable: x alone is fine", 0711, null, STRANGER, X, true),
                new Case("anonymous gets other bits", 0755, null, Caller.ANONYMOUS, RX, true),
                new Case("anonymous is nobody's group", 0750, null, Caller.ANONYMOUS, X, false),
                new Case("want nothing", 0000, null, STRANGER, 0, true));
        check(cases);
    }

    @Test
    void posixAcls() {
        PosixAcl denyStranger = acl(5, 7, List.of(new PosixAcl.Entry(3000, 0)), List.of());
        PosixAcl grantStranger = acl(0, 7, List.of(new PosixAcl.Entry(3000, 5)), List.of());
        PosixAcl maskedGrant = acl(0, 1, List.of(new PosixAcl.Entry(3000, 7)), List.of());
        PosixAcl groupObjClosed = acl(0, 7, List.of(), List.of());
        PosixAcl namedGroup = acl(0, 7, List.of(), List.of(new PosixAcl.Entry(5000, 5)));
        PosixAcl splitGroups = acl(4, 7, List.of(), List.of(new PosixAcl.Entry(5000, 1)));
        List<Case> cases = List.of(
                new Case("a named-user entry denies what other grants", 0755, denyStranger, STRANGER, X, false),
                new Case("a named-user entry grants what other does not", 0750, grantStranger, STRANGER, RX, true),
                new Case("the mask limits a named user", 0710, maskedGrant, STRANGER, R, false),
                new Case("the mask limits a named user: x passes", 0710, maskedGrant, STRANGER, X, true),
                new Case("the owning group's own entry, not the mode's group bits (the mask)", 0775,
                        groupObjClosed, PRIMARY_MEMBER, X, false),
                new Case("a group member refused by its group is not judged as other", 0775,
                        groupObjClosed, PRIMARY_MEMBER, R, false),
                new Case("a named group grants its members", 0700, namedGroup, Caller.user(4000, 5000), RX, true),
                new Case("the owner is judged by the owner bits, whatever the ACL", 0700, denyStranger,
                        OWNER_CALLER, RX, true),
                new Case("other still applies to callers matched by nothing", 0755, namedGroup, STRANGER, RX, true),
                new Case("one group entry must grant all that is asked", 0770, splitGroups, MEMBER, RX, false),
                new Case("r from one group entry", 0770, splitGroups, MEMBER, R, true),
                new Case("x from the other", 0770, splitGroups, MEMBER, X, true),
                new Case("anonymous gets other bits under an ACL too", 0755, denyStranger, Caller.ANONYMOUS, RX, true));
        check(cases);
    }

    private static void check(List<Case> cases) {
        for (Case c : cases) {
            assertEquals(c.allowed(), dir(c.mode(), c.acl()).allows(c.caller(), c.want()), c.why());
        }
    }
}
