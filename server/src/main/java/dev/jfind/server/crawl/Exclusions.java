package dev.jfind.server.crawl;

import dev.jfind.server.config.UpdatedbConf;
import dev.jfind.server.fs.MountTable;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What a crawl leaves out, and where each rule came from. jfind's own rules leave out whole
 * subtrees by path and entries by name (the entry itself too), and do not enter mount points
 * of some file system types. The machine's updatedb.conf rules, when followed, prune as
 * {@code updatedb.plocate} does: a directory named in PRUNENAMES, at a path in PRUNEPATHS, a
 * mount point of a PRUNEFS type (in any case) or, with PRUNE_BIND_MOUNTS, a bind mount is
 * itself indexed, but not entered. A root is always entered. Immutable; thread-safe.
 */
public final class Exclusions {

    /** Never worth entering: kernel and virtual file systems, for every root. */
    public static final List<String> VIRTUAL_FS = List.of(
            "proc", "sysfs", "devtmpfs", "devpts", "cgroup", "cgroup2", "securityfs", "debugfs",
            "tracefs", "pstore", "bpf", "configfs", "fusectl", "mqueue", "hugetlbfs",
            "binfmt_misc", "efivarfs", "rpc_pipefs", "autofs", "nsfs", "selinuxfs");

    /**
     * One rule in force, for people (jfindd --print-excludes).
     *
     * @param effect what it does to what it matches
     * @param kind what it matches: a path, a name, a file system type
     * @param value the path, name or type
     * @param source where it came from: a configuration key, a line of updatedb.conf, a built-in list
     */
    public record Rule(String effect, String kind, String value, String source) {
        @Override
        public String toString() {
            return String.format("%-22s %-9s %-28s %s", effect, kind, value, source);
        }
    }

    static final String LEAVE_OUT = "leave out with subtree";
    static final String NOT_ENTERED = "index, do not enter";

    private final Set<ByteBuffer> roots;
    private final Set<ByteBuffer> paths;
    private final Set<ByteBuffer> names;
    private final Set<String> fsTypes;
    private final Set<ByteBuffer> prunePaths;
    private final Set<ByteBuffer> pruneNames;
    /** Upper case: updatedb matches file system types in any case. */
    private final Set<String> pruneFs;
    private final boolean pruneBindMounts;
    private final List<Rule> rules;

    private Exclusions(Builder b) {
        roots = Set.copyOf(b.roots);
        paths = Set.copyOf(b.paths);
        names = Set.copyOf(b.names);
        fsTypes = Set.copyOf(b.fsTypes);
        prunePaths = Set.copyOf(b.prunePaths);
        pruneNames = Set.copyOf(b.pruneNames);
        pruneFs = Set.copyOf(b.pruneFs);
        pruneBindMounts = b.pruneBindMounts;
        rules = List.copyOf(b.rules);
    }

    /** Rules for {@code roots} (absolute paths, as bytes): the virtual file systems to begin with. */
    public static Builder builder(Collection<byte[]> roots) {
        return new Builder(roots);
    }

    /** The virtual file systems, plus the caller's own rules. */
    public static Exclusions forRoots(Collection<byte[]> roots, Collection<byte[]> extraPaths,
            Collection<byte[]> extraNames, Collection<String> extraFsTypes) {
        Builder b = builder(roots);
        extraPaths.forEach(p -> b.leaveOutPath(p, "caller"));
        extraNames.forEach(n -> b.leaveOutName(n, "caller"));
        extraFsTypes.forEach(t -> b.skipFsType(t, "caller"));
        return b.build();
    }

    /** No exclusions except the virtual file systems. */
    public static Exclusions virtualOnly() {
        return builder(List.of()).build();
    }

    /** Collects the rules with their sources. Not thread-safe. */
    public static final class Builder {
        private final Set<ByteBuffer> roots = new HashSet<>();
        private final Set<ByteBuffer> paths = new HashSet<>();
        private final Set<ByteBuffer> names = new HashSet<>();
        private final Set<String> fsTypes = new HashSet<>();
        private final Set<ByteBuffer> prunePaths = new HashSet<>();
        private final Set<ByteBuffer> pruneNames = new HashSet<>();
        private final Set<String> pruneFs = new HashSet<>();
        private boolean pruneBindMounts;
        private final List<Rule> rules = new ArrayList<>();

