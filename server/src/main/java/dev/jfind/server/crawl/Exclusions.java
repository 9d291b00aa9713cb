package dev.jfind.server.crawl;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What a crawl leaves out: whole subtrees by path, entries by name, and the contents of
 * mounted file systems by type. Immutable; thread-safe.
 *
 * @param paths absolute paths whose entry and subtree are left out
 * @param names entry names (any type) whose entry and subtree are left out
 * @param fsTypes file system types whose mount points are indexed but not entered
 */
public record Exclusions(Set<ByteBuffer> paths, Set<ByteBuffer> names, Set<String> fsTypes) {

    /** Never worth entering: kernel and virtual file systems, for every root. */
    public static final List<String> VIRTUAL_FS = List.of(
            "proc", "sysfs", "devtmpfs", "devpts", "cgroup", "cgroup2", "securityfs", "debugfs",
            "tracefs", "pstore", "bpf", "configfs", "fusectl", "mqueue", "hugetlbfs",
            "binfmt_misc", "efivarfs", "rpc_pipefs", "autofs", "nsfs", "selinuxfs");

    /** Debian's /etc/updatedb.conf PRUNEFS, applied when "/" is a root. */
    public static final List<String> UPDATEDB_PRUNEFS = List.of(
            "NFS", "afs", "autofs", "binfmt_misc", "bpf", "ceph", "cgroup", "cgroup2", "cifs",
            "coda", "configfs", "curlftpfs", "debugfs", "devfs", "devpts", "devtmpfs", "ecryptfs",
            "ftpfs", "fuse.ceph", "fuse.glusterfs", "fuse.gvfsd-fuse", "fuse.mfs", "fuse.rozofs",
            "fuse.sshfs", "fusectl", "fusesmb", "hugetlbfs", "iso9660", "lustre", "lustre_lite",
            "mfs", "mqueue", "ncpfs", "nfs", "nfs4", "ocfs2", "proc", "pstore", "rpc_pipefs",
            "securityfs", "shfs", "smbfs", "sysfs", "tmpfs", "tracefs", "udev", "udf", "usbfs");

    /** Debian's /etc/updatedb.conf PRUNEPATHS, applied when "/" is a root. */
    public static final List<String> UPDATEDB_PRUNEPATHS = List.of(
            "/tmp", "/var/spool", "/media", "/var/lib/os-prober", "/var/lib/ceph",
            "/home/.ecryptfs", "/var/lib/schroot");

    /** Debian's /etc/updatedb.conf PRUNENAMES, applied when "/" is a root. */
    public static final List<String> UPDATEDB_PRUNENAMES = List.of(".git", ".bzr", ".hg", ".svn");

    public Exclusions {
        paths = Set.copyOf(paths);
        names = Set.copyOf(names);
        fsTypes = Set.copyOf(fsTypes);
    }

    /**
     * The rules for a set of roots: the virtual file systems always, Debian's updatedb
     * defaults when the whole system ("/") is crawled, plus the caller's own.
     */
    public static Exclusions forRoots(Collection<byte[]> roots, Collection<byte[]> extraPaths,
            Collection<byte[]> extraNames, Collection<String> extraFsTypes) {
        boolean systemWide = roots.stream().anyMatch(r -> r.length == 1 && r[0] == '/');
        Set<ByteBuffer> paths = new HashSet<>();
        Set<ByteBuffer> names = new HashSet<>();
        Set<String> fs = new HashSet<>(VIRTUAL_FS);
        if (systemWide) {
            UPDATEDB_PRUNEPATHS.forEach(p -> paths.add(utf8(p)));
            UPDATEDB_PRUNENAMES.forEach(n -> names.add(utf8(n)));
            fs.addAll(UPDATEDB_PRUNEFS);
        }
        extraPaths.forEach(p -> paths.add(ByteBuffer.wrap(stripTrailingSlash(p))));
        extraNames.forEach(n -> names.add(ByteBuffer.wrap(n)));
        fs.addAll(extraFsTypes);
        return new Exclusions(paths, names, fs);
    }

    /** No exclusions except the virtual file systems. */
    public static Exclusions virtualOnly() {
        return new Exclusions(Set.of(), Set.of(), Set.copyOf(VIRTUAL_FS));
    }

    /** A stable fingerprint of the rules, to notice that they changed between runs. */
    public String fingerprint() {
        java.util.function.Function<Set<ByteBuffer>, String> bytes = set -> set.stream()
                .map(b -> java.util.HexFormat.of().formatHex(b.array(), b.arrayOffset() + b.position(),
                        b.arrayOffset() + b.limit()))
                .sorted().collect(java.util.stream.Collectors.joining(","));
        return "paths=" + bytes.apply(paths) + ";names=" + bytes.apply(names) + ";fs="
                + fsTypes.stream().sorted().collect(java.util.stream.Collectors.joining(","));
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
     * out by path or by name. The crawl checks each entry as it meets it; this checks a whole
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
                if (excludesPath(prefix) || excludesName(prefix, start)) {
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

    private static ByteBuffer utf8(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] stripTrailingSlash(byte[] p) {
        int n = p.length;
        while (n > 1 && p[n - 1] == '/') {
            n--;
        }
        return java.util.Arrays.copyOf(p, n);
    }
}
