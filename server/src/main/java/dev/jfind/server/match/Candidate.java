package dev.jfind.server.match;

import dev.jfind.server.crawl.EntryType;
import dev.jfind.server.fs.PathParts;
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
            parentDepth = PathParts.depth(parent);
        }
    }

    private static byte[] join(byte[] parent, BytesRef name) {
        return PathParts.join(parent, parent.length, name.bytes, name.offset, name.length);
    }

    /** A candidate with fixed values: a path outside the index (a change being applied, a test). */
    public static final class Fixed extends Candidate {
        private final byte[] parent;
        private final BytesRef name;
        private final EntryType type;
        private final long size;
        private final long mtimeMillis;

        public Fixed(byte[] path, EntryType type, long size, long mtimeMillis) {
            this.parent = PathParts.parentOf(path);
            this.name = new BytesRef(PathParts.nameOf(path));
            this.type = type;
            this.size = size;
            this.mtimeMillis = mtimeMillis;
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