        private Builder(Collection<byte[]> roots) {
            roots.forEach(r -> this.roots.add(ByteBuffer.wrap(stripTrailingSlash(r))));
            for (String type : VIRTUAL_FS) {
                skipFsType(type, "built-in list of virtual file systems");
            }
        }

        /** Leaves out {@code path} (absolute) and everything below it. */
        public Builder leaveOutPath(byte[] path, String source) {
            byte[] p = stripTrailingSlash(path);
            if (paths.add(ByteBuffer.wrap(p))) {
                rules.add(new Rule(LEAVE_OUT, "path", forPeople(p), source));
            }
            return this;
        }

        /** Leaves out every entry named {@code name}, of any type, and what is below it. */
        public Builder leaveOutName(byte[] name, String source) {
            if (names.add(ByteBuffer.wrap(name.clone()))) {
                rules.add(new Rule(LEAVE_OUT, "name", forPeople(name), source));
            }
            return this;
        }

        /** Does not enter mount points of file systems of this exact type. */
        public Builder skipFsType(String type, String source) {
            if (fsTypes.add(type)) {
                rules.add(new Rule(NOT_ENTERED, "fs type", type, source));
            }
            return this;
        }

        /** Follows the machine's updatedb.conf, as updatedb.plocate does. */
        public Builder updatedb(UpdatedbConf conf) {
            String file = conf.file().toString();
            if (!conf.present()) {
                rules.add(new Rule("(nothing pruned)", "", "", file
                        + " does not exist: plocate's built-in defaults, which prune nothing"));
                return this;
            }
            for (UpdatedbConf.Value v : conf.prunePaths()) {
                // exact paths, as updatedb compares them: "/tmp/" never matches a directory
                if (prunePaths.add(ByteBuffer.wrap(v.bytes()))) {
                    rules.add(new Rule(NOT_ENTERED, "dir path", v.text(), file + ":" + v.line() + " PRUNEPATHS"));
                }
            }
            for (UpdatedbConf.Value v : conf.pruneNames()) {
                if (pruneNames.add(ByteBuffer.wrap(v.bytes()))) {
                    rules.add(new Rule(NOT_ENTERED, "dir name", v.text(), file + ":" + v.line() + " PRUNENAMES"));
                }
            }
            for (UpdatedbConf.Value v : conf.pruneFs()) {
                if (pruneFs.add(upper(v.latin1()))) {
                    rules.add(new Rule(NOT_ENTERED, "fs type", v.text() + " (any case)",
                            file + ":" + v.line() + " PRUNEFS"));
                }
            }
            pruneBindMounts = conf.pruneBindMounts();
            String where = conf.pruneBindMountsLine() > 0
                    ? file + ":" + conf.pruneBindMountsLine() + " PRUNE_BIND_MOUNTS"
                    : "plocate's default (PRUNE_BIND_MOUNTS not set in " + file + ")";
            rules.add(new Rule(pruneBindMounts ? NOT_ENTERED : "enter", "bind mounts", "", where));
            return this;
        }

        public Exclusions build() {
            return new Exclusions(this);
        }
    }

    /** Every rule in force with its source, jfind's own first. */
    public List<Rule> rules() {
        return rules;
    }

