package dev.jfind.server.match;

import dev.jfind.server.crawl.EntryType;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.lucene.util.BytesRef;

/**
 * The path under test, seen by every node of a {@link PathFilter}. The index hands paths
 * over as parent directory and name; the views a filter may need (the joined path, its
 * case-folded bytes, its text for a regex) are built lazily, once per path, and views of
 * the parent once per directory: siblings come one after another and share the same parent
 * array, so a check on the parent is made once for all of them.
 *
 * <p>Not thread-safe: one per search. A subclass supplies the raw values and calls
 * {@link #next()} whenever it moves to another path.
 */
public abstract class Candidate {
    private static final byte[] ROOT = {'/'};

    private byte[] path;
    private byte[] foldedName;
    private byte[] foldedPath;
    private String pathText;
    private String nameText;
    private byte[] parentSeen;
    private byte[] foldedParent;
    private int parentDepth;
    private Budget budget = Budget.unlimited();

    /** The parent directory's bytes; the same array for consecutive siblings. Do not modify. */
    public abstract byte[] parent();

    /** The last component's bytes; valid until the next path. */
    public abstract BytesRef name();

    public abstract EntryType type();

    public abstract long size();

    public abstract long mtimeMillis();

    /** Forget the views of the previous path. */
    protected final void next() {
        path = null;
        foldedName = null;
        foldedPath = null;
        pathText = null;
        nameText = null;
    }

    public final void budget(Budget budget) {
        this.budget = budget;
    }

    final Budget budget() {
        return budget;
    }

    /** The whole path (joined once). */
    public final byte[] path() {
        if (path == null) {
            path = join(parent(), name());
        }
        return path;
    }

    final byte[] foldedParent() {
        refreshParent();
        return foldedParent;
    }

    final byte[] foldedName() {
        if (foldedName == null) {
            BytesRef n = name();
            foldedName = CaseFolding.fold(Arrays.copyOfRange(n.bytes, n.offset, n.offset + n.length));
        }
        return foldedName;
    }

    /** Folding works per code point and '/' is ASCII: the folded path is the folded parts joined. */
    final byte[] foldedPath() {
        if (foldedPath == null) {
            byte[] name = foldedName();
            foldedPath = join(foldedParent(), new BytesRef(name));
        }
        return foldedPath;
    }

    /** The path as text (UTF-8; bytes that are not UTF-8 read as U+FFFD), for regexes. */
    final String pathText() {
        if (pathText == null) {
            pathText = new String(path(), StandardCharsets.UTF_8);
        }
        return pathText;
    }

    final String nameText() {
        if (nameText == null) {
            BytesRef n = name();
            nameText = new String(n.bytes, n.offset, n.length, StandardCharsets.UTF_8);
        }
        return nameText;
    }

    /** Components in the path: "/a" is 1 deep, "/a/b" 2. */
    final int depth() {
        refreshParent();
        return parentDepth + 1;
    }


    private void refreshParent() {
        byte[] parent = parent();
        if (parent != parentSeen) {
            parentSeen = parent;
            foldedParent = CaseFolding.fold(parent);
            int slashes = 0;
            for (byte b : parent) {
                if (b == '/') {
                    slashes++;
                }
            }
            // "/" holds one slash and is 0 deep; "/a" holds one and is 1 deep
            parentDepth = parent.length == 1 && parent[0] == '/' ? 0 : parent.length == 0 ? -1 : slashes;
        }
    }

    private static byte[] join(byte[] parent, BytesRef name) {
        if (parent.length == 0) {
            return Arrays.copyOfRange(name.bytes, name.offset, name.offset + name.length);
        }
        boolean root = parent.length == 1 && parent[0] == '/';
        int head = root ? 1 : parent.length + 1;
        byte[] joined = new byte[head + name.length];
        System.arraycopy(parent, 0, joined, 0, parent.length);
        joined[head - 1] = '/';
        System.arraycopy(name.bytes, name.offset, joined, head, name.length);
        return joined;
    }

    /** A candidate with fixed values: a path outside the index (a change being applied, a test). */
    public static final class Fixed extends Candidate {
        private final byte[] parent;
        private final BytesRef name;
        private final EntryType type;
        private final long size;
        private final long mtimeMillis;

        public Fixed(byte[] path, EntryType type, long size, long mtimeMillis) {
            int slash = lastSlash(path);
            if (path.length == 1 && path[0] == '/') {
                this.parent = new byte[0];
                this.name = new BytesRef(ROOT);
            } else {
                this.parent = slash == 0 ? ROOT : Arrays.copyOf(path, Math.max(slash, 0));
                this.name = new BytesRef(Arrays.copyOfRange(path, slash + 1, path.length));
            }
            this.type = type;
            this.size = size;
            this.mtimeMillis = mtimeMillis;
        }

        private static int lastSlash(byte[] path) {
            for (int i = path.length - 1; i >= 0; i--) {
                if (path[i] == '/') {
                    return i;
                }
            }
            return -1;
        }

        @Override
        public byte[] parent() {
            return parent;
        }

        @Override
        public BytesRef name() {
            return name;
        }

        @Override
        public EntryType type() {
            return type;
        }

        @Override
        public long size() {
            return size;
        }

        @Override
        public long mtimeMillis() {
            return mtimeMillis;
        }
    }
}
