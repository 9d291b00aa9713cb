package dev.jfind.server.index;

import dev.jfind.server.crawl.Entry;
import java.util.Arrays;

/**
 * A path as the index keeps it: parent directory and name, so that a path's bytes are stored
 * once as a short name and siblings share their parent. {@code join(parentOf(p), nameOf(p))}
 * gives back {@code p} exactly, for every absolute path including "/" itself.
 */
final class PathParts {
    private static final byte[] SLASH = {'/'};

    private PathParts() {}

    static byte[] parentOf(byte[] path) {
        return Entry.parentOf(path);
    }

    /** The last component; "/" is its own name (its parent is empty). */
    static byte[] nameOf(byte[] path) {
        if (path.length == 1 && path[0] == '/') {
            return SLASH;
        }
        return Arrays.copyOfRange(path, nameOffset(path), path.length);
    }

    static int nameOffset(byte[] path) {
        return Entry.nameOffset(path);
    }

    /** The path of {@code name} in {@code parent}. */
    static byte[] join(byte[] parent, int parentLength, byte[] name, int nameStart, int nameLength) {
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

    static byte[] join(byte[] parent, byte[] name) {
        return join(parent, parent.length, name, 0, name.length);
    }

    /** {@code dir + "/"}: the prefix every path below {@code dir} starts with. */
    static byte[] below(byte[] dir) {
        if (dir.length == 1 && dir[0] == '/') {
            return dir;
        }
        byte[] prefix = Arrays.copyOf(dir, dir.length + 1);
        prefix[dir.length] = '/';
        return prefix;
    }
}
