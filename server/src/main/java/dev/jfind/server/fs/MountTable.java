package dev.jfind.server.fs;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The mount points of this process's mount namespace and their file system types, read
 * from {@code /proc/self/mountinfo}. Immutable; thread-safe.
 */
public final class MountTable {
    private final Map<ByteBuffer, String> typeByMountPoint;
    /** Every mount, in the table's order. */
    private final List<Mount> mounts;

    /**
     * One line of mountinfo.
     *
     * @param device "major:minor"
     * @param root the directory of the file system mounted here ("/" unless a bind mount)
     */
    record Mount(int id, int parentId, String device, byte[] root, byte[] mountPoint, String type) {}

    private MountTable(Map<ByteBuffer, String> typeByMountPoint, List<Mount> mounts) {
        this.typeByMountPoint = typeByMountPoint;
        this.mounts = List.copyOf(mounts);
    }

    /** Reads the current table; an unreadable table (no /proc) gives an empty one. */
    public static MountTable current() {
        try {
            return parse(Files.readAllBytes(Path.of("/proc/self/mountinfo")));
        } catch (IOException e) {
            return new MountTable(Map.of(), List.of());
        }
    }

    /** Parses mountinfo text (see proc(5)); later mounts on the same point win. */
    public static MountTable parse(byte[] mountinfo) {
        Map<ByteBuffer, String> types = new HashMap<>();
        List<Mount> mounts = new ArrayList<>();
        String[] lines = new String(mountinfo, StandardCharsets.ISO_8859_1).split("\n");
        for (String line : lines) {
            String[] f = line.split(" ");
            int dash = java.util.Arrays.asList(f).indexOf("-");
            if (f.length < 5 || dash < 0 || dash + 1 >= f.length) {
                continue;
            }
            types.put(ByteBuffer.wrap(unescape(f[4])), f[dash + 1]);
            try {
                mounts.add(new Mount(Integer.parseInt(f[0]), Integer.parseInt(f[1]), f[2], unescape(f[3]),
                        unescape(f[4]), f[dash + 1]));
            } catch (NumberFormatException e) {
                // not a mountinfo line: its type is still known, it takes no part in bind mounts
            }
        }
        return new MountTable(types, mounts);
    }

    /**
     * Whether some file system mounted exactly at {@code path} (any of them, when several are
     * stacked there, as updatedb checks) has a type {@code pruned} accepts.
     */
    public boolean anyTypeAt(byte[] path, Predicate<String> pruned) {
        for (Mount m : mounts) {
            if (Arrays.equals(m.mountPoint(), path) && pruned.test(m.type())) {
                return true;
            }
        }
        return false;
    }

    /**
     * The mount points that updatedb (PRUNE_BIND_MOUNTS) takes for bind mounts, found as it
     * finds them: mounts under a file system of a pruned type are set aside first; then a mount
     * is a bind mount when another mount of the same device has a root that is a strict
     * prefix of its root (compared as strings, as updatedb does), or the same root and a lower
     * mount id.
     */
    public Set<ByteBuffer> bindMountPoints(Predicate<String> prunedType) {
        Map<Integer, Mount> byId = new HashMap<>();
        mounts.forEach(m -> byId.put(m.id(), m));
        Map<Integer, Boolean> underPruned = new HashMap<>();
        List<Mount> kept = new ArrayList<>();
        for (Mount m : mounts) {
            if (!underPruned(m, byId, prunedType, underPruned, 0)) {
                kept.add(m);
            }
        }
        Set<ByteBuffer> binds = new HashSet<>();
        for (Mount me : kept) {
            for (Mount other : kept) {
                if (other.id() == me.id() || !other.device().equals(me.device())) {
                    continue;
                }
                boolean childOf = me.root().length > other.root().length
                        && Arrays.equals(me.root(), 0, other.root().length, other.root(), 0, other.root().length);
                boolean duplicate = Arrays.equals(me.root(), other.root()) && me.id() > other.id();
                if (childOf || duplicate) {
                    binds.add(ByteBuffer.wrap(me.mountPoint()));
                    break;
                }
            }
        }
        return binds;
    }

    private static boolean underPruned(Mount m, Map<Integer, Mount> byId, Predicate<String> prunedType,
            Map<Integer, Boolean> cache, int depth) {
        Boolean known = cache.get(m.id());
        if (known != null) {
            return known;
        }
        Mount parent = byId.get(m.parentId());
        // the depth bound guards against a table whose parent links loop
        boolean result = prunedType.test(m.type()) || (parent != null && parent != m && depth < 1000
                && underPruned(parent, byId, prunedType, cache, depth + 1));
        cache.put(m.id(), result);
        return result;
    }

    /** The file system type mounted exactly at {@code path}, or null if it is no mount point. */
    public String typeAt(byte[] path) {
        return typeByMountPoint.get(ByteBuffer.wrap(path));
    }

    /** mountinfo writes space, tab, newline and backslash as octal escapes (\040 ...). */
    private static byte[] unescape(String field) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && isOctal(field, i + 1)) {
                out.write(Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.write(c); // ISO-8859-1 decoding kept every byte as one char
            }
        }
        return out.toByteArray();
    }

    private static boolean isOctal(String s, int from) {
        if (from + 3 > s.length()) {
            return false;
        }
        for (int i = from; i < from + 3; i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '7') {
                return false;
            }
        }
        return true;
    }
}
