package dev.jfind.server.crawl;

import dev.jfind.server.fs.PathParts;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * One file system entry seen by a crawl.
 *
 * @param path the absolute path, exactly the bytes the kernel returned (never modified)
 * @param file the same path as a {@link Path}, kept so the crawl can descend without
 *     converting bytes back to a path
 * @param type what lstat(2) says it is (links are never followed)
 * @param size size in bytes
 * @param mtimeMillis last modification time, milliseconds since the epoch
 * @param fileKey device and inode ({@link BasicFileAttributes#fileKey()}), identifies a
 *     directory across renames
 */
public record Entry(byte[] path, Path file, EntryType type, long size, long mtimeMillis, Object fileKey) {

    static Entry of(byte[] path, Path file, BasicFileAttributes attrs) {
        return new Entry(path, file, EntryType.of(attrs), attrs.size(),
                attrs.lastModifiedTime().toMillis(), attrs.fileKey());
    }

    /**
     * A directory known only from the index: no file key yet, so the crawl reads its
     * attributes before deciding anything about it.
     */
    public static Entry indexedDirectory(byte[] path, Path file) {
        return new Entry(path, file, EntryType.DIRECTORY, 0, 0, null);
    }

    public boolean isDirectory() {
        return type == EntryType.DIRECTORY;
    }

    /** Where the name starts in {@link #path}: after the last '/'. */
    public int nameOffset() {
        return PathParts.nameOffset(path);
    }
}
