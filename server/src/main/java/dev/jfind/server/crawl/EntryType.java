package dev.jfind.server.crawl;

import java.nio.file.attribute.BasicFileAttributes;

/** The kind of a file system entry as lstat(2) sees it; the code is what the index stores. */
public enum EntryType {
    FILE(1),
    DIRECTORY(2),
    SYMLINK(3),
    OTHER(4);

    private final int code;

    EntryType(int code) {
        this.code = code;
    }

    /** Stable number stored in the index and matching {@code jfind.v1.FileType}. */
    public int code() {
        return code;
    }

    public static EntryType ofCode(int code) {
        for (EntryType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown entry type code " + code);
    }

    /** Attributes must have been read without following links. */
    static EntryType of(BasicFileAttributes attrs) {
        if (attrs.isSymbolicLink()) {
            return SYMLINK;
        }
        if (attrs.isDirectory()) {
            return DIRECTORY;
        }
        if (attrs.isRegularFile()) {
            return FILE;
        }
        return OTHER;
    }
}
