package dev.jfind.server.fs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** The daemon's state directory: the index lives there, so only the daemon's user may enter it. */
public final class StateDirectory {
    private StateDirectory() {}

    /**
     * Creates {@code dir} if needed and sets it to mode 0700 whatever it was, so the index's
     * names are private even where a service manager or an umask made it wider.
     */
    public static void prepare(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    }
}
