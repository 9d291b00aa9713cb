package dev.jfind.server.index;

import dev.jfind.server.crawl.EntryType;

/**
 * A path the index just took in, dropped or updated, as a live query sees it. For an
 * update, {@code before} holds the attributes the index had; else it is null.
 *
 * @param path exact path bytes (shared: do not modify)
 */
public record PathChange(Kind kind, byte[] path, EntryType type, long size, long mtimeMillis, PathChange before) {
    public enum Kind { ADDED, REMOVED, UPDATED }

    static PathChange added(byte[] path, EntryType type, long size, long mtimeMillis) {
        return new PathChange(Kind.ADDED, path, type, size, mtimeMillis, null);
    }

    static PathChange removed(byte[] path, EntryType type, long size, long mtimeMillis) {
        return new PathChange(Kind.REMOVED, path, type, size, mtimeMillis, null);
    }
}
