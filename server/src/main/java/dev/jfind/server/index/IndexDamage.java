package dev.jfind.server.index;

import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import org.apache.lucene.index.CorruptIndexException;
import org.apache.lucene.index.IndexFormatTooNewException;
import org.apache.lucene.index.IndexFormatTooOldException;
import org.apache.lucene.store.Directory;

/**
 * Tells an index that is damaged (truncated, garbled or missing files, another format) from
 * one that merely cannot be opened now (permissions, a full disk), and moves a damaged one
 * aside. Only one damaged copy is kept, so a disk that keeps damaging the index cannot fill
 * the state directory with copies.
 */
final class IndexDamage {
    static final String ASIDE_INFIX = ".unreadable-";

    private IndexDamage() {}

    /** Whether {@code e}, thrown while opening the index, says its files are damaged. */
    static boolean isDamage(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof CorruptIndexException || t instanceof IndexFormatTooOldException
                    || t instanceof IndexFormatTooNewException || t instanceof EOFException
                    || t instanceof NoSuchFileException || t instanceof FileNotFoundException) {
                return true;
            }
        }
        // Lucene reports an unknown codec or a nonsensical header this way
        return e instanceof IllegalArgumentException;
    }

    /**
     * Closes {@code directory} and renames {@code dir} to a sibling named after it and the
     * time, after deleting any copy an earlier start moved aside. Returns the new name.
     */
    static Path moveAside(Path dir, Directory directory, Throwable why) throws IOException {
        directory.close();
        String prefix = dir.getFileName() + ASIDE_INFIX;
        try (DirectoryStream<Path> siblings = Files.newDirectoryStream(dir.getParent(), prefix + "*")) {
            for (Path old : siblings) {
                deleteTree(old);
            }
        }
        Path aside = dir.resolveSibling(prefix + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").format(LocalDateTime.now()));
        Files.move(dir, aside);
        return aside;
    }

    private static void deleteTree(Path p) throws IOException {
        if (Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            try (DirectoryStream<Path> children = Files.newDirectoryStream(p)) {
                for (Path c : children) {
                    deleteTree(c);
                }
            }
        }
        Files.deleteIfExists(p);
    }
}
