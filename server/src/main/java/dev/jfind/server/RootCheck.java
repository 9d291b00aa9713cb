package dev.jfind.server;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.List;

/**
 * Whether the roots can be crawled, checked before they are used (at start and on reload): a
 * root that is missing or unreadable would otherwise give an empty index and no word why.
 * Stateless.
 */
final class RootCheck {
    private RootCheck() {}

    /** The first root the daemon's user cannot list, as "root /x: REASON"; null when all can be. */
    static String problem(List<Path> roots) {
        for (Path root : roots) {
            // opening the directory is the test the crawl itself will meet: it follows a
            // symlinked root, and needs read and search permission as this user
            try (DirectoryStream<Path> listing = Files.newDirectoryStream(root)) {
                listing.iterator().hasNext();
            } catch (IOException e) {
                return "root " + root + ": " + reason(e);
            }
        }
        return null;
    }

    /** The errno text ls and find print, for the exceptions the JDK turns them into. */
    static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "No such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "Permission denied";
        }
        if (e instanceof NotDirectoryException) {
            return "Not a directory";
        }
        if (e instanceof FileSystemException fse && fse.getReason() != null) {
            return fse.getReason();
        }
        return String.valueOf(e.getMessage());
    }
}