    /** A stable fingerprint of the rules, to notice that they changed between runs. */
    public String fingerprint() {
        java.util.function.Function<Set<ByteBuffer>, String> bytes = set -> set.stream()
                .map(b -> java.util.HexFormat.of().formatHex(b.array(), b.arrayOffset() + b.position(),
                        b.arrayOffset() + b.limit()))
                .sorted().collect(java.util.stream.Collectors.joining(","));
        String own = "paths=" + bytes.apply(paths) + ";names=" + bytes.apply(names) + ";fs="
                + fsTypes.stream().sorted().collect(java.util.stream.Collectors.joining(","));
        // Only when updatedb.conf prunes something, so a daemon that does not follow it keeps
        // the fingerprint it had (and its listings) across an upgrade.
        if (prunePaths.isEmpty() && pruneNames.isEmpty() && pruneFs.isEmpty() && !pruneBindMounts) {
            return own;
        }
        return own + ";prunepaths=" + bytes.apply(prunePaths) + ";prunenames=" + bytes.apply(pruneNames)
                + ";prunefs=" + pruneFs.stream().sorted().collect(java.util.stream.Collectors.joining(","))
                + ";prunebind=" + (pruneBindMounts ? 1 : 0);
    }

    /**
     * Whether updatedb's rules keep the crawl out of {@code dir} (which is itself indexed): by
     * its name or path, the type of a file system mounted on it, or as a bind mount (one of
     * {@code bindMounts}, from {@link #bindMountsIn}). Never a root.
     */
    boolean prunes(Entry dir, MountTable mounts, Set<ByteBuffer> bindMounts) {
        byte[] path = dir.path();
        if (roots.contains(ByteBuffer.wrap(path))) {
            return false;
        }
        if (prunedByPathOrName(path, dir.nameOffset())) {
            return true;
        }
        if (!pruneFs.isEmpty() && mounts.anyTypeAt(path, this::prunesFsType)) {
            return true;
        }
        return !bindMounts.isEmpty() && bindMounts.contains(ByteBuffer.wrap(path));
    }

    /** The bind mounts updatedb would not enter under these rules; empty unless PRUNE_BIND_MOUNTS. */
    Set<ByteBuffer> bindMountsIn(MountTable mounts) {
        return pruneBindMounts ? mounts.bindMountPoints(this::prunesFsType) : Set.of();
    }

    private boolean prunesFsType(String type) {
        return pruneFs.contains(upper(type));
    }

    private boolean prunedByPathOrName(byte[] path, int nameOffset) {
        return (!prunePaths.isEmpty() && prunePaths.contains(ByteBuffer.wrap(path)))
                || (!pruneNames.isEmpty() && pruneNames.contains(
                        ByteBuffer.wrap(path, nameOffset, path.length - nameOffset).slice()));
    }

    /** ASCII upper case, as updatedb folds file system types (toupper in the C locale). */
    private static String upper(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            b.append(c >= 'a' && c <= 'z' ? (char) (c - 32) : c);
        }
        return b.toString();
    }

    private static String forPeople(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    boolean excludesPath(byte[] path) {
        return !paths.isEmpty() && paths.contains(ByteBuffer.wrap(path));
    }

    boolean excludesName(byte[] path, int nameOffset) {
        return !names.isEmpty()
                && names.contains(ByteBuffer.wrap(path, nameOffset, path.length - nameOffset).slice());
    }

    /**
     * Whether {@code path}, or any directory between {@code root} (exclusive) and it, is left
     * out or pruned by path or by name: {@code path} is not to be listed. The crawl checks each entry as it meets it; this checks a whole
     * path at once, for a directory reached without a crawl from its root.
     */
    boolean excludesBelow(byte[] root, byte[] path) {
        if (path.length <= root.length) {
            return false;
        }
        int start = root.length == 1 ? 1 : root.length + 1; // first byte of the first name below root
        for (int end = start; end <= path.length; end++) {
            if (end == path.length || path[end] == '/') {
                byte[] prefix = java.util.Arrays.copyOf(path, end);
                // a pruned directory is indexed but never listed: neither it nor what is below
                if (excludesPath(prefix) || excludesName(prefix, start) || prunedByPathOrName(prefix, start)) {
                    return true;
                }
                start = end + 1;
            }
        }
        return false;
    }

    boolean excludesFsType(String type) {
        return type != null && fsTypes.contains(type);
    }

    private static byte[] stripTrailingSlash(byte[] p) {
        int n = p.length;
        while (n > 1 && p[n - 1] == '/') {
            n--;
        }
        return java.util.Arrays.copyOf(p, n);
    }
}
