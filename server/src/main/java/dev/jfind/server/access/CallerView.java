package dev.jfind.server.access;

import dev.jfind.server.fs.PathBytes;
import dev.jfind.server.fs.PathParts;
import dev.jfind.server.index.HitConsumer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What one caller may see, under the {@link Visibility} rule. Get one per call from
 * {@link Visibility#of}; the decisions it makes are shared with the caller's other calls.
 *
 * <p>Thread-safe; the filters it hands out are not (one per search).
 */
public final class CallerView {
    private final Caller caller;
    /** Null when the caller sees everything. */
    private final DirectoryVerdicts verdicts;
    private final long ttlNanos;

    CallerView(Caller caller, DirectoryVerdicts verdicts, long ttlNanos) {
        this.caller = caller;
        this.verdicts = verdicts;
        this.ttlNanos = ttlNanos;
    }

    public Caller caller() {
        return caller;
    }

    /**
     * True for root and the daemon's own user: nothing is hidden from them, so figures that
     * count every indexed path (status) may be shown to them.
     */
    public boolean seesEverything() {
        return verdicts == null;
    }

    /** {@code downstream} receiving only the hits this caller may see. For one search at a time. */
    public HitConsumer filter(HitConsumer downstream) {
        if (seesEverything()) {
            return downstream;
        }
        PathCheck visible = newCheck();
        return hit -> !visible.test(hit.path()) || downstream.accept(hit);
    }

    /** A test of single paths, for one thread at a time. */
    public PathCheck newCheck() {
        return new PathCheck();
    }

    /**
     * Decides path by path. Remembers the last parent directory it judged: results come
     * directory by directory, so most paths cost one comparison of their parent's bytes.
     */
    public final class PathCheck {
        private byte[] lastParent = new byte[0];
        private boolean lastVisible;

        private PathCheck() {}

        /** Whether the caller may see {@code path} (absolute, raw bytes). */
        public boolean test(byte[] path) {
            if (verdicts == null) {
                return true;
            }
            int parentEnd = PathParts.parentEnd(path, path.length);
            if (parentEnd < 0) {
                return true; // "/" itself
            }
            if (Arrays.equals(lastParent, 0, lastParent.length, path, 0, parentEnd)) {
                return lastVisible;
            }
            lastParent = Arrays.copyOf(path, parentEnd);
            lastVisible = verdict(lastParent, System.nanoTime()).listable();
            return lastVisible;
        }
    }

    /**
     * The verdict on directory {@code dir}: from the cache if fresh, else worked out from the
     * deepest fresh ancestor down, one lstat per directory not yet judged.
     */
    private DirectoryVerdicts.Verdict verdict(byte[] dir, long now) {
        List<Integer> unjudged = new ArrayList<>(); // ends of dir and its ancestors, deepest first
        DirectoryVerdicts.Verdict above = null;
        for (int end = dir.length; end > 0; end = PathParts.parentEnd(dir, end)) {
            above = verdicts.get(ByteBuffer.wrap(dir, 0, end), now);
            if (above != null) {
                break;
            }
            unjudged.add(end);
            if (end == 1) {
                break; // "/" has no parent
            }
        }
        for (int i = unjudged.size() - 1; i >= 0; i--) {
            byte[] here = Arrays.copyOf(dir, unjudged.get(i));
            boolean parentListable = above == null || above.listable();
            above = new DirectoryVerdicts.Verdict(parentListable && listable(here, now), now + ttlNanos);
            verdicts.put(ByteBuffer.wrap(here), above);
        }
        return above;
    }

    /** Whether the caller may read and search {@code dir} itself (its ancestors are judged apart). */
    private boolean listable(byte[] dir, long now) {
        Path path = PathBytes.toPath(dir);
        try {
            DirectoryFacts facts = DirectoryFacts.read(path, caller);
            if (facts.isSymlink()) {
                // A root given as a link (or a link above a root): what counts is where it leads
                return verdict(PathBytes.of(path.toRealPath()), now).listable();
            }
            return facts.allows(caller, DirectoryFacts.READ) && facts.allows(caller, DirectoryFacts.EXECUTE);
        } catch (IOException | RuntimeException e) {
            return false; // gone, or not ours to judge: closed
        }
    }
}
