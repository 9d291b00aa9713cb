package dev.jfind.server.index;

import java.io.IOException;
import java.nio.file.Path;

/** Another process (most likely a second jfindd) holds the index's write lock. */
public final class IndexLockedException extends IOException {
    public IndexLockedException(Path dir, Throwable cause) {
        super("the index in " + dir + " is in use by another jfindd; stop that one first, or give this one"
                + " another --state-dir", cause);
    }
}
