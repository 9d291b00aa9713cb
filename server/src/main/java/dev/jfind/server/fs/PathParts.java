package dev.jfind.server.fs;

import java.util.Arrays;

/**
 * The arithmetic of absolute paths kept as raw bytes: where the name starts, the parent, the
 * depth, joining a parent and a name, the prefix of everything below a directory. The one place
 * that knows "/" is its own name, has an empty parent and is 0 deep. Names are bytes: nothing
 * here decodes them, so a name that is not UTF-8, or holds a newline, is handled like any other.
 *
 * <p>{@code join(parentOf(p), nameOf(p))} gives back {@code p} exactly, for every absolute path
 * without a trailing slash, including "/" itself. (Paths from the kernel never end in '/'.)
 *
 * <p>Thread-safe; stateless. Arrays passed in are never modified.
 */
public final class PathParts {
    private static final byte[] ROOT = {'/'};

    private PathParts() {}

    /** Whether {@code path} is "/". */
    public static boolean isRoot(byte[] path) {
        return path.length == 1 && path[0] == '/';
    }

    /** The index of the last '/' in {@code path[0, end)}, or -1 if there is none. */
    public static int lastSlash(byte[] path, int end) {
        for (int i = end - 1; i >= 0; i--) {
            if (path[i] == '/') {
                return i;
            }
        }
        return -1;
    }

    /** Where the name starts in {@code path}: after the last '/' (0 if there is none). */
    public static int nameOffset(byte[] path) {
        return lastSlash(path, path.length) + 1;
    }

    /**
     * The end of the parent of {@code path[0, end)}, so that {@code path[0, parentEnd)} is the
     * parent: 1 for a child of "/", -1 for "/" itself (or a bare name, which has no parent).
     */
    public static int parentEnd(byte[] path, int end) {
        int slash = lastSlash(path, end);
        if (end <= 1 || slash < 0) {
            return -1;
        }
        return slash == 0 ? 1 : slash;
    }

    /** The parent's path bytes ("/" for a top-level entry, empty for "/" itself). */
    public static byte[] parentOf(byte[] path) {
        int end = parentEnd(path, path.length);
        return end < 0 ? new byte[0] : Arrays.copyOf(path, end);
    }

    /** The last component; "/" is its own name (its parent is empty). */
    public static byte[] nameOf(byte[] path) {
        if (isRoot(path)) {
            return ROOT.clone();
        }
        return Arrays.copyOfRange(path, nameOffset(path), path.length);
    }

    /**
     * Components in {@code path}: "/" is 0 deep, "/a" 1, "/a/b" 2; the empty path (the parent
     * of "/") is -1 deep, so that a path is always one deeper than its parent.
     */
    public static int depth(byte[] path) {
        if (path.length == 0) {
            return -1;
        }
        if (isRoot(path)) {
            return 0;
        }
        int slashes = 0;
        for (byte b : path) {
            if (b == '/') {
                slashes++;
            }
        }
        return slashes;
    }

    /**
     * The path of {@code name[nameStart, nameStart + nameLength)} in
     * {@code parent[0, parentLength)}; an empty parent gives the name itself ("/" as the name
     * of the root).
     */
    public static byte[] join(byte[] parent, int parentLength, byte[] name, int nameStart, int nameLength) {
        if (parentLength == 0) {
            return Arrays.copyOfRange(name, nameStart, nameStart + nameLength);
        }
        boolean root = parentLength == 1 && parent[0] == '/';
        int head = root ? 1 : parentLength + 1;
        byte[] path = new byte[head + nameLength];
        System.arraycopy(parent, 0, path, 0, parentLength);
        path[head - 1] = '/';
        System.arraycopy(name, nameStart, path, head, nameLength);
        return path;
    }

    /** The path of {@code name} in {@code parent}. */
    public static byte[] join(byte[] parent, byte[] name) {
        return join(parent, parent.length, name, 0, name.length);
    }

    /** {@code dir + "/"}: the prefix every path below {@code dir} starts with ("/" for "/"). */
    public static byte[] below(byte[] dir) {
        if (isRoot(dir)) {
            return dir;
        }
        byte[] prefix = Arrays.copyOf(dir, dir.length + 1);
        prefix[dir.length] = '/';
        return prefix;
    }
}
